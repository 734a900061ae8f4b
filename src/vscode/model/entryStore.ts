import * as vscode from 'vscode';
import * as z from 'zod';

/**
 * A list of named entries the user configured — workspaces (workspaces/workspaceStore.ts), Databricks
 * accounts (accounts/accountStore.ts): the non-secret entries in one application-scoped, restricted
 * user setting (only its user value counts), each entry's secrets in SecretStorage only, and entries
 * that live for the session only (demo and test bootstrap, never written to the setting). Each store
 * is a thin instance: its setting, its entry schema, its kinds of secret.
 */
export interface EntrySpec<E extends { name: string }, I, K extends string> {
  section: string;
  key: string;
  schema: z.ZodType<E, I>;
  /** the kinds of secret an entry may have */
  secretKinds: readonly K[];
  /** where an entry's secret of a kind lives in SecretStorage */
  secretKey: (name: string, kind: K) => string;
}

/**
 * `E`: an entry as the setting holds it (`I` what its schema reads); `K`: its kinds of secret; `X`:
 * entries a store adds to its list from elsewhere (none by default; the workspaces of an account).
 */
export class EntryStore<E extends { name: string }, I, K extends string, X extends { name: string } = never> implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  protected readonly subs: vscode.Disposable[] = [];
  private readonly sessionEntries: E[] = [];

  constructor(
    protected readonly secrets: vscode.SecretStorage,
    private readonly onInvalid: (message: string) => void,
    private readonly spec: EntrySpec<E, I, K>,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${spec.section}.${spec.key}`)) this.changed();
      }),
    );
  }

  /** The entries of the setting: only its user (global) value counts, the setting is application-scoped and restricted. */
  private settingEntries(): E[] {
    return readUserSettingList(this.spec.section, this.spec.key, this.spec.schema, this.onInvalid);
  }

  /** Entries the list gets from elsewhere, after the session's and the setting's. */
  protected extraEntries(): X[] {
    return [];
  }

  protected changed(): void {
    this.emitter.fire();
  }

  /** Every entry, one per name: the session's first, then the setting's, then the extra ones. */
  list(): (E | X)[] {
    const seen = new Set<string>();
    return [...this.sessionEntries, ...this.settingEntries(), ...this.extraEntries()].filter((e) => (seen.has(e.name) ? false : (seen.add(e.name), true)));
  }

  get(name: string): E | X | undefined {
    return this.list().find((e) => e.name === name);
  }

  isSessionEntry(name: string): boolean {
    return this.sessionEntries.some((e) => e.name === name);
  }

  /**
   * Adds or replaces (same name) an entry, checked with the schema; its secrets are stored first. It
   * goes to the setting, or with `session` to this session only.
   */
  async add(input: I, secrets: Partial<Record<K, string>>, o: { session?: boolean } = {}): Promise<void> {
    const e = this.spec.schema.parse(input);
    for (const kind of this.spec.secretKinds) {
      const value = secrets[kind];
      if (value !== undefined) await this.secrets.store(this.spec.secretKey(e.name, kind), value);
    }
    const i = this.sessionEntries.findIndex((x) => x.name === e.name);
    if (o.session) {
      if (i >= 0) this.sessionEntries.splice(i, 1, e);
      else this.sessionEntries.push(e);
      this.changed();
      return;
    }
    // the setting's entry would be hidden behind a session entry of the same name
    if (i >= 0) this.sessionEntries.splice(i, 1);
    const rest = this.settingEntries().filter((x) => x.name !== e.name);
    await this.writeSetting([...rest, e]); // onDidChangeConfiguration fires the change event
  }

  /** Changes an entry where it lives (the setting or the session) without touching its secrets; false when there is none. */
  protected async replace(name: string, change: (e: E) => I): Promise<boolean> {
    const session = this.sessionEntries.find((x) => x.name === name);
    const e = session ?? this.settingEntries().find((x) => x.name === name);
    if (!e) return false;
    await this.add(change(e), {}, { session: session !== undefined });
    return true;
  }

  /** Removes an entry and its secrets, wherever it lives. */
  async remove(name: string): Promise<void> {
    for (const kind of this.spec.secretKinds) await this.secrets.delete(this.spec.secretKey(name, kind));
    const i = this.sessionEntries.findIndex((x) => x.name === name);
    if (i >= 0) {
      this.sessionEntries.splice(i, 1);
      this.changed();
    }
    const current = this.settingEntries();
    if (current.some((x) => x.name === name)) await this.writeSetting(current.filter((x) => x.name !== name));
  }

  getSecret(name: string, kind: K): Thenable<string | undefined> {
    return this.secrets.get(this.spec.secretKey(name, kind));
  }

  private async writeSetting(entries: E[]): Promise<void> {
    await vscode.workspace.getConfiguration(this.spec.section).update(this.spec.key, entries, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.emitter.dispose();
    for (const s of this.subs) s.dispose();
  }
}

/**
 * A list setting read from the user (global) value only — the application-scoped, restricted
 * settings that decide where credentials go — each entry checked with `schema`; invalid entries
 * are reported through `onInvalid` and skipped.
 */
export function readUserSettingList<T>(section: string, key: string, schema: z.ZodType<T, unknown>, onInvalid: (message: string) => void): T[] {
  const raw = vscode.workspace.getConfiguration(section).inspect<unknown>(key)?.globalValue ?? [];
  const list = z.array(z.unknown()).safeParse(raw);
  if (!list.success) {
    onInvalid(`${section}.${key} is not a list; ignoring it.`);
    return [];
  }
  const out: T[] = [];
  for (const item of list.data) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else onInvalid(`Ignoring an invalid entry of ${section}.${key}: ${z.prettifyError(r.error)}`);
  }
  return out;
}
