/**
 * `npm run demo`: the extension in a real VS Code against a local Databricks workspace emulator
 * (demo seed) and the partner simulator; no Databricks account needed.
 *
 * - desktop `code --extensionDevelopmentPath=out/dev-extension` (fresh user-data dir) when `code` is on PATH,
 * - otherwise code-server on 127.0.0.1 (installed on demand by scripts/vscode-tooling.sh, cached outside
 *   the repository) with out/dev-extension as the development extension; prints the URL to open.
 * out/dev-extension (built by `node esbuild.mjs`) is the extension with the demo hooks of
 * src/vscode/dev, which run only in a development host: the VSIX has none.
 * The demo workspace reaches the extension through the environment (PC_DEMO_HOST, PC_DEMO_TOKEN,
 * PC_PARTNER_SIM_*; see test/harness/services.ts). Ctrl-C (SIGINT/SIGTERM) stops everything it started.
 *
 *   npm run demo -- [--port N] [--code-server] [--seed file.json] [--fleet] [--check]
 *   --port N         code-server port (default: PC_DEMO_PORT or a free port)
 *   --code-server    use code-server even when `code` is on PATH
 *   --seed FILE      another emulator seed (default test/emulator/seeds/demo-partners.json: partners in every state)
 *   --fleet          a Databricks account of 13 workspaces (test/account-emulator, demo fleet) instead of the one
 *                    demo workspace: the account node, the fleet matrix and the bulk actions
 *   --check          start-up check, no browser and no waiting: starts everything as the demo does (code-server
 *                    with the packaged extension), checks that each part answers, stops everything; exit 0 = the
 *                    demo starts (CI runs it from a bare clone: .ci/bare-clone.sh)
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SETTINGS, startCodeServer, stopGroup, trackGroup, untrackGroup } from '../test/harness/codeServer';
import { devExtensionPath } from '../test/harness/paths';
import { ensureTooling } from '../test/harness/tooling';
import { DEMO_PARTNERS_SEED_PATH, startServices, type Services } from '../test/harness/services';
import { PartnerConfig } from '../src/client/partner/partnerConfig';
import { fleetEnvironment, startFleetServices, type FleetServices } from '../test/account-emulator/services';

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
}

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Resolves on the first SIGINT/SIGTERM. */
function interrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

function describeServices(s: Services): void {
  const admin = [...s.emulator.state.users.values()].find((u) => u.groups.has('admins'));
  say(`  workspace emulator:  ${s.emulator.url}   (seed workspace "${s.env.PC_DEMO_WORKSPACE_NAME}", signed in as ${admin?.userName ?? 'the seed admin'})`);
  say(`  partner simulator:   ${s.partnerSim.url}`);
}

/** GET with a bound; the status and the body text, or the reason it failed. */
async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000), redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

/**
 * The start-up check (`--check`): every part of the demo answers as the extension will ask it to.
 * Returns the failures (empty = the demo starts). Never prints a credential.
 */
async function checkDemo(s: Services, workbenchUrl: string, healthUrl: string, fleet?: FleetServices): Promise<string[]> {
  const problems: string[] = [];
  const check = async (what: string, run: () => Promise<string | undefined>) => {
    try {
      const problem = await run();
      say(`  ${problem ? 'FAIL' : 'ok  '} ${what}${problem ? `: ${problem}` : ''}`);
      if (problem) problems.push(`${what}: ${problem}`);
    } catch (e) {
      say(`  FAIL ${what}: ${e instanceof Error ? e.message : String(e)}`);
      problems.push(what);
    }
  };
  if (fleet) {
    await check('account emulator: the account admin lists the workspaces', async () => {
      const { createAccountClient } = await import('../src/client');
      const client = createAccountClient({ host: fleet.acct.url, accountId: fleet.acct.accountId, auth: { type: 'oauth-m2m', clientId: fleet.acct.admin.applicationId, clientSecret: fleet.acct.admin.secret }, env: {} });
      try {
        const n = (await client.listWorkspaces()).length;
        return n >= 12 ? undefined : `${n} workspaces`;
      } finally {
        await client.close();
      }
    });
  }
  await check('workspace emulator: SCIM Me with the demo token', async () => {
    const r = await get(`${s.env.PC_DEMO_HOST}/api/2.0/preview/scim/v2/Me`, { authorization: `Bearer ${s.env.PC_DEMO_TOKEN}` });
    return r.status === 200 && /"userName"/.test(r.text) ? undefined : `HTTP ${r.status}`;
  });
  await check('partner simulator: the PartnerConfig file the extension reads', async () => {
    const r = PartnerConfig.safeParse(JSON.parse(fs.readFileSync(s.partnerConfigFile, 'utf8')));
    return r.success && r.data.base_url === s.partnerSim.url ? undefined : 'not a PartnerConfig pointing at the simulator';
  });
  await check('partner simulator: GET /connectors as Databricks calls it', async () => {
    const basic = Buffer.from(`${s.partnerSim.credentials.username}:${s.partnerSim.credentials.password}`).toString('base64');
    const r = await get(`${s.partnerSim.url}/connectors`, { authorization: `Basic ${basic}`, 'user-agent': 'databricks' });
    const rec = s.partnerSim.requests.at(-1);
    return r.status === 200 && rec?.valid && rec.replyErrors.length === 0 ? undefined : `HTTP ${r.status} ${rec?.errors.join('; ') ?? ''}`;
  });
  await check('code-server: /healthz', async () => {
    const r = await get(healthUrl);
    return r.status === 200 ? undefined : `HTTP ${r.status}`;
  });
  await check('code-server: the workbench page of the demo folder', async () => {
    const r = await get(workbenchUrl);
    return r.status === 200 && /<html/i.test(r.text) ? undefined : `HTTP ${r.status}`;
  });
  return problems;
}

