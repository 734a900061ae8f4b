/**
 * Bug: `MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners
 * added to [AbortSignal]` during the state detection of a workspace — every parallel request added
 * its own listener to the caller's signal. The extension passes a signal to every detection,
 * connect and disconnect; none of them may make Node warn.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, detectConnectionStates, disconnect, findOrphans, inspectConnection, loadBuiltinCatalog } from '../../src/domain';
import { seedPath } from '../emulator';
import { startEnv } from './helpers';

const catalog = loadBuiltinCatalog();

test('detection, connect, inspect, orphans and disconnect with one AbortSignal: no process warning', async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const env = await startEnv({ seed: seedPath('demo-partners.json') });
  try {
    const signal = new AbortController().signal;
    const opts = { signal };
    const snap = await detectConnectionStates(env.client, catalog, opts);
    assert.ok(snap.stats.requestsPerWave[0] > 10, `the first wave sends more than 10 requests at once (${snap.stats.requestsPerWave[0]})`);
    const p = catalog.require('dataiku');
    await connect(env.ctx, p, { catalog: 'analytics', schemas: ['marketing', 'sales'], warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } }, { ...opts, deliverSecretOnce: () => undefined });
    await inspectConnection(env.client, p, opts);
    await findOrphans(env.client, catalog, opts);
    await Promise.all([detectConnectionStates(env.client, catalog, opts), detectConnectionStates(env.client, catalog, opts)]);
    await disconnect(env.ctx, p, 'reset', opts);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
    await env.close();
  }
});
