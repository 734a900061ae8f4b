/**
 * The record cache (src/domain/record/cache.ts): a warm detection exports no record the workspace's
 * folder listing shows unchanged, and exactly those it shows changed — another admin's rewrite of the
 * same size, a record deleted, one recreated under a new object id, one written moments ago — with
 * the same states as a detection without a cache. And the cache's own rules, without a workspace.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RECORD_CACHE_MAX_AGE_MS, RECORD_CACHE_SETTLED_MS, RecordCache, detectConnectionStates, loadBuiltinCatalog, type ReadRecordResult, type WorkspaceSnapshot } from '../../src/domain';
import { seedPath } from '../emulator';
import { startEnv, type Env } from './helpers';

const catalog = loadBuiltinCatalog();
const FOLDER = '/.partner-connect';
const ok: ReadRecordResult = { kind: 'absent' };
const info = (over: Partial<{ object_id: string; modified_at: number; size: number }> = {}) => ({ path: `${FOLDER}/x.json`, object_id: '7', modified_at: 1_000_000, size: 100, ...over });

describe('RecordCache rules', () => {
  it('keeps a settled version, and only for that version', () => {
    let t = 1_000_000 + RECORD_CACHE_SETTLED_MS;
    const c = new RecordCache(() => t);
    c.store(info(), ok, c.now());
    assert.equal(c.lookup(info()), ok);
    assert.equal(c.lookup(info({ modified_at: 1_000_001 })), undefined, 'a newer modification time is another version');
    assert.equal(c.size, 0, 'a mismatch forgets the entry');
    c.store(info(), ok, c.now());
    assert.equal(c.lookup(info({ size: 101 })), undefined);
    c.store(info(), ok, c.now());
    assert.equal(c.lookup(info({ object_id: '8' })), undefined, 'deleted and written again: a new object id');
    c.store(info(), ok, c.now());
    t += RECORD_CACHE_MAX_AGE_MS + 1;
    assert.equal(c.lookup(info()), undefined, 'read again after the maximum age whatever the listing says');
  });

  it('keeps nothing modified less than the settle time before the read, nor a version the listing leaves incomplete', () => {
    const c = new RecordCache(() => 0);
    c.store(info(), ok, 1_000_000 + RECORD_CACHE_SETTLED_MS - 1);
    assert.equal(c.size, 0);
    c.store({ path: `${FOLDER}/x.json`, object_id: '7', size: 100 }, ok, 9_999_999_999);
    assert.equal(c.size, 0, 'no modification time: no version');
    c.store(info(), ok, 1_000_000 - 60_000);
    assert.equal(c.size, 0, 'a clock behind the workspace keeps nothing recent');
  });

  it('forgets files a listing no longer names, and is primed by a listing', () => {
    const c = new RecordCache(() => 0);
    assert.equal(c.primed, false);
    c.store(info(), ok, 9_999_999);
    c.store({ ...info(), path: `${FOLDER}/y.json` }, ok, 9_999_999);
    c.retain([{ ...info(), path: `${FOLDER}/y.json` }]);
    assert.equal(c.primed, true);
    assert.equal(c.size, 1);
    assert.equal(c.lookup(info()), undefined);
  });
});

describe('detection with a record cache', () => {
  const exportsOf = (env: Env): string[] => env.emu.requests.filter((r) => r.path === '/api/2.0/workspace/export').map((r) => String(r.query?.path ?? ''));
  const listsOf = (env: Env): number => env.emu.requests.filter((r) => r.path === '/api/2.0/workspace/list' && r.query?.path === FOLDER).length;
  const view = (s: WorkspaceSnapshot): { id: string; state: string; attempt: string | null; problem: string | null }[] => s.partners.map((p) => ({ id: p.partnerId, state: p.state, attempt: p.record?.attemptId ?? null, problem: p.recordProblem }));

  it('reads every record once, then only what the workspace shows changed', async () => {
    const env = await startEnv({ seed: seedPath('demo-partners.json') });
    try {
      const cache = new RecordCache();
      const recordPaths = [...env.emu.state.files.keys()].filter((p) => p.startsWith(`${FOLDER}/`) && p.endsWith('.json')).sort();
      assert.equal(recordPaths.length, 5, 'the seed has five records');

      // cold: every partner's record (absent ones answer 404), the listing beside them
      env.emu.clearRequests();
      const cold = await detectConnectionStates(env.client, catalog, { recordCache: cache });
      assert.equal(exportsOf(env).length, catalog.partners.length);
      assert.equal(listsOf(env), 1);
      assert.equal(cache.size, 5, 'the seeded records were written an hour ago: all kept');
      assert.equal(cold.stats.waves, 2);

      // warm: the listing only, in the same two waves, and the same answer as without a cache
      env.emu.clearRequests();
      const warm = await detectConnectionStates(env.client, catalog, { recordCache: cache });
      assert.deepEqual(exportsOf(env), []);
      assert.equal(listsOf(env), 1);
      assert.equal(warm.stats.waves, 2);
      assert.deepEqual(view(warm), view(cold));
      const uncached = await detectConnectionStates(env.client, catalog);
      assert.deepEqual(view(warm), view(uncached));

      // another admin rewrites a record, same size, a minute ago: only it is read, and its new content shows
      const rudder = `${FOLDER}/rudderstack.json`;
      const f = env.emu.state.files.get(rudder);
      assert.ok(f);
      const text = f.content.toString('utf8');
      const attempt = (JSON.parse(text) as { attemptId: string }).attemptId;
      const other = attempt.replace(/.$/, (ch) => (ch === 'z' ? 'y' : 'z'));
      f.content = Buffer.from(text.replace(attempt, other), 'utf8');
      f.modified_at = Date.now() - 60_000;
      env.emu.clearRequests();
      const changed = await detectConnectionStates(env.client, catalog, { recordCache: cache });
      assert.deepEqual(exportsOf(env), [rudder]);
      assert.equal(changed.partners.find((p) => p.partnerId === 'rudderstack')?.record?.attemptId, other);

      // a record written moments ago is read at every refresh until it has settled
      f.modified_at = Date.now();
      for (let i = 0; i < 2; i++) {
        env.emu.clearRequests();
        await detectConnectionStates(env.client, catalog, { recordCache: cache });
        assert.deepEqual(exportsOf(env), [rudder], `refresh ${i + 1} after a fresh write`);
      }

      // deleted: absent at once, forgotten; recreated with the same time and size under a new object id: read
      const labelbox = `${FOLDER}/labelbox.json`;
      const lb = env.emu.state.files.get(labelbox);
      assert.ok(lb);
      env.emu.state.files.delete(labelbox);
      env.emu.clearRequests();
      const gone = await detectConnectionStates(env.client, catalog, { recordCache: cache });
      assert.ok(!exportsOf(env).includes(labelbox));
      assert.equal(gone.partners.find((p) => p.partnerId === 'labelbox')?.record, null);
      assert.equal(cache.lookup({ path: labelbox, object_id: String(lb.object_id), modified_at: lb.modified_at, size: lb.content.length }), undefined);
      env.emu.state.files.set(labelbox, { ...lb, object_id: lb.object_id + 1_000 });
      env.emu.clearRequests();
      const back = await detectConnectionStates(env.client, catalog, { recordCache: cache });
      assert.ok(exportsOf(env).includes(labelbox));
      assert.deepEqual(view(back).find((p) => p.id === 'labelbox'), view(cold).find((p) => p.id === 'labelbox'));
    } finally {
      await env.close();
    }
  });

  it("a fleet's listed detection reads no record when nothing changed, one wave fewer", async () => {
    const env = await startEnv({ seed: seedPath('demo-partners.json') });
    try {
      const cache = new RecordCache();
      const first = await detectConnectionStates(env.client, catalog, { records: 'listed', recordCache: cache });
      assert.equal(first.stats.waves, 3, 'listing, then the five records, then the grants');
      env.emu.clearRequests();
      const second = await detectConnectionStates(env.client, catalog, { records: 'listed', recordCache: cache });
      assert.deepEqual(exportsOf(env), []);
      assert.equal(second.stats.waves, 2);
      assert.deepEqual(view(second), view(first));
    } finally {
      await env.close();
    }
  });
});
