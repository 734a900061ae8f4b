/**
 * End-to-end journeys in a real VS Code: builds the development extension (`node esbuild.mjs --dev`:
 * out/dev-extension, the shipped bundle plus the demo hooks of src/vscode/dev - the VSIX has none, so
 * it cannot be driven by PC_DEMO_*), starts the workspace emulator (demo-partners.json: partners in
 * every state) and the partner simulator, starts code-server with that extension as
 * extensionDevelopmentPath (ExtensionMode.Development) and the demo workspace preconfigured, then runs
 * each compiled test/e2e/*.e2e.js journey in order with headless chromium. Prints `ok N - name` / `not ok N - name` per journey and
 * "[e2e] N passed, N failed"; writes test-results/e2e.json and screenshots in test-results/screenshots.
 * The last result is the secret scan (test/harness/secretScan.ts): no credential the doubles issued is
 * in any file of the run, its output, the workspace's files or the page after each journey.
 *
 *   npx tsc -p . && node out/scripts/run-e2e.js [--no-build] [name-filter ...]
 * Env: PC_E2E_GREP (substring of file or journey name), PC_VERBOSE=1 (browser console).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, openWorkbench, screenshot, type BrowserSession } from '../test/harness/browser';
import { startCodeServer } from '../test/harness/codeServer';
import { devExtensionPath, repoRoot, resultsDir } from '../test/harness/paths';
import { DEMO_PARTNERS_SEED_PATH, seedPartnerConnections, startServices } from '../test/harness/services';
import { isJourney, type Journey, type JourneyContext } from '../test/e2e/journey';
import { extensionLogTail } from '../test/e2e/support';
import { describeScan, scanForSecrets, workspaceFileTexts } from '../test/harness/secretScan';

interface Result {
  file: string;
  name: string;
  ok: boolean;
  seconds: number;
  error?: string;
}

function listJourneys(root: string, filters: string[]): string[] {
  const dir = path.join(root, 'out', 'test', 'e2e');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.e2e.js'))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .map((f) => path.join(dir, f));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

function errorText(e: unknown): string {
  if (e instanceof Error) return (e.stack ?? e.message).split('\n').slice(0, 12).join('\n');
  return String(e);
}

async function main(): Promise<number> {
  const root = repoRoot();
  const args = process.argv.slice(2);
  const noBuild = args.includes('--no-build') || args.includes('--no-package');
  const filters = args.filter((a) => !a.startsWith('--'));
  if (process.env.PC_E2E_GREP) filters.push(process.env.PC_E2E_GREP);
  const verbose = process.env.PC_VERBOSE === '1';
  const reportFile = path.join(resultsDir(), 'e2e.json');
  fs.rmSync(reportFile, { force: true });
  const started = Date.now();

  // Everything this runner prints is searched by the secret scan too.
  let printed = '';
  const write = process.stdout.write.bind(process.stdout) as (s: string) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    printed += typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  const files = listJourneys(root, filters);
  if (files.length === 0) throw new Error('no journeys found in out/test/e2e (run "npx tsc -p ." first)');

  const devExtension = devExtensionPath();
  if (!noBuild || !fs.existsSync(path.join(devExtension, 'dist', 'extension.js'))) {
    process.stdout.write('[e2e] node esbuild.mjs --dev\n');
    execFileSync(process.execPath, ['esbuild.mjs', '--dev'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  const services = await startServices({ seed: DEMO_PARTNERS_SEED_PATH });
  const cleanups: Array<() => Promise<void>> = [() => services.close()];
  const results: Result[] = [];
  /** for the secret scan: credentials the journeys' own doubles issued; the workspace's files and the page after each journey */
  const credentials = new Set<string>();
  const scannedTexts = new Map<string, string>();
  try {
    const cs = await startCodeServer({
      devExtension,
      env: services.env,
      // Sticky scroll pins an ancestor row over the real one once the tree is scrolled; a click on the
      // pinned copy only scrolls, so a journey's click on a workspace or account row could do nothing.
      settings: { ...services.settings, 'workbench.tree.enableStickyScroll': false },
      logFile: path.join(resultsDir(), 'e2e.code-server.log'),
    });
    cleanups.unshift(() => cs.stop());
    process.stdout.write(`[e2e] code-server ${cs.url} with ${path.relative(root, devExtension)}; emulator ${services.emulator.url}; partner simulator ${services.partnerSim.url}\n`);

    /** The page as a journey left it, for the secret scan: every frame's HTML (webviews, notifications) and the values of its inputs. */
    const captureDom = async (page: BrowserSession['page'], label: string): Promise<void> => {
      for (const [i, f] of page.frames().entries()) {
        const text = await f
          .evaluate(() => `${document.documentElement.outerHTML}\n${Array.from(document.querySelectorAll('input, textarea'), (e) => (e as HTMLInputElement).value).join('\n')}`)
          .catch(() => '');
        if (text) scannedTexts.set(`the page ${label}, frame ${i} (${f.url().slice(0, 80)})`, text);
      }
    };

    /**
     * After the last journey, before code-server stops and its folders go: no credential value the
     * doubles issued is in any file of the run, the workspace's files, the page after each journey
     * (the DOM of the workbench, its notifications and every webview) or this runner's output.
     */
    const secretScan = (): Result => {
      const t0 = Date.now();
      workspaceFileTexts(services.emulator.state.files, scannedTexts, 'after the last journey');
      scannedTexts.set('the e2e runner output', printed);
      const r = scanForSecrets({
        secrets: [...services.emulator.state.issuedCredentials, services.partnerSim.credentials.password, ...credentials],
        dirs: [cs.userDataDir, cs.folder, path.join(cs.tempDir, 'xdg'), resultsDir()],
        files: [cs.logFile],
        texts: scannedTexts,
        skip: (f) => f === reportFile || f === cs.logFile,
      });
      const ok = r.leaks.length === 0;
      const seconds = (Date.now() - t0) / 1000;
      n++;
      process.stdout.write(`${ok ? 'ok' : 'not ok'} ${n} - secret scan (${seconds.toFixed(1)} s)\n  # ${describeScan(r).replace(/\n/g, '\n  # ')}\n`);
      return { file: '(secret scan)', name: 'secret scan: no credential in any file, log line or record of the run', ok, seconds, error: ok ? undefined : describeScan(r) };
    };

    let n = 0;
    // The page of the previous journey, kept for a next journey that asks to reuse the workbench
    // (`reuseWorkbench`) when the previous one passed: saves a browser start, a workbench load and an
    // extension activation (~25 s each on 2 cores).
    let kept: BrowserSession | undefined;
    cleanups.unshift(async () => kept?.close());
    for (const file of files) {
      n++;
      const t0 = Date.now();
      let journey: Journey | undefined;
      let browser: BrowserSession | undefined;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a journey file found at run time, loaded by its path
        const mod = require(file) as { default?: unknown };
        if (!isJourney(mod.default)) throw new Error(`${path.basename(file)} has no default export made with defineJourney()`);
        const j = mod.default;
        journey = j;
        if (j.resetEmulator !== false) {
          workspaceFileTexts(services.emulator.state.files, scannedTexts, `before ${path.basename(file)}`);
          services.emulator.reset();
          seedPartnerConnections(services.emulator, services.partnerSim);
        }
        services.emulator.clearRequests();
        services.partnerSim.clearRequests();
        const reuse = j.reuseWorkbench === true && kept !== undefined;
        if (!reuse) await kept?.close();
        const b = reuse && kept ? kept : await launchBrowser({ onConsole: verbose ? (l) => process.stdout.write(`  [browser] ${l}\n`) : undefined });
        kept = undefined;
        browser = b;
        const slug = path.basename(file, '.e2e.js');
        const ctx: JourneyContext = {
          page: b.page,
          codeServer: cs,
          services,
          step: (name) => screenshot(b.page, slug, name),
          log: (m) => process.stdout.write(`  # ${m}\n`),
          openWorkbench: () => openWorkbench(b.page, cs.workbenchUrl()),
          credentials,
        };
        await withTimeout(
          (async () => {
            if (!reuse) await ctx.openWorkbench();
            await j.run(ctx);
          })(),
          j.timeoutMs ?? 180_000,
          `journey "${j.name}"`,
        );
        const seconds = (Date.now() - t0) / 1000;
        results.push({ file: path.basename(file), name: j.name, ok: true, seconds });
        await captureDom(b.page, `after ${path.basename(file)}`);
        process.stdout.write(`ok ${n} - ${j.name} (${seconds.toFixed(1)} s)\n`);
        kept = browser;
        browser = undefined;
      } catch (e) {
        const seconds = (Date.now() - t0) / 1000;
        const name = journey?.name ?? path.basename(file);
        if (browser) {
          await captureDom(browser.page, `after ${path.basename(file)} (failed)`);
          const shot = await screenshot(browser.page, path.basename(file, '.e2e.js'), 'failure').catch(() => undefined);
          if (shot) process.stdout.write(`  # screenshot: ${path.relative(root, shot)}\n`);
        }
        results.push({ file: path.basename(file), name, ok: false, seconds, error: errorText(e) });
        process.stdout.write(`not ok ${n} - ${name} (${seconds.toFixed(1)} s)\n${errorText(e).replace(/^/gm, '  # ')}\n`);
        process.stdout.write(`  # the extension's log, last lines:\n${extensionLogTail(cs.userDataDir, 25).replace(/^/gm, '  #   ')}\n`);
      } finally {
        await browser?.close();
      }
    }
    await kept?.close();
    kept = undefined;
    results.push(secretScan());
  } finally {
    for (const c of cleanups) await c().catch((e: unknown) => process.stderr.write(`cleanup: ${String(e)}\n`));
  }
  const passed = results.filter((r) => r.ok).length;
  process.stdout.write = write as typeof process.stdout.write;
  const failed = results.length - passed;
  fs.writeFileSync(reportFile, `${JSON.stringify({ passes: passed, failures: failed, results }, null, 2)}\n`);
  process.stdout.write(`[e2e] ${passed} passed, ${failed} failed (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[e2e] ${errorText(e)}\n`);
    try {
      fs.writeFileSync(path.join(resultsDir(), 'e2e.json'), `${JSON.stringify({ passes: 0, failures: 1, results: [], error: errorText(e) })}\n`);
    } catch {
      /* best effort */
    }
    process.exit(1);
  },
);
