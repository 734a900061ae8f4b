/**
 * Disconnect on its critical path (issue 14): what hangs on the principal is deleted in one stage,
 * the principal after it, the record last; the revokes use the grants read with the facts (no read of
 * their own); nothing is deleted before the record folder's permissions were read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, disconnect, type ConnectChoices, type DisconnectItem } from '../../src/domain';
import { deletionStages } from '../../src/domain/disconnect/disconnect';
import { catalog } from './faultCases';
import { startEnv } from './helpers';

test('deletionStages: what hangs on the principal and the warehouse together, then the principals, the partner, the record', () => {
  const item = (kind: DisconnectItem['kind'], id: string): DisconnectItem => ({ kind, id, name: id, permanent: true });
  const items = [item('warehouse', 'w'), item('uc-grant', 'g1'), item('oauth-secret', 's1'), item('token', 't1'), item('service-principal', 'p1'), item('token', 't2'), item('service-principal', 'p2'), item('partner-connection', 'c'), item('record', 'r')];
  assert.deepEqual(
    deletionStages(items).map((s) => s.map((i) => i.id)),
    [['w', 'g1', 's1', 't1', 't2'], ['p1', 'p2'], ['c'], ['r']],
  );
  assert.deepEqual(deletionStages([]), []);
});

test('a reset reads each grant once with the facts, deletes nothing before the folder ACL, the principal after its token and grants, the record after the principal', async () => {
  const env = await startEnv();
  try {
    const p = catalog.require('dataiku');
    const choices: ConnectChoices = { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } };
    await connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined });
    env.emu.clearRequests();
    const out = await disconnect(env.ctx, p, 'reset');
    const reqs = env.emu.requests.map((r, i) => ({ i, key: `${r.method} ${r.path}` }));
    const at = (re: RegExp): number[] => reqs.filter((r) => re.test(r.key)).map((r) => r.i);
    const writes = at(/^(DELETE|PATCH|POST) /);
    const grantReads = at(/^GET \/api\/2\.1\/unity-catalog\/permissions\//);
    assert.equal(grantReads.length, 2, `catalog and schema grants read once each: ${reqs.map((r) => r.key).join(', ')}`);
    assert.ok(Math.max(...grantReads) < Math.min(...writes), 'the grants are read before anything is deleted');
    assert.ok(Math.max(...at(/^GET \/api\/2\.0\/permissions\/directories\//)) < Math.min(...writes), 'the folder is judged before anything is deleted');
    const spDelete = at(/^DELETE \/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\//);
    const stage1 = [...at(/^PATCH \/api\/2\.1\/unity-catalog\/permissions\//), ...at(/^DELETE \/api\/2\.0\/token-management\/tokens\//), ...at(/^POST \/api\/2\.0\/sql\/warehouses\/.*\/delete$|^DELETE \/api\/2\.0\/sql\/warehouses\//)];
    assert.equal(spDelete.length, 1);
    assert.ok(stage1.length >= 3, `revokes and the token delete: ${reqs.map((r) => r.key).join(', ')}`);
    assert.ok(Math.max(...stage1) < spDelete[0], 'the principal after what hangs on it');
    assert.ok(Math.min(...at(/^POST \/api\/2\.0\/workspace\/delete$/)) > spDelete[0], 'the record after the principal');
    // reported in the preview's order
    assert.deepEqual(out.deleted.map((i) => i.kind).slice(-2), ['service-principal', 'record']);
  } finally {
    await env.close();
  }
});
