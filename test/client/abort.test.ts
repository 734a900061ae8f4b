/** src/client/http/abort.ts: many waiters on one caller's signal share one listener. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { onAbort } from '../../src/client/http/abort';
import { sleep } from '../../src/client/http/retry';

describe('onAbort', () => {
  it('adds one listener to the signal for any number of waiters, and calls each current waiter once', () => {
    const ac = new AbortController();
    const calls: number[] = [];
    const stops = Array.from({ length: 50 }, (_, i) => onAbort(ac.signal, () => calls.push(i)));
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    stops[0]();
    ac.abort();
    assert.equal(calls.length, 49);
    assert.ok(!calls.includes(0), 'a waiter that stopped waiting is not called');
    ac.abort();
    assert.equal(calls.length, 49, 'called once');
  });

  it('a signal that is already aborted calls the waiter (asynchronously) unless it stopped first', async () => {
    const ac = new AbortController();
    ac.abort();
    let a = 0;
    let b = 0;
    onAbort(ac.signal, () => a++);
    onAbort(ac.signal, () => b++)();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([a, b], [1, 0]);
    assert.doesNotThrow(() => onAbort(undefined, () => assert.fail('never'))());
  });

  it('sleep rejects on abort and leaves no listener behind when it completes', async () => {
    const ac = new AbortController();
    await Promise.all(Array.from({ length: 20 }, () => sleep(5, ac.signal)));
    const pending = sleep(10_000, ac.signal);
    ac.abort();
    await assert.rejects(pending, { name: 'AbortError' });
  });
});
