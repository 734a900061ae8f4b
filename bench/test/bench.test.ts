/**
 * Tests of the bench's own machinery (not timing): the statistics helpers, and — over real HTTP
 * against an emulator in a worker thread — that the request counts the bench reports are right:
 * the naive baseline grows with the number of service principals while state detection does not.
 *
 *   npx tsc -p . && node --test out/bench/test/
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkspaceClient } from '../../src/client';
import { detectConnectionStates, loadBuiltinCatalog } from '../../src/domain';
import { median, percentile, rounds } from '../measure';
import { naiveDetection } from '../naive';
import { criticalPath, depthOf, GRAPHS, type OperationGraph } from '../graphs';
import { RemoteEmulator } from '../remoteEmulator';
import { detectionSeed } from '../seeds';
import { RECORD_FOLDER } from '../../test/fixtures/seed';

test('percentile and median', () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.equal(percentile(s, 95), 10);
  assert.equal(percentile(s, 50), 5);
  assert.equal(percentile([7], 95), 7);
  assert.ok(Number.isNaN(percentile([], 95)));
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test('dependency graphs: depth is the longest chain; every graph is well formed', () => {
  const g: OperationGraph = { row: 'x', assumes: '', nodes: [{ id: 'a', request: '' }, { id: 'b', request: '', after: ['a'] }, { id: 'c', request: '', after: ['a', 'b'] }, { id: 'd', request: '' }] };
  assert.equal(depthOf(g), 3);
  assert.deepEqual(criticalPath(g), ['a', 'b', 'c']);
  assert.throws(() => depthOf({ row: 'y', assumes: '', nodes: [{ id: 'a', request: '', after: ['b'] }, { id: 'b', request: '', after: ['a'] }] }), /cycle/);
  assert.throws(() => depthOf({ row: 'z', assumes: '', nodes: [{ id: 'a', request: '', after: ['nope'] }] }), /unknown node/);
  for (const op of GRAPHS) {
    assert.equal(new Set(op.nodes.map((n) => n.id)).size, op.nodes.length, `${op.row}: node ids are unique`);
    assert.ok(depthOf(op) >= 1, op.row);
  }
});

test('rounds groups arrival times by the injected latency', () => {
  const at = (...ts: number[]) => ts.map((t) => ({ method: 'GET', path: '/x', status: 200, at: t }));
  assert.deepEqual(rounds(at(0, 1, 2, 45, 46, 90), 40), { rounds: 3, widest: 3 });
  assert.deepEqual(rounds(at(0, 10, 20, 30), 40), { rounds: 1, widest: 4 });
  assert.deepEqual(rounds(at(0, 24, 30, 31), 40), { rounds: 2, widest: 3 });
  assert.equal(rounds(at(0, 1), 0), null);
  assert.equal(rounds([], 40), null);
});

test('request counts: naive paging grows with the principals, detection does not', async () => {
  const catalog = loadBuiltinCatalog();
  const counts: { sps: number; naive: number; engine: number; paged: number }[] = [];
  for (const sps of [10, 1_000]) {
    const emu = await RemoteEmulator.start({ seed: detectionSeed(), fillerServicePrincipals: sps, fillerTokens: 50, latencyMs: 0 });
    const client = createWorkspaceClient({ host: emu.url, auth: { type: 'pat', token: emu.adminToken } });
    try {
      await emu.takeRequests();
      const naive = await naiveDetection(client, catalog, RECORD_FOLDER);
      const naiveRequests = (await emu.takeRequests()).length;
      const snap = await detectConnectionStates(client, catalog, { recordFolder: RECORD_FOLDER });
      const engineRequests = (await emu.takeRequests()).length;
      assert.ok(snap.stats.waves <= 2, `detection used ${snap.stats.waves} waves`);
      // the seeded states are seen by both
      assert.equal(naive.partnersWithRecord, 3);
      assert.equal(snap.partners.find((p) => p.partnerId === 'census')?.state, 'connected-outside');
      counts.push({ sps, naive: naiveRequests, engine: engineRequests, paged: naive.servicePrincipalsSeen });
    } finally {
      await client.close();
      await emu.close();
    }
  }
  const [small, large] = counts;
  assert.equal(large.paged - small.paged, 990);
  // 990 more principals = 10 more SCIM pages of 100 for the naive approach …
  assert.equal(large.naive - small.naive, 10);
  // … and not a single extra request for detection
  assert.equal(large.engine, small.engine);
});

test('the emulator worker serves through the counting relay and logs every request', async () => {
  const emu = await RemoteEmulator.start({ seed: detectionSeed(), fillerServicePrincipals: 0, fillerTokens: 0, latencyMs: 5 });
  const client = createWorkspaceClient({ host: emu.countingUrl, auth: { type: 'pat', token: emu.adminToken } });
  try {
    const before = await emu.relayStats();
    await client.me();
    await client.listWarehouses();
    const after = await emu.relayStats();
    assert.ok(after.bytesDown - before.bytesDown > 200);
    assert.ok(after.bytesUp - before.bytesUp > 100);
    assert.ok(after.connections - before.connections >= 1);
    const reqs = await emu.takeRequests();
    assert.deepEqual(
      reqs.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['GET /api/2.0/preview/scim/v2/Me 200', 'GET /api/2.0/sql/warehouses 200'],
    );
  } finally {
    await client.close();
    await emu.close();
  }
});
