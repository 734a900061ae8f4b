/**
 * The secret scan (issue 11, standing guarantee "Secrets"): after the e2e journeys and after the
 * extension-host suite, every file the run wrote is searched for every credential value the test
 * doubles handed out - the workspace emulator's PATs, OAuth secrets and OAuth access tokens (seeded
 * and issued, `state.issuedCredentials`), the partner simulator's password - in each textual form
 * (`test/fixtures/secrets.ts`: as is, URL-encoded, JSON-escaped, base64; UTF-8 and UTF-16). None may
 * appear. Leaks are reported by file and sha256 fingerprint, never by value.
 *
 * Searched: code-server's user-data dir (settings, globalState/workspaceState in state.vscdb, the
 * extension's log channel under logs/, every other log), the workspace folder, the XDG dirs, the
 * run's code-server log, everything under test-results/ but the screenshots (pixels), and the text
 * of every file the workspace held after each journey, the records among them (`workspaceFileTexts`, collected by the runner
 * before it resets the emulator).
 * Not searched: VS Code's SecretStorage (where credentials belong; in code-server it lives in the
 * browser, outside these folders) and the extensions dir (the installed bundle, not written by a run).
 */
import * as fs from 'node:fs';
import { filesUnder } from '../fixtures/files';
import { describeLeaks, secretsIn } from '../fixtures/secrets';

export interface ScanInput {
  secrets: Iterable<string>;
  /** folders searched recursively */
  dirs: string[];
  /** single files */
  files?: string[];
  /** texts that are not files: `where` → text (e.g. the workspace's records after a journey) */
  texts?: Map<string, string>;
  /** paths the walk of `dirs` leaves out (checked against the absolute path) */
  skip?: (file: string) => boolean;
}

export interface ScanResult {
  secrets: number;
  files: number;
  bytes: number;
  leaks: { where: string; fingerprints: string[] }[];
  ms: number;
}

/** Pixels are not text: a screenshot cannot be searched for a value (and the journeys' own asserts cover the DOM). */
export const notText = (file: string): boolean => /\.(png|jpe?g|webp|gif|woff2?|ttf)$/i.test(file);

export function scanForSecrets(input: ScanInput): ScanResult {
  const t0 = Date.now();
  const secrets = [...new Set(input.secrets)].filter((s) => s.length >= 8);
  const result: ScanResult = { secrets: secrets.length, files: 0, bytes: 0, leaks: [], ms: 0 };
  const skip = (f: string): boolean => notText(f) || (input.skip?.(f) ?? false);
  const scanFile = (file: string): void => {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return; // gone meanwhile (a log rotated, a lock file)
    }
    result.files++;
    result.bytes += data.length;
    const found = secretsIn(data, secrets);
    if (found.length) result.leaks.push({ where: file, fingerprints: found });
  };
  for (const d of input.dirs) for (const f of filesUnder(d, skip)) scanFile(f);
  for (const f of input.files ?? []) if (!notText(f) && fs.existsSync(f)) scanFile(f); // named files are searched even when `skip` leaves them out of the walk
  for (const [where, text] of input.texts ?? []) {
    result.bytes += Buffer.byteLength(text);
    const found = secretsIn(text, secrets);
    if (found.length) result.leaks.push({ where, fingerprints: found });
  }
  result.ms = Date.now() - t0;
  return result;
}

/** One line for the runner's output: what was searched, for how many values, and the leaks. */
export function describeScan(r: ScanResult): string {
  const head = `${r.secrets} credential values in ${r.files} files (${(r.bytes / 1024 / 1024).toFixed(1)} MiB) and the records, ${r.ms} ms`;
  return r.leaks.length === 0 ? `no credential found: ${head}` : `${r.leaks.length} place(s) hold a credential (${head}):\n${describeLeaks(r.leaks)}`;
}

/** Every file the workspace held (the records and anything else written there), by path, into `into`. */
export function workspaceFileTexts(files: Map<string, { type: string; content: Buffer }>, into: Map<string, string>, label: string): void {
  for (const [p, f] of files) if (f.type !== 'DIRECTORY' && f.content.length > 0) into.set(`workspace file ${p} (${label})`, f.content.toString('utf8'));
}
