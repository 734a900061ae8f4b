/**
 * Starts and stops a code-server (VS Code 1.139 web workbench + Node extension host) on 127.0.0.1.
 *
 * - config file with bind-addr 127.0.0.1:<free port>, auth none, cert false; XDG_CONFIG_HOME, user data
 *   and extensions dirs in a temp folder, so nothing is written under the home directory;
 * - its own process group (detached); stop() kills the whole group (file watchers included);
 * - the extension host inherits the server's environment: pass `env` to hand values (emulator URL,
 *   demo tokens) to the extension.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureTooling, type Tooling } from './tooling';

export interface CodeServerOptions {
  /** Folder opened by the workbench; default: an empty temp folder. */
  folder?: string;
  /** Extra user settings (merged over the harness defaults), e.g. `partnerConnect.workspaces`. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and, through it, the extension host. */
  env?: Record<string, string>;
  /** VSIX files to install into the temp extensions dir before the server starts. */
  vsix?: string[];
  /**
   * A development extension folder (out/dev-extension): every workbench URL carries it as the
   * `extensionDevelopmentPath` payload, so it runs in ExtensionMode.Development (Test with an
   * extensionTestsPath) - the only modes where the demo/test hooks run. Turns the smoke-test driver on
   * (code-server ignores the payload without it).
   */
  devExtension?: string;
  /** Adds `--vscode-option enable-smoke-test-driver` (needed for the extensionTestsPath payload). */
  smokeTestDriver?: boolean;
  /** Fixed port (default: a free one). */
  port?: number;
  /** Where the server log is written (default: in the temp folder). */
  logFile?: string;
  /** Keep the temp folder after stop() (debugging). */
  keepTemp?: boolean;
  tooling?: Tooling;
}

export interface CodeServer {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  folder: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  /** The workbench URL for the folder, optionally with a smoke-test payload. */
  workbenchUrl(opts?: { folder?: string; payload?: Array<[string, string]> }): string;
  /** `vscode-remote://127.0.0.1:<port><abs path>` for payload entries. */
  remoteUri(absPath: string): string;
  /** Resolves with the exit code once the server exits. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Kills a process group; ignores "no such process". */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a detached child's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopGroup(pid: number, graceMs = 5000): Promise<void> {
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) {
    killGroup(pid, 'SIGKILL');
    while (groupAlive(pid)) await sleep(50);
  }
}

// Groups started by this process are killed if it exits without stopping them.
const liveGroups = new Set<number>();
let exitHookInstalled = false;
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const g of liveGroups) killGroup(g, 'SIGKILL');
  });
}
export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

function baseEnv(tooling: Tooling, xdg: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.PATH = `${path.dirname(tooling.node24)}:${env.PATH ?? ''}`;
  env.XDG_CONFIG_HOME = xdg;
  env.XDG_DATA_HOME = path.join(xdg, 'data');
  env.XDG_CACHE_HOME = path.join(xdg, 'cache');
  // Never let the harness's own Node options (coverage, loaders) leak into code-server.
  delete env.NODE_OPTIONS;
  delete env.NODE_V8_COVERAGE;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

/** `code-server --install-extension <vsix>` into the given dirs. */
export function installExtension(tooling: Tooling, vsix: string, dirs: { userDataDir: string; extensionsDir: string; xdg: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      tooling.node24,
      [tooling.codeServerEntry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix, '--force'],
      { env: baseEnv(tooling, dirs.xdg, undefined), timeout: 120_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`installing ${path.basename(vsix)} failed: ${err.message}\n${stdout}\n${stderr}`));
        else if (!/successfully installed/i.test(stdout + stderr)) reject(new Error(`installing ${path.basename(vsix)}: unexpected output\n${stdout}\n${stderr}`));
        else resolve();
      },
    );
  });
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}); log:\n${readTail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; log:\n${readTail(logFile)}`);
}

function readTail(file: string, max = 4000): string {
  try {
    const s = fs.readFileSync(file, 'utf8');
    return s.length > max ? s.slice(-max) : s;
  } catch {
    return '(no log)';
  }
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const tooling = opts.tooling ?? ensureTooling();
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-code-server-'));
  const xdg = path.join(tempDir, 'xdg');
  const userDataDir = path.join(tempDir, 'user-data');
  const extensionsDir = path.join(tempDir, 'extensions');
  const folder = opts.folder ?? path.join(tempDir, 'workspace');
  try {
    for (const d of [xdg, userDataDir, extensionsDir, folder, path.join(userDataDir, 'User')]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2)}\n`);
    for (const v of opts.vsix ?? []) await installExtension(tooling, v, { userDataDir, extensionsDir, xdg });
  } catch (e) {
    if (!opts.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
    throw e;
  }

  const port = opts.port ?? (await freePort());
  const configFile = path.join(tempDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = opts.logFile ?? path.join(tempDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');

  const args = [
    tooling.codeServerEntry,
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--reconnection-grace-time', '5',
    // code-server honours a payload's extensionDevelopmentPath only with the smoke-test driver on
    ...(opts.smokeTestDriver || opts.devExtension ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    folder,
  ];
  const child = spawn(tooling.node24, args, {
    env: baseEnv(tooling, xdg, opts.env),
    detached: true, // own process group: stop() kills the file watchers too
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  trackGroup(pid);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopGroup(pid);
    untrackGroup(pid);
    if (!opts.keepTemp) fs.rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await waitHealthy(url, child, logFile, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  const remoteUri = (abs: string): string => `vscode-remote://127.0.0.1:${port}${path.resolve(abs)}`;
  return {
    url,
    port,
    pid,
    folder,
    tempDir,
    userDataDir,
    extensionsDir,
    logFile,
    remoteUri,
    exited,
    stop,
    workbenchUrl: (o = {}) => {
      const q = new URLSearchParams({ folder: o.folder ?? folder });
      const payload: Array<[string, string]> = [...(opts.devExtension ? [['extensionDevelopmentPath', remoteUri(opts.devExtension)] as [string, string]] : []), ...(o.payload ?? [])];
      if (payload.length > 0) q.set('payload', JSON.stringify(payload));
      return `${url}/?${q.toString()}`;
    },
  };
}
