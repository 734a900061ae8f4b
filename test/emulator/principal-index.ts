/**
 * The workspace's service principals by id, in SCIM listing order (insertion order, as a Map), with an
 * index by lower-cased displayName so that a filter like `displayName eq "A" or displayName eq "B"`
 * (what detection sends) costs the matches, not a scan of every principal: with 100 000 principals a
 * scan took ~1 s per request and dominated the bench (a real workspace indexes this server-side).
 *
 * The index follows every change: set/delete/clear on the map, and renames - a record's displayName
 * becomes an accessor when it is added, so `sp.displayName = x` anywhere (PATCH, PUT, a test) moves it.
 */
import type { SpRec } from './state';

export class ServicePrincipalMap extends Map<string, SpRec> {
  private readonly byName = new Map<string, Set<string>>();
  /** listing position of every id (first insertion; a Map keeps that position when a key is set again) */
  private readonly order = new Map<string, number>();
  private nextOrder = 0;

  override set(id: string, rec: SpRec): this {
    const previous = super.get(id);
    if (previous && previous !== rec) this.unindex(id, previous.displayName);
    super.set(id, rec);
    if (!this.order.has(id)) this.order.set(id, this.nextOrder++);
    if (previous !== rec) this.track(id, rec);
    return this;
  }

  override delete(id: string): boolean {
    const rec = super.get(id);
    if (!rec) return false;
    this.unindex(id, rec.displayName);
    this.order.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    this.byName.clear();
    this.order.clear();
    super.clear();
  }

  /** The principals whose displayName equals one of `names` (case-insensitive), in listing order. */
  withDisplayNames(names: Iterable<string>): SpRec[] {
    const ids = new Set<string>();
    for (const n of names) for (const id of this.byName.get(n.toLowerCase()) ?? []) ids.add(id);
    return [...ids].sort((a, b) => this.order.get(a)! - this.order.get(b)!).map((id) => super.get(id)!);
  }

  private track(id: string, rec: SpRec): void {
    let name = rec.displayName;
    this.index(id, name);
    Object.defineProperty(rec, 'displayName', {
      configurable: true,
      enumerable: true,
      get: () => name,
      set: (v: string) => {
        if (super.get(id) === rec) {
          this.unindex(id, name);
          this.index(id, v);
        }
        name = v;
      },
    });
  }

  private index(id: string, name: string): void {
    const k = name.toLowerCase();
    let s = this.byName.get(k);
    if (!s) this.byName.set(k, (s = new Set()));
    s.add(id);
  }

  private unindex(id: string, name: string): void {
    const k = name.toLowerCase();
    const s = this.byName.get(k);
    s?.delete(id);
    if (s?.size === 0) this.byName.delete(k);
  }
}
