/**
 * Sign-in and network in the real extension host: VS Code's http.proxy setting reaches the client
 * (a local CONNECT proxy sees the workspace traffic), Add Workspace through the Azure CLI (a fake
 * `az` on PATH), an expired Databricks CLI login offered in a terminal and retried, and the profile
 * picker listing profiles as the CLI does (never [__settings__]).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startConnectProxy } from '../fixtures/network';
import { waitUntil } from '../fixtures/wait';
import { api, demoWorkspace, requireEnv, withPrompter } from './ui-support/env';

const posix = process.platform !== 'win32';

/** A temp dir with fake executables, prepended to the extension host's PATH for `body`. */
async function withFakeTools<T>(tools: Record<string, string>, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-fake-tools-'));
  for (const [name, script] of Object.entries(tools)) {
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  }
  const saved = process.env.PATH;
  process.env.PATH = `${dir}${path.delimiter}${saved ?? ''}`;
  try {
    return await body(dir);
  } finally {
    process.env.PATH = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A fake `databricks` (v0.250.0) that logs its calls to databricks.calls: `auth token` prints the
 * token while the file logged-in exists, else the CLI's expired-refresh-token error; `auth login`
 * creates logged-in.
 */
function fakeDatabricksCli(token: string): string {
  return [
    'D="$(dirname "$0")"',
    'if [ "$1" = version ]; then echo "Databricks CLI v0.250.0"; exit 0; fi',
    'echo "$@" >> "$D/databricks.calls"',
    'if [ "$2" = login ]; then touch "$D/logged-in"; exit 0; fi',
    `if [ -f "$D/logged-in" ]; then printf '{"access_token":"%s","token_type":"Bearer"}' "${token}"; exit 0; fi`,
    'echo "Error: A new access token could not be retrieved because the refresh token is invalid." >&2; exit 1',
  ].join('\n');
}

describe('Sign-in and network', function () {
  this.timeout(120_000);

  it('http.proxy (VS Code setting) reaches the client: workspace requests tunnel through it', async () => {
    const a = await api();
    const proxy = await startConnectProxy();
    const http = vscode.workspace.getConfiguration('http');
    try {
      await http.update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      await a.services.model.refresh(demoWorkspace());
      const snap = await a.services.model.snapshot(demoWorkspace());
      assert.equal(snap.identity.userName, 'ava.admin@acme.example');
      const emulatorHost = new URL(requireEnv('PC_EMULATOR_URL')).host;
      assert.ok(proxy.seen.some((s) => s.kind === 'connect' && s.target === emulatorHost), JSON.stringify(proxy.seen));
    } finally {
      await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
      await proxy.close();
      await a.services.model.refresh(demoWorkspace());
    }
  });

  it('adds a workspace through the Azure CLI (a fake az on PATH): no secret stored, az asked for the AzureDatabricks resource', async function () {
    if (!posix) this.skip();
    const a = await api();
    const token = requireEnv('PC_EMULATOR_ADMIN_TOKEN');
    await withFakeTools({ az: `echo "$@" >> "$(dirname "$0")/az.calls"\nprintf '{"accessToken":"%s","expiresOn":"2999-01-01 00:00:00.000000","tokenType":"Bearer"}' "${token}"` }, async (dir) => {
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'Azure Databricks through the Azure CLI (az login)')
          .answer('addWorkspace.host', requireEnv('PC_EMULATOR_URL'))
          .answer('addWorkspace.tenantId', '')
          .answer('addWorkspace.name', 'Azure CLI workspace');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(p.of('notify').filter((n) => n.severity === 'error'), []);
        assert.deepEqual(a.services.store.get('Azure CLI workspace'), { name: 'Azure CLI workspace', host: requireEnv('PC_EMULATOR_URL'), authType: 'azure-cli' });
        assert.match(fs.readFileSync(path.join(dir, 'az.calls'), 'utf8'), /account get-access-token --resource 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d --output json/);
        assert.equal((await a.services.model.snapshot('Azure CLI workspace')).identity.userName, 'ava.admin@acme.example');
        assert.ok(!a.services.log.lines().join('\n').includes(token));
        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'Azure CLI workspace' });
      });
    });
  });

  it('an expired Databricks CLI login is offered in a terminal (databricks auth login --host …) and the sign-in retried', async function () {
    if (!posix) this.skip();
    const a = await api();
    const token = requireEnv('PC_EMULATOR_ADMIN_TOKEN');
    await withFakeTools({ databricks: fakeDatabricksCli(token) }, async (dir) => {
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'Through the Databricks CLI (databricks auth login)')
          .answer('addWorkspace.host', requireEnv('PC_EMULATOR_URL'))
          .answer('addWorkspace.name', 'CLI workspace')
          .answer('notify:signIn.expired', 'Sign In in Terminal');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(p.of('notify').filter((n) => n.severity === 'error'), []);
        assert.match(p.of('notify', 'signIn.expired')[0]?.message ?? '', /sign-in for http:\/\/127\.0\.0\.1:\d+ has expired or was never made: run "databricks auth login --host/);
        const calls = fs.readFileSync(path.join(dir, 'databricks.calls'), 'utf8').trim().split('\n');
        assert.deepEqual(calls, [`auth token --host ${requireEnv('PC_EMULATOR_URL')}`, `auth login --host ${requireEnv('PC_EMULATOR_URL')}`, `auth token --host ${requireEnv('PC_EMULATOR_URL')}`]);
        assert.equal(a.services.store.get('CLI workspace')?.authType, 'databricks-cli');
        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'CLI workspace' });
      });
    });
  });

  it('a workspace whose CLI login expired later: offered once (not again on a background refresh), the error node signs in, the workspace reloads', async function () {
    if (!posix) this.skip();
    const a = await api();
    const url = requireEnv('PC_EMULATOR_URL');
    await withFakeTools({ databricks: fakeDatabricksCli(requireEnv('PC_EMULATOR_ADMIN_TOKEN')) }, async (dir) => {
      fs.writeFileSync(path.join(dir, 'logged-in'), '');
      const ws = 'Expiring CLI workspace';
      const calls = (): string[] => fs.readFileSync(path.join(dir, 'databricks.calls'), 'utf8').trim().split('\n');
      const expire = async (): Promise<void> => {
        fs.rmSync(path.join(dir, 'logged-in'), { force: true });
        // the token lives in memory only: a new window (a fresh client) asks the CLI again
        await a.services.model.forget(ws);
        await a.services.model.refresh(ws);
      };
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'Through the Databricks CLI (databricks auth login)').answer('addWorkspace.host', url).answer('addWorkspace.name', ws);
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.equal((await a.services.model.snapshot(ws)).identity.userName, 'ava.admin@acme.example');
        const offers = (): number => p.of('notify', 'signIn.expired').length;

        // 1. expired: offered once, the admin accepts, the login runs in a terminal, the workspace reloads
        p.answer('notify:signIn.expired', 'Sign In in Terminal');
        await expire();
        await waitUntil(() => a.services.model.peek(ws)?.kind === 'ready' && offers() === 1, 'the workspace to reload after the login');
        assert.match(p.of('notify', 'signIn.expired')[0]?.message ?? '', /Expiring CLI workspace: The Databricks CLI's sign-in for .* has expired or was never made/);
        assert.ok(calls().includes(`auth login --host ${url}`), calls().join('; '));

        // 2. expired again, the admin dismisses: a background refresh does not ask again
        p.answer('notify:signIn.expired', undefined);
        await expire();
        await waitUntil(() => a.services.model.peek(ws)?.kind === 'error' && offers() === 2, 'the second offer');
        await a.services.model.refresh(ws);
        assert.equal(a.services.model.peek(ws)?.kind, 'error');
        assert.equal(offers(), 2);

        // 3. the error node says "Sign In" and runs the login without asking again
        const loginsBefore = calls().filter((c) => c.startsWith('auth login')).length;
        await vscode.commands.executeCommand('partnerConnect.retry', { kind: 'message', ws, message: 'error' });
        await waitUntil(() => a.services.model.peek(ws)?.kind === 'ready', 'the workspace to reload after Sign In');
        assert.equal(calls().filter((c) => c.startsWith('auth login')).length, loginsBefore + 1);
        assert.equal(offers(), 2);

        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws });
      });
    });
  });

  it('two workspaces signed in with one Azure CLI: one az login offer for both, and both reload', async function () {
    if (!posix) this.skip();
    const a = await api();
    const url = requireEnv('PC_EMULATOR_URL');
    const az = [
      'D="$(dirname "$0")"',
      'echo "$@" >> "$D/az.calls"',
      'if [ "$1" = login ]; then touch "$D/logged-in"; exit 0; fi',
      `if [ -f "$D/logged-in" ]; then printf '{"accessToken":"%s","expiresOn":"2999-01-01 00:00:00.000000","tokenType":"Bearer"}' "${requireEnv('PC_EMULATOR_ADMIN_TOKEN')}"; exit 0; fi`,
      `echo "ERROR: Please run 'az login' to setup account." >&2; exit 1`,
    ].join('\n');
    await withFakeTools({ az }, async (dir) => {
      const names = ['Azure one', 'Azure two'];
      await withPrompter(async (p) => {
        p.answer('notify:signIn.expired', 'Sign In in Terminal');
        for (const name of names) await a.services.store.add({ name, host: url, authType: 'azure-cli' }, {}, { session: true });
        await Promise.all(names.map((n) => a.services.model.refresh(n)));
        await waitUntil(() => names.every((n) => a.services.model.peek(n)?.kind === 'ready'), 'both workspaces to reload after one az login');
        assert.equal(p.of('notify', 'signIn.expired').length, 1, JSON.stringify(p.of('notify', 'signIn.expired')));
        assert.match(p.of('notify', 'signIn.expired')[0]?.message ?? '', /The Azure CLI is not signed in .*run "az login"/);
        const calls = fs.readFileSync(path.join(dir, 'az.calls'), 'utf8').trim().split('\n');
        assert.equal(calls.filter((c) => c === 'login').length, 1, calls.join('; '));
        for (const name of names) await a.services.store.remove(name);
      });
    });
  });

  it('with the official Databricks extension installed: its overrideDatabricksConfigFile lists the profiles and its bundled CLI signs in (none on PATH)', async function () {
    const official = vscode.extensions.getExtension('databricks.databricks');
    // scripts/run-host-suite installs a stand-in (test/suite/fixtures/databricks-extension)
    if (!posix || !official || ['/usr/bin/databricks', '/bin/databricks'].some((f) => fs.existsSync(f))) this.skip();
    const a = await api();
    const url = requireEnv('PC_EMULATOR_URL');
    fs.chmodSync(path.join(official.extensionPath, 'bin', 'databricks'), 0o755); // a VSIX does not keep the mode
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-official-'));
    const cfg = path.join(dir, 'override.databrickscfg');
    fs.writeFileSync(cfg, `[DEFAULT]\n\n[official-cli]\nhost = ${url}\nauth_type = databricks-cli\n`, { mode: 0o600 });
    const log = path.join(dir, 'cli.calls');
    const databricks = vscode.workspace.getConfiguration('databricks');
    const saved = { PATH: process.env.PATH, PC_STUB_CLI_LOG: process.env.PC_STUB_CLI_LOG };
    // no databricks on PATH: only the system tools the stand-in's script needs
    process.env.PATH = '/usr/bin:/bin';
    process.env.PC_STUB_CLI_LOG = log;
    try {
      await databricks.update('overrideDatabricksConfigFile', cfg, vscode.ConfigurationTarget.Global);
      await withPrompter(async (p) => {
        p.answer('addWorkspace.method', 'From a ~/.databrickscfg profile').answer('addWorkspace.profile', 'official-cli').answer('addWorkspace.name', 'Official extension profile');
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(p.of('notify').filter((n) => n.severity === 'error'), []);
        assert.deepEqual(p.of('pick', 'addWorkspace.profile')[0]?.labels, ['DEFAULT', 'official-cli'], 'the profiles of the override file');
        assert.equal((await a.services.model.snapshot('Official extension profile')).identity.userName, 'ava.admin@acme.example');
        const calls = fs.readFileSync(log, 'utf8').trim().split('\n');
        assert.ok(calls.length > 0 && calls.every((c) => c === `auth token --profile official-cli | DATABRICKS_CONFIG_FILE=${cfg}`), calls.join('; '));
        p.answer('removeWorkspace', true);
        await vscode.commands.executeCommand('partnerConnect.removeWorkspace', { kind: 'workspace', ws: 'Official extension profile' });
      });
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.PC_STUB_CLI_LOG === undefined) delete process.env.PC_STUB_CLI_LOG;
      else process.env.PC_STUB_CLI_LOG = saved.PC_STUB_CLI_LOG;
      await databricks.update('overrideDatabricksConfigFile', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the profile picker lists profiles as `databricks auth profiles` does: file order, the default marked, never [__settings__]', async () => {
    await api();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-cfg-'));
    const cfg = path.join(dir, 'databrickscfg');
    const url = requireEnv('PC_EMULATOR_URL');
    fs.writeFileSync(
      cfg,
      `[__settings__]\ndefault_profile = emu\n\n[DEFAULT]\n\n[emu]\nhost = ${url}\ntoken = ${requireEnv('PC_EMULATOR_ADMIN_TOKEN')}\n\n[emu-cli]\nhost = ${url}\nauth_type = databricks-cli\n\n[broken]\nhost = ${url}\nauth_type = external-browser\n`,
      { mode: 0o600 },
    );
    const saved = process.env.DATABRICKS_CONFIG_FILE;
    process.env.DATABRICKS_CONFIG_FILE = cfg;
    try {
      await withPrompter(async (p) => {
        let seen: Array<{ label: string; description?: string; detail?: string }> = [];
        p.answer('addWorkspace.method', 'From a ~/.databrickscfg profile').answer('addWorkspace.profile', (options: Array<{ label: string; description?: string; detail?: string }>) => {
          seen = options;
          return undefined;
        });
        await vscode.commands.executeCommand('partnerConnect.addWorkspace');
        assert.deepEqual(p.of('pick', 'addWorkspace.profile')[0]?.labels, ['DEFAULT', 'emu', 'emu-cli', 'broken']);
        const detail = (name: string): string => seen.find((o) => o.label === name)?.detail ?? '';
        assert.match(detail('emu'), /personal access token · the default profile/);
        assert.match(detail('emu-cli'), /Databricks CLI login/);
        assert.match(detail('broken'), /external-browser, which this extension does not support/);
        assert.match(detail('DEFAULT'), /no host/);
        assert.equal(seen.find((o) => o.label === 'emu')?.description, url);
      });
    } finally {
      if (saved === undefined) delete process.env.DATABRICKS_CONFIG_FILE;
      else process.env.DATABRICKS_CONFIG_FILE = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
