/**
 * Child process of the bench's `extension` scenario (bench/extension.ts): loads the shipped bundle
 * (dist/extension.js built with --production) in a fresh Node process with a stand-in `vscode`
 * module (test/fixtures/vscode.ts), the way VS Code's extension host would, and reports one JSON
 * line on stdout:
 *
 * - loadMs: `require()` of the bundle; treeMs: from before the require to `createTreeView` (the
 *   tree provider registered); activateMs: to `activate()` returning; cpuMs: CPU time of both;
 * - with workspaces (all pointing at emulators on 127.0.0.1, PAT in the stand-in SecretStorage):
 *   dataMs from activation until every workspace's partners are loaded (detection over HTTP), then
 *   renderMs: the first render once the data is there — what VS Code asks the provider for:
 *   getChildren + getTreeItem for the root, and for every node whose item says Expanded (workspace,
 *   categories), down to the partner items — and how many items that was;
 * - heap after GC before the require and after everything loaded (run with --expose-gc).
 *
 *   node --expose-gc out/bench/extensionHost.js '<json of HostArgs>'
 */
import { fakeVscodeModule, requireWithVscode, stub, workingVscodeParts } from '../test/fixtures/vscode';

export interface HostArgs {
  bundle: string;
  workspaces: { name: string; host: string; token: string }[];
  recordFolder: string;
}

export interface HostResult {
  loadMs: number;
  treeMs: number;
  activateMs: number;
  cpuMs: number;
  dataMs: number | null;
  renderMs: number | null;
  renderedItems: number | null;
  partnersRendered: number | null;
  heapBeforeMiB: number;
  heapAfterMiB: number;
  rssMiB: number;
  ready: number;
  errors: number;
}

interface Provider {
  getChildren(node?: unknown): unknown[];
  getTreeItem(node: unknown): { collapsibleState?: number; contextValue?: unknown };
  onDidChangeTreeData(listener: (e: unknown) => void): unknown;
}

const MiB = 1024 * 1024;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2] ?? '') as HostArgs;
  const entries = a.workspaces.map((w) => ({ name: w.name, host: w.host, authType: 'pat' }));
  const secrets = new Map(a.workspaces.map((w) => [`partnerConnect.workspace.${encodeURIComponent(w.name)}.token`, w.token]));
  let provider: Provider | undefined;
  let treeAt = 0;
  const config = {
    inspect: (key: string) => (key === 'workspaces' ? { globalValue: entries } : key === 'recordFolder' ? { globalValue: a.recordFolder } : { globalValue: undefined }),
    get: (_key: string, fallback?: unknown) => fallback,
    update: async () => undefined,
  };
  const disposable = { dispose: () => undefined };
  const fake = fakeVscodeModule({
    ...workingVscodeParts(),
    window: stub('window', {
      createTreeView: (_id: string, opts: { treeDataProvider: Provider }) => {
        treeAt = performance.now();
        provider = opts.treeDataProvider;
        return stub('treeView', { dispose: () => undefined });
      },
      withProgress: (_o: unknown, task: () => Promise<unknown>) => task(),
    }),
    workspace: stub('workspace', { getConfiguration: () => config, onDidChangeConfiguration: () => disposable }),
    commands: stub('commands', { registerCommand: () => disposable, executeCommand: async () => undefined }),
  });
  const memento = { get: () => undefined, update: async () => undefined, keys: () => [] };
  const context = {
    extensionMode: 1,
    subscriptions: [] as unknown[],
    secrets: { get: async (k: string) => secrets.get(k), store: async () => undefined, delete: async () => undefined, onDidChange: () => disposable },
    globalState: memento,
    workspaceState: memento,
    extensionUri: stub('extensionUri'),
    extension: { packageJSON: { version: '0.0.0-bench' } },
  };

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const mod = requireWithVscode(a.bundle, fake);
  const t1 = performance.now();
  (mod.activate as (c: unknown) => unknown)(context);
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  if (!provider) throw new Error('activate() did not register the tree provider');
  const p = provider;

  const result: HostResult = {
    loadMs: t1 - t0,
    treeMs: treeAt - t0,
    activateMs: t2 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    dataMs: null,
    renderMs: null,
    renderedItems: null,
    partnersRendered: null,
    heapBeforeMiB: heapBefore / MiB,
    heapAfterMiB: 0,
    rssMiB: 0,
    ready: 0,
    errors: 0,
  };

  if (a.workspaces.length > 0) {
    const isLoading = (ws: unknown): boolean => p.getChildren(ws).some((n) => (n as { message?: string }).message === 'loading');
    const settled = new Promise<void>((resolve) => {
      p.onDidChangeTreeData(() => {
        if (!p.getChildren().some(isLoading)) resolve();
      });
    });
    // VS Code asks for the root and the expanded workspace nodes when the view is shown: that starts the loads
    for (const ws of p.getChildren()) p.getChildren(ws);
    const timeout = setTimeout(() => undefined, 120_000);
    await settled;
    clearTimeout(timeout);
    const t3 = performance.now();
    result.dataMs = t3 - t2;
    // the first render with the data there
    let items = 0;
    let partners = 0;
    const r0 = performance.now();
    const walk = (node?: unknown): void => {
      for (const child of p.getChildren(node)) {
        const item = p.getTreeItem(child);
        items += 1;
        if (String(item.contextValue ?? '').startsWith('partner.')) partners += 1;
        if (item.collapsibleState === 2) walk(child);
      }
    };
    walk();
    result.renderMs = performance.now() - r0;
    result.renderedItems = items;
    result.partnersRendered = partners;
    for (const ws of p.getChildren()) {
      const kids = p.getChildren(ws) as { kind?: string; message?: string }[];
      if (kids.some((k) => k.message === 'error')) result.errors += 1;
      else result.ready += 1;
    }
  }
  gc();
  const mem = process.memoryUsage();
  result.heapAfterMiB = mem.heapUsed / MiB;
  result.rssMiB = mem.rss / MiB;
  process.stdout.write(JSON.stringify(result) + '\n');
  for (const d of context.subscriptions) (d as { dispose?: () => void }).dispose?.();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`extensionHost: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
