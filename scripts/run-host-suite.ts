/**
 * Runs the extension-host mocha suite (test/suite) inside a real VS Code: code-server started with
 * `--vscode-option enable-smoke-test-driver`, opened by headless chromium on a URL whose `payload`
 * carries extensionDevelopmentPath (out/dev-extension: the dev bundle with the test API, built by
 * `node esbuild.mjs`) and extensionTestsPath (out/test/suite/index.js): ExtensionMode.Test. The suite's exit code comes back through
 * `window.codeAutomationExit`, its mocha output through the browser console.
 *
 *   npx tsc -p . && node esbuild.mjs && node out/scripts/run-host-suite.js
 *
 * Env: PC_SUITE_GREP (mocha grep), PC_VERBOSE=1 (print the whole browser console),
 * PC_HOST_SUITE_TIMEOUT_MS (default 300000).
 * Writes test-results/host-suite.json ({passes, failures, pending, failed}) and prints
 * "[host-suite] N passed, N failed". The secret scan (test/harness/secretScan.ts) counts as one more
 * test: no credential the runner's emulator and partner simulator issued is in any file of the run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, screenshot } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/codeServer';
import { devExtensionPath, repoRoot, resultsDir } from '../test/harness/paths';
import { startServices } from '../test/harness/services';
import { describeScan, scanForSecrets, workspaceFileTexts } from '../test/harness/secretScan';

interface SuiteReport {
  passes: number;
  failures: number;
  pending: number;
  failed: string[];
}

function parseReport(file: string): SuiteReport | undefined {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!raw || typeof raw !== 'object') return undefined;
    const r = raw as Record<string, unknown>;
    const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    return {
      passes: num(r.passes),
      failures: num(r.failures),
      pending: num(r.pending),
      failed: Array.isArray(r.failed) ? r.failed.filter((x): x is string => typeof x === 'string') : [],
    };
  } catch {
    return undefined;
  }
}

/** The suite marks its own lines (test/suite/index.ts OUTPUT_MARKER); the rest is workbench noise. */
const OUTPUT_MARKER = '[pc-suite] ';
function hostLine(text: string): string | undefined {
  const i = text.indexOf(OUTPUT_MARKER);
  return i < 0 ? undefined : text.slice(i + OUTPUT_MARKER.length).trimEnd();
}

/**
 * A VSIX of test/suite/fixtures/databricks-extension: a stand-in for the official Databricks extension
 * (its id, its databricks.overrideDatabricksConfigFile setting and a CLI at bin/databricks), so the
 * suite can show that both are used when that extension is installed. Built in a temp folder (~3 s).
 */
function officialExtensionStandIn(root: string): string {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pc-standin-')), 'databricks-standin.vsix');
  const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { cwd: path.join(root, 'test', 'suite', 'fixtures', 'databricks-extension'), stdio: 'ignore' });
  return out;
}