async function main(): Promise<number> {
  const seed = arg('seed');
  const checkOnly = process.argv.includes('--check');
  const forceCodeServer = checkOnly || process.argv.includes('--code-server') || process.env.PC_DEMO_CODE_SERVER === '1';
  const portText = arg('port') ?? process.env.PC_DEMO_PORT;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`invalid --port ${portText ?? ''}`);
  const useDesktop = !forceCodeServer && onPath('code');

  const devExtension = devExtensionPath();
  if (!fs.existsSync(path.join(devExtension, 'dist', 'extension.js'))) throw new Error('out/dev-extension is missing: run "node esbuild.mjs"');
  const stop = interrupted();
  const services = await startServices({ seed: seed ? path.resolve(seed) : DEMO_PARTNERS_SEED_PATH });
  const cleanups: Array<() => Promise<void>> = [() => services.close()];
  const fleet = process.argv.includes('--fleet') ? await startFleetServices({ partnerSim: services.partnerSim }) : undefined;
  if (fleet) cleanups.push(() => fleet.close());
  const env = fleet ? fleetEnvironment(services.env, fleet) : services.env;
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-demo-'));
  cleanups.push(async () => fs.rmSync(tempDir, { recursive: true, force: true }));
  const folder = path.join(tempDir, 'demo-folder');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'README.md'),
    '# Partner Connect demo\n\nOpen the **Partner Connect** view in the activity bar: the demo workspace is served by the local emulator.\n',
  );

  try {
    let exited: Promise<unknown>;
    if (useDesktop) {
      const userDataDir = path.join(tempDir, 'user-data');
      fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
      fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify({ ...DEFAULT_SETTINGS, ...services.settings }, null, 2)}\n`);
      const child = spawn(
        'code',
        ['--wait', '--new-window', '--user-data-dir', userDataDir, `--extensionDevelopmentPath=${devExtension}`, '--disable-workspace-trust', folder],
        { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' },
      );
      const pid = child.pid;
      if (pid === undefined) throw new Error('could not start `code`');
      trackGroup(pid);
      cleanups.unshift(async () => {
        await stopGroup(pid);
        untrackGroup(pid);
      });
      exited = new Promise((r) => child.once('exit', r));
      say('Partner Connect demo is running:');
      say(`  VS Code (desktop):   a new window with the extension from ${devExtension}`);
    } else {
      const cs = await startCodeServer({
        folder,
        devExtension,
        env,
        settings: services.settings,
        ...(port !== undefined ? { port } : {}),
        logFile: path.join(tempDir, 'code-server.log'),
        tooling: ensureTooling({ withChromium: false }),
      });
      cleanups.unshift(() => cs.stop());
      exited = cs.exited;
      if (checkOnly) {
        say('[demo] start-up check:');
        const problems = await checkDemo(services, cs.workbenchUrl(), `${cs.url}/healthz`, fleet);
        say(problems.length === 0 ? '[demo] start-up check passed; stopping' : `[demo] start-up check FAILED (${problems.length}); stopping`);
        return problems.length === 0 ? 0 : 1;
      }
      say('Partner Connect demo is running:');
      say(`  VS Code (code-server): ${cs.workbenchUrl()}`);
    }
    describeServices(services);
    if (fleet) {
      say(`  account emulator:    ${fleet.acct.url}   (account ${fleet.acct.accountId}: ${fleet.acct.workspaces.length} workspaces, signed in as the account service principal ${fleet.acct.admin.displayName})`);
      say('  The Partner Connect view shows the account "Acme account"; click it (or run "Partner Connect: Open Fleet Matrix") for the Partner × workspace matrix.');
    }
    say('Open the Partner Connect view in the activity bar. Press Ctrl-C to stop everything.');
    const why = await Promise.race([stop, exited.then(() => 'exit' as const)]);
    say(why === 'exit' ? '[demo] VS Code exited; stopping' : `[demo] ${why}: stopping`);
    return 0;
  } finally {
    for (const c of cleanups) await c().catch((e: unknown) => process.stderr.write(`[demo] cleanup: ${String(e)}\n`));
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[demo] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
