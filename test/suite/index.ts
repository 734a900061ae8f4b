/**
 * Entry of the extension-host test suite (what `extensionTestsPath` points at).
 * Runs every compiled `*.suite.js` below this folder with mocha (BDD) inside the extension host, where
 * the `vscode` module is provided by the host. Used by scripts/run-host-suite.ts (code-server,
 * smoke-test-driver payload) and by test/suite/electron.ts (@vscode/test-electron).
 *
 * Environment: PC_SUITE_GREP filters tests by title; PC_SUITE_REPORT names a JSON file receiving
 * {passes, failures, pending, failed: [titles]} for the runner's summary; PC_SUITE_CREDENTIALS names a
 * file receiving the credentials the suite's own test doubles issued, for the runner's secret scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { issuedInSuite } from './ui-support/issuedCredentials';

/**
 * Marks the suite's own output lines: the extension host forwards console output to the browser
 * console mixed with the workbench's, and the runner prints only the marked lines.
 */
export const OUTPUT_MARKER = '[pc-suite] ';

function emit(...args: unknown[]): void {
  const text = args.length === 0 ? '' : format(...(args as [unknown, ...unknown[]]));
  for (const line of text.split('\n')) console.log(`${OUTPUT_MARKER}${line}`);
}

type MochaCtor = typeof import('mocha');

function loadMocha(): MochaCtor {
  // mocha 12's package entry is an ES module; its CommonJS build loads on every Node an extension host runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file that a static import would resolve to the ESM entry
  const m = require('mocha/lib/mocha.cjs') as MochaCtor | { default: MochaCtor };
  return 'default' in m ? m.default : m;
}

export function collectSuiteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...collectSuiteFiles(p));
    else if (e.isFile() && e.name.endsWith('.suite.js')) out.push(p);
  }
  return out.sort();
}

export async function run(): Promise<void> {
  const Mocha = loadMocha();
  // The spec reporter prints through Base.consoleLog with printf-style arguments: format them here.
  Mocha.reporters.Base.consoleLog = emit;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.PC_SUITE_GREP;
  if (grep) mocha.grep(grep);
  const files = collectSuiteFiles(__dirname);
  if (files.length === 0) throw new Error(`no *.suite.js files under ${__dirname}`);
  for (const f of files) mocha.addFile(f);

  const failed: string[] = [];
  const counts = await new Promise<{ passes: number; failures: number; pending: number }>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve({ passes: runner.stats?.passes ?? 0, failures: runner.stats?.failures ?? 0, pending: runner.stats?.pending ?? 0 }));
      runner.on('fail', (t) => failed.push(t.fullTitle()));
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
  const report = process.env.PC_SUITE_REPORT;
  if (report) fs.writeFileSync(report, `${JSON.stringify({ ...counts, failed }, null, 2)}\n`);
  const credentials = process.env.PC_SUITE_CREDENTIALS;
  if (credentials) fs.writeFileSync(credentials, JSON.stringify([...issuedInSuite]), { mode: 0o600 });
  emit(`${counts.passes} passing, ${counts.failures} failing, ${counts.pending} pending`);
  if (counts.failures > 0) throw new Error(`${counts.failures} extension-host test(s) failed`);
}
