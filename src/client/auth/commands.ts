/**
 * Running the sign-in helpers the SDKs run (the Databricks CLI, the Azure CLI): finding the
 * executable as they do and running it without a shell, with a timeout, a small output cap and the
 * caller's environment. On Windows, `az` is a `.cmd` script, which Node only starts through cmd.exe.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export type Env = Record<string, string | undefined>;

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** undefined on success. 'not-found' when the executable does not exist. */
  failure?: { kind: 'not-found' | 'timeout' | 'exit'; code?: number | string };
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (process.platform !== 'win32') accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The executable to run: `explicit` when it contains a path separator (checked to exist), else the
 * first match of `explicit ?? name` on `env.PATH` (with Windows' executable extensions), else the
 * first existing `fallbacks` entry. undefined when nothing exists.
 */
export function findExecutable(name: string, env: Env, o: { explicit?: string; fallbacks?: readonly string[]; platform?: NodeJS.Platform } = {}): string | undefined {
  const platform = o.platform ?? process.platform;
  const wanted = o.explicit?.trim() || name;
  if (wanted.includes('/') || wanted.includes('\\') || isAbsolute(wanted)) {
    return isExecutableFile(wanted) ? wanted : undefined;
  }
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((e) => e.toLowerCase())] : [''];
  const path = env.PATH ?? env.Path ?? '';
  for (const dir of path.split(platform === 'win32' ? ';' : delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, `${wanted}${ext}`);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  for (const f of o.fallbacks ?? []) if (isExecutableFile(f)) return f;
  return undefined;
}

/** Runs `file args` (no shell; `.cmd` / `.bat` through cmd.exe on Windows). Never rejects. */
export function runCommand(file: string, args: readonly string[], env: Env, timeoutMs: number): Promise<CommandResult> {
  const viaCmd = process.platform === 'win32' && /\.(cmd|bat)$/i.test(file);
  const exe = viaCmd ? (env.ComSpec ?? 'cmd.exe') : file;
  const argv = viaCmd ? ['/d', '/s', '/c', `"${[file, ...args].map(quoteForCmd).join(' ')}"`] : [...args];
  return new Promise((resolve) => {
    execFile(
      exe,
      argv,
      { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 1024 * 1024, windowsHide: true, windowsVerbatimArguments: viaCmd },
      (error, stdout, stderr) => {
        const out = String(stdout);
        const err = String(stderr);
        if (!error) return resolve({ stdout: out, stderr: err });
        const e = error as Error & { code?: unknown; killed?: boolean; signal?: unknown };
        if (e.code === 'ENOENT') return resolve({ stdout: out, stderr: err, failure: { kind: 'not-found' } });
        if (e.killed) return resolve({ stdout: out, stderr: err, failure: { kind: 'timeout' } });
        resolve({ stdout: out, stderr: err, failure: { kind: 'exit', code: typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined } });
      },
    );
  });
}

function quoteForCmd(a: string): string {
  return /^[A-Za-z0-9_./:=@\\-]+$/.test(a) ? a : `"${a.replace(/"/g, '""')}"`;
}

/** A command's stderr as one short line (for messages; the caller redacts it). */
export function oneLine(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
