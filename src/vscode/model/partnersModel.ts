import * as vscode from 'vscode';
import type { WorkspaceClient } from '../../client';
import { createPartnerApiClient } from '../../client/partner';
import { DEFAULT_REFRESH_CONCURRENCY, Limiter, RecordCache, detectConnectionStates, type EngineContext, type PartnerCatalog, type PartnerStatus, type WorkspaceSnapshot } from '../../domain';
import type { Log } from '../log/log';
import type { WorkspaceEntry, WorkspaceStore } from '../workspaces/workspaceStore';
import { PRODUCT, type ClientPool } from './clients';
import { loadCatalog } from './catalog';
import type { CatalogOverlay } from '../dev/types';

export type WorkspaceLoad =
  | { kind: 'loading'; since: number }
  | { kind: 'ready'; snapshot: WorkspaceSnapshot }
  | { kind: 'error'; error: unknown };

/**
 * State of every configured workspace (the engine's snapshots), cached until refreshed or
 * invalidated. No UI here: the tree and commands listen to onDidChange.
 * Error results are kept only for display; any refresh or retry loads again.
 */
export class PartnersModel implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<string | undefined>();
  private readonly loadEmitter = new vscode.EventEmitter<Promise<unknown>>();
  /** Fires with the promise of every load that starts (the view shows progress with it). */
  readonly onDidStartLoad = this.loadEmitter.event;
  /** Fires with a workspace name, or undefined when the list of workspaces changed. */
  readonly onDidChange = this.emitter.event;
  private readonly loads = new Map<string, WorkspaceLoad>();
  private readonly inflight = new Map<string, { gen: number; controller: AbortController; promise: Promise<WorkspaceSnapshot> }>();
  private generation = 0;
  private catalogPromise: Promise<PartnerCatalog> | undefined;
  private readonly subs: vscode.Disposable[] = [];
  /** How many detections ran (tests use it to see the cache at work). */
  detections = 0;
  private readonly limiter = new Limiter(DEFAULT_REFRESH_CONCURRENCY);
  /** per workspace, the records its detections read, for the same sign-in (a changed entry starts afresh) */
  private readonly recordCaches = new Map<string, { key: string; cache: RecordCache }>();
  /** Turns a load failure into the error shown (e.g. why an account's workspace cannot be read). */
  private explainError: ((entry: WorkspaceEntry, error: unknown) => Promise<unknown>) | undefined;

  setErrorExplainer(fn: (entry: WorkspaceEntry, error: unknown) => Promise<unknown>): void {
    this.explainError = fn;
  }

  constructor(
    readonly store: WorkspaceStore,
    private readonly pool: ClientPool,
    private readonly log: Log,
    /** demo/test partners (src/vscode/dev), outside Production only */
    private readonly catalogOverlay?: (base: PartnerCatalog) => Promise<CatalogOverlay>,
  ) {
    this.subs.push(
      store.onDidChange(() => {
        const names = new Set(store.list().map((e) => e.name));
        for (const n of [...this.loads.keys()]) if (!names.has(n)) this.loads.delete(n);
        for (const n of [...this.recordCaches.keys()]) if (!names.has(n)) this.recordCaches.delete(n);
        this.emitter.fire(undefined);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('partnerConnect.partnerConfigFiles') || e.affectsConfiguration('partnerConnect.recordFolder')) {
          this.catalogPromise = undefined;
          void this.refresh(); // in the background: refresh never rejects (each load keeps its error in its state)
        }
      }),
    );
  }

  workspaces(): WorkspaceEntry[] {
    return this.store.list();
  }

  entry(name: string): WorkspaceEntry {
    const e = this.store.get(name);
    if (!e) throw new Error(vscode.l10n.t('The workspace "{0}" is not configured any more.', name));
    return e;
  }

  catalog(): Promise<PartnerCatalog> {
    this.catalogPromise ??= loadCatalog(this.log, this.catalogOverlay).then((r) => r.catalog);
    return this.catalogPromise;
  }

  recordFolder(): string {
    const inspected = vscode.workspace.getConfiguration('partnerConnect').inspect<string>('recordFolder');
    return inspected?.globalValue ?? inspected?.defaultValue ?? '/.partner-connect/';
  }

  client(name: string): Promise<WorkspaceClient> {
    return this.pool.get(this.entry(name));
  }

  async engineContext(name: string): Promise<EngineContext> {
    return {
      client: await this.client(name),
      recordFolder: this.recordFolder(),
      extensionVersion: PRODUCT.version,
      logger: (line) => this.log.info(`[${name}] ${line}`),
      // Partner calls go through the same transport configuration as workspace calls.
      partnerClientFactory: (config, credentials, logger) => createPartnerApiClient({ config, credentials, logger, network: this.pool.requestSettings().network }),
    };
  }

  /** The current load state, without starting a load. */
  peek(name: string): WorkspaceLoad | undefined {
    return this.loads.get(name);
  }

  /** The current load state; starts loading when nothing is known yet. */
  state(name: string): WorkspaceLoad {
    const s = this.loads.get(name);
    if (s) return s;
    // Starts the load and returns at once: its outcome (or error) becomes the state the tree shows next.
    void this.load(name).catch(() => undefined);
    return this.loads.get(name) ?? { kind: 'loading', since: Date.now() };
  }

  /** The snapshot being loaded, else the cached one, else a fresh one. */
  async snapshot(name: string): Promise<WorkspaceSnapshot> {
    const running = this.inflight.get(name);
    if (running) return running.promise;
    const s = this.loads.get(name);
    if (s?.kind === 'ready') return s.snapshot;
    return this.load(name);
  }

  /** True while a workspace whose partners are shown is being read again. */
  isRefreshing(name: string): boolean {
    return this.loads.get(name)?.kind === 'ready' && this.inflight.has(name);
  }

  async status(name: string, partnerId: string): Promise<PartnerStatus> {
    const snap = await this.snapshot(name);
    const st = snap.partners.find((p) => p.partnerId === partnerId);
    if (!st) throw new Error(vscode.l10n.t('Unknown partner "{0}".', partnerId));
    return st;
  }

  /** Reloads one workspace, or all. */
  async refresh(name?: string): Promise<void> {
    const names = name ? [name] : this.workspaces().map((e) => e.name);
    if (!name) this.catalogPromise = undefined;
    await Promise.all(names.map((n) => this.load(n).then(() => undefined, () => undefined)));
  }

  /** After every change the extension makes: drops the cache and reloads in the background. */
  invalidate(name: string): Promise<void> {
    return this.refresh(name);
  }

  private recordCacheOf(entry: WorkspaceEntry, recordFolder: string): RecordCache {
    const key = JSON.stringify([entry.host, entry.authType, entry.profile, entry.clientId, entry.workspaceId, recordFolder]);
    const known = this.recordCaches.get(entry.name);
    if (known?.key === key) return known.cache;
    const cache = new RecordCache();
    this.recordCaches.set(entry.name, { key, cache });
    return cache;
  }

  private load(name: string): Promise<WorkspaceSnapshot> {
    const previous = this.inflight.get(name);
    previous?.controller.abort();
    const gen = ++this.generation;
    const controller = new AbortController();
    // A workspace already shown keeps its partners on screen while it is read again: only its own
    // nodes are replaced when the new snapshot arrives (the view's progress bar shows the reload).
    if (this.loads.get(name)?.kind !== 'ready') {
      this.loads.set(name, { kind: 'loading', since: Date.now() });
      this.emitter.fire(name);
    }
    const promise = (async () => {
      const entry = this.entry(name);
      try {
        // Many workspaces (an account's) load with a bound; a new one starts as soon as any finishes.
        return await this.limiter.run(async () => {
          const [client, catalog] = await Promise.all([this.client(name), this.catalog()]);
          this.detections++;
          // an account's workspaces refresh like a fleet: half the requests for a round more (until the
          // record cache is warm); a workspace of its own reads every record at first, then what changed
          const recordFolder = this.recordFolder();
          return detectConnectionStates(client, catalog, { recordFolder, signal: controller.signal, records: entry.authType === 'account' ? 'listed' : undefined, recordCache: this.recordCacheOf(entry, recordFolder) });
        }, controller.signal);
      } catch (e) {
        throw this.explainError && !controller.signal.aborted ? await this.explainError(entry, e) : e;
      }
    })();
    this.inflight.set(name, { gen, controller, promise });
    this.loadEmitter.fire(promise);
    promise.then(
      (snapshot) => {
        if (this.inflight.get(name)?.gen !== gen) return;
        this.inflight.delete(name);
        this.loads.set(name, { kind: 'ready', snapshot });
        this.log.info(
          `[${name}] ${snapshot.partners.filter((p) => p.state !== 'not-connected').length} partner(s) with a connection; ${snapshot.stats.requests} request(s) in ${snapshot.stats.waves} wave(s)`,
        );
        this.emitter.fire(name);
      },
      (error: unknown) => {
        if (this.inflight.get(name)?.gen !== gen) return;
        this.inflight.delete(name);
        if (!this.store.get(name)) return;
        this.loads.set(name, { kind: 'error', error });
        this.log.error(`[${name}] loading the partners failed`, error);
        this.emitter.fire(name);
      },
    );
    return promise;
  }

  /** Forgets a removed workspace. */
  async forget(name: string): Promise<void> {
    this.inflight.get(name)?.controller.abort();
    this.inflight.delete(name);
    this.loads.delete(name);
    await this.pool.forget(name);
    this.emitter.fire(undefined);
  }

  dispose(): void {
    for (const f of this.inflight.values()) f.controller.abort();
    this.emitter.dispose();
    this.loadEmitter.dispose();
    for (const s of this.subs) s.dispose();
  }
}
