import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadSeed, seedPath, startEmulator, EmulatorState, type Seed } from '../emulator';
import { call } from '../fixtures/http';
import { SCIM } from '../fixtures/seed';

const minimal = (): Seed => ({ users: [{ userName: 'root@x.example', groups: ['admins'], token: 'dapi-root-token-1' }] });

describe('seeds', () => {
  it('the shipped seeds validate and describe the documented workspaces', () => {
    const demo = new EmulatorState(seedPath('demo.json'));
    assert.ok(demo.metastore);
    const admin = demo.findUser('ava.admin@acme.example')!;
    const owned = [...demo.catalogs.values()].filter((c) => c.owner === admin.userName).map((c) => c.name);
    assert.ok(owned.length > 0 && owned.length < demo.catalogs.size, 'the workspace admin owns only some catalogs');
    assert.notEqual(demo.catalogs.get(demo.defaultCatalog)?.owner, admin.userName, 'the default catalog is not owned by the workspace admin');
    assert.equal(demo.warehouses.size, 3);
    assert.deepEqual(new Set([...demo.warehouses.values()].map((w) => w.state)).size > 1, true);
    const hive = new EmulatorState(seedPath('hive-only.json'));
    assert.equal(hive.metastore, null);
    assert.equal(hive.defaultCatalog, 'hive_metastore');
  });
  it('invalid seeds fail with readable messages', () => {
    assert.throws(() => loadSeed({ users: [] } as Seed), /users/);
    assert.throws(() => new EmulatorState({ users: [{ userName: 'u@x' }] }), /admins/);
    assert.throws(() => new EmulatorState({ ...minimal(), catalogs: [{ name: 'c', owner: 'ghost' }] }), /unknown principal "ghost"/);
    assert.throws(() => new EmulatorState({ ...minimal(), tokenAcl: [{ service_principal_name: 'NOPE', permission_level: 'CAN_USE' }] }), /unknown service principal/);
    assert.throws(() => new EmulatorState({ ...minimal(), schemas: [{ catalog: 'nope', name: 's', owner: 'root@x.example' }] }), /unknown catalog/);
    assert.throws(() => loadSeed({ ...minimal(), typo: 1 } as unknown as Seed), /Unrecognized key: "typo"/);
  });
  it('extras are kept for other test doubles', () => {
    const st = new EmulatorState({ ...minimal(), extras: { partnerConnections: [{ partner: 'dbt' }] } });
    assert.deepEqual(st.extras, { partnerConnections: [{ partner: 'dbt' }] });
  });
  it('startEmulator with a seed object; reset(seed) switches; tokenFor throws for unknown names', async () => {
    const emu = await startEmulator({ seed: minimal() });
    try {
      assert.equal(emu.adminToken, 'dapi-root-token-1');
      assert.equal((await call(emu, 'GET', `${SCIM}/Me`)).body.userName, 'root@x.example');
      assert.throws(() => emu.tokenFor('nobody'), /nobody/);
      const st = emu.state;
      emu.reset(seedPath('demo.json'));
      assert.equal(emu.state, st, 'state keeps its identity across reset');
      assert.equal((await call(emu, 'GET', `${SCIM}/Me`)).body.userName, 'ava.admin@acme.example');
      // tokenFor works for service principals too (issues a token on first use)
      const t = emu.tokenFor('HEX_USER');
      assert.equal((await call(emu, 'GET', `${SCIM}/Me`, { token: t })).body.displayName, 'HEX_USER');
    } finally {
      await emu.close();
    }
  });
});

describe('standalone CLI', () => {
  it('prints its URL and admin token and serves /Me until stopped', async () => {
    const cli = resolve(__dirname, '../emulator/cli.js');
    const child = spawn(process.execPath, [cli, '--port', '0', '--seed', seedPath('demo.json')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const out = await new Promise<string>((res, rej) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString('utf8');
          if (buf.includes('Ctrl-C')) res(buf);
        });
        child.on('exit', (code) => rej(new Error(`emulator exited early (${String(code)}): ${buf}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const token = /admin token \(emulator credential\): (\S+)/.exec(out)?.[1];
      assert.ok(url && token, out);
      const r = await fetch(`${url}/api/2.0/preview/scim/v2/Me`, { headers: { authorization: `Bearer ${token}` } });
      const me = (await r.json()) as { userName: string };
      assert.equal(me.userName, 'ava.admin@acme.example');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