async function main(): Promise<number> {
  const root = repoRoot();
  const suiteEntry = path.join(root, 'out', 'test', 'suite', 'index.js');
  for (const f of [suiteEntry, path.join(devExtensionPath(), 'dist', 'extension.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run "npx tsc -p . && node esbuild.mjs" first`);
  }
  const reportFile = path.join(resultsDir(), 'host-suite.json');
  fs.rmSync(reportFile, { force: true });
  const timeoutMs = Number(process.env.PC_HOST_SUITE_TIMEOUT_MS ?? 300_000);
  const verbose = process.env.PC_VERBOSE === '1';
  const started = Date.now();

  const services = await startServices();
  // the credentials the suite's own doubles issue come back through a file outside every scanned folder
  const credsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-suite-credentials-'));
  const credsFile = path.join(credsDir, 'issued.json');
  const cleanups: Array<() => Promise<void>> = [() => services.close(), async () => fs.rmSync(credsDir, { recursive: true, force: true })];
  try {
    const standIn = officialExtensionStandIn(root);
    cleanups.push(() => Promise.resolve(fs.rmSync(path.dirname(standIn), { recursive: true, force: true })));
    const cs = await startCodeServer({
      smokeTestDriver: true,
      devExtension: devExtensionPath(),
      vsix: [standIn],
      env: { ...services.env, PC_SUITE_REPORT: reportFile, PC_SUITE_CREDENTIALS: credsFile, ...(process.env.PC_SUITE_GREP ? { PC_SUITE_GREP: process.env.PC_SUITE_GREP } : {}) },
      settings: services.settings,
      logFile: path.join(resultsDir(), 'host-suite.code-server.log'),
    });
    cleanups.unshift(() => cs.stop());
    let printed = '';
    const browser = await launchBrowser({
      onConsole: (text) => {
        const line = hostLine(text);
        if (line !== undefined) printed += `${line}\n`;
        if (line !== undefined) process.stdout.write(`  ${line}\n`);
        else if (verbose) process.stdout.write(`  [browser] ${text}\n`);
      },
    });
    cleanups.unshift(() => browser.close());

    let settle: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    await browser.page.exposeFunction('codeAutomationExit', (code: unknown) => {
      settle(typeof code === 'number' ? code : 1);
    });
    const url = cs.workbenchUrl({
      payload: [['extensionTestsPath', cs.remoteUri(suiteEntry)]],
    });
    await browser.page.goto(url, { waitUntil: 'domcontentloaded' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stdout.write(`[host-suite] no result after ${timeoutMs} ms\n`);
        resolve(124);
      }, timeoutMs);
    });
    const code = await Promise.race([exitCode, timeout, cs.exited.then(() => 125)]);
    clearTimeout(timer);
    if (code !== 0) {
      await screenshot(browser.page, 'host-suite', 'failure').catch(() => undefined);
    }
    const parsed = parseReport(reportFile);
    // The secret scan (test/harness/secretScan.ts), before code-server stops and its folders go: no
    // credential the runner's emulator or partner simulator handed out is in any file of the run,
    // the workspace's files, or the suite's output. Counted as one more test of the suite.
    const texts = new Map<string, string>([['the host suite output', printed]]);
    workspaceFileTexts(services.emulator.state.files, texts, 'after the suite');
    let inSuite: string[] = [];
    try {
      const raw: unknown = JSON.parse(fs.readFileSync(credsFile, 'utf8'));
      if (Array.isArray(raw)) inSuite = raw.filter((x): x is string => typeof x === 'string');
    } catch {
      /* the suite did not get that far: its report says so */
    }
    fs.rmSync(credsDir, { recursive: true, force: true });
    const scan = scanForSecrets({
      secrets: [...services.emulator.state.issuedCredentials, services.partnerSim.credentials.password, ...inSuite],
      dirs: [cs.userDataDir, cs.folder, path.join(cs.tempDir, 'xdg'), resultsDir()],
      files: [cs.logFile],
      texts,
      skip: (f) => f === reportFile || f === cs.logFile,
    });
    process.stdout.write(`[host-suite] secret scan: ${describeScan(scan)}\n`);
    const report = parsed && (scan.leaks.length === 0 ? { ...parsed, passes: parsed.passes + 1 } : { ...parsed, failures: parsed.failures + 1, failed: [...parsed.failed, `secret scan: ${describeScan(scan)}`] });
    if (report) fs.writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    const passes = report?.passes ?? 0;
    // No report (the suite never ran) counts as one failure.
    const failures = report ? report.failures : 1;
    if (report) {
      for (const t of report.failed) process.stdout.write(`[host-suite] failed: ${t}\n`);
    } else {
      process.stdout.write(`[host-suite] the suite did not report (exit code ${code}); code-server log: ${path.relative(root, cs.logFile)}\n`);
    }
    const ok = code === 0 && failures === 0 && report !== undefined;
    process.stdout.write(`[host-suite] ${passes} passed, ${ok ? failures : Math.max(failures, 1)} failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    if (!ok && report) fs.writeFileSync(reportFile, `${JSON.stringify({ ...report, failures: Math.max(failures, 1) }, null, 2)}\n`);
    if (!report) fs.writeFileSync(reportFile, `${JSON.stringify({ passes: 0, failures: 1, pending: 0, failed: ['(suite did not run)'] }, null, 2)}\n`);
    return ok ? 0 : 1;
  } finally {
    for (const c of cleanups) await c().catch((e: unknown) => process.stderr.write(`cleanup: ${String(e)}\n`));
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[host-suite] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    try {
      fs.writeFileSync(path.join(resultsDir(), 'host-suite.json'), `${JSON.stringify({ passes: 0, failures: 1, pending: 0, failed: ['(runner error)'] })}\n`);
    } catch {
      /* best effort */
    }
    process.exit(1);
  },
);
