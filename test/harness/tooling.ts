/**
 * Finds (installing on demand through scripts/vscode-tooling.sh) Node 24, code-server and chromium.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './paths';

export interface Tooling {
  /** Node 24 binary used to run code-server */
  node24: string;
  /** code-server's out/node/entry.js */
  codeServerEntry: string;
  /** Debian's chromium ('' when asked for without chromium and it is not installed) */
  chromium: string;
}

const cached = new Map<boolean, Tooling>();

/** True when the real-VS-Code layers must run (CI or PC_E2E=1) and must not be skipped. */
export function e2eRequired(): boolean {
  return process.env.CI === 'true' || process.env.PC_E2E === '1';
}

/**
 * Runs the tooling script (fast when cached) and returns the paths it reports. Throws if it fails.
 * `withChromium: false` (the demo) does not require or install chromium.
 */
export function ensureTooling(opts: { withChromium?: boolean } = {}): Tooling {
  const withChromium = opts.withChromium ?? true;
  const hit = cached.get(withChromium) ?? cached.get(true);
  if (hit) return hit;
  const script = path.join(repoRoot(), 'scripts', 'vscode-tooling.sh');
  const args = [script, '--print-env', ...(withChromium ? [] : ['--no-chromium'])];
  const out = execFileSync('bash', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const vars = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^(PC_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) vars.set(m[1], m[2]);
  }
  const get = (k: string): string => {
    const v = vars.get(k);
    if (!v) throw new Error(`vscode-tooling.sh did not report ${k}`);
    return v;
  };
  const t: Tooling = {
    node24: get('PC_NODE24'),
    codeServerEntry: get('PC_CODE_SERVER_ENTRY'),
    chromium: withChromium ? get('PC_CHROMIUM') : (vars.get('PC_CHROMIUM') ?? ''),
  };
  cached.set(withChromium, t);
  return t;
}
