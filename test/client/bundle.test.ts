/**
 * Bug: error class names were minified in the production bundles ("pt: …", "vo: …" in messages and
 * the log), because esbuild minified without keepNames while client errors are named from
 * `new.target.name`. Builds the production bundles (what `npm run package` ships) into a temporary
 * folder and checks the names there.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../emulator';

const ROOT = resolve(__dirname, '../../..');

describe('production bundles keep error class names', () => {
  let dir: string;
  let emu: EmulatorHandle;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-bundle-'));
    execFileSync(process.execPath, ['esbuild.mjs', '--production', '--outdir', dir], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    emu = await startEmulator();
  });
  after(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the bundle is minified (the check is meaningful)', () => {
    const text = readFileSync(join(dir, 'client.js'), 'utf8');
    assert.ok(!text.includes('class DatabricksApiError'), 'identifiers are minified');
  });

  it('dist/client.js: every exported error class has its own name, and thrown errors carry it', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, loaded by its path in dist/
    const mod = require(join(dir, 'client.js')) as Record<string, unknown> & typeof import('../../src/client');
    const classes = Object.entries(mod).filter(([k, v]) => /Error$/.test(k) && typeof v === 'function');
    assert.ok(classes.length >= 6, classes.map(([k]) => k).join(', '));
    for (const [k, v] of classes) assert.equal((v as { name: string }).name, k);
    const ws = mod.createWorkspaceClient({ host: emu.url, auth: { type: 'pat', token: emu.adminToken }, env: {} });
    try {
      const e = await ws.getWarehouse('no-such-warehouse').then(
        () => assert.fail('expected an error'),
        (x: unknown) => x as Error,
      );
      assert.ok(e instanceof mod.DatabricksApiError);
      assert.equal(e.name, 'DatabricksApiError');
      assert.equal(String(e).split(':')[0], 'DatabricksApiError');
    } finally {
      await ws.close();
    }
    const bad = (() => {
      try {
        mod.createWorkspaceClient({ host: 'http://example.com', auth: { type: 'pat', token: 'x' }, env: {} });
      } catch (x) {
        return x as Error;
      }
      return undefined;
    })();
    assert.equal(bad?.name, 'AuthConfigError');
  });

  it('dist/extension.js registers the class names it minifies', () => {
    const text = readFileSync(join(dir, 'extension.js'), 'utf8');
    for (const n of ['DatabricksApiError', 'NetworkError', 'UnexpectedResponseError', 'RequestTimeoutError', 'AuthConfigError']) {
      assert.ok(text.includes(`"${n}"`), `${n} keeps its name in the extension bundle`);
    }
  });
});
