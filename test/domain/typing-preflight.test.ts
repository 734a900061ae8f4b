/**
 * Pre-flight while typing (issue 14 item 4): debounced, the previous one cancelled, cached for the
 * form's lifetime. Timers are driven by hand (no wall-clock waits); `run` records what it was asked
 * and whether its signal was aborted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TypingPreflight } from '../../src/domain';

interface Choices {
  warehouseName: string;
}

function harness() {
  let nextHandle = 1;
  const timers = new Map<number, () => void>();
  const runs: { choices: Choices; signal: AbortSignal; finish: (r: string) => void; fail: (e: unknown) => void }[] = [];
  const tp = new TypingPreflight<Choices, string>({
    key: (c) => c.warehouseName,
    delayMs: 300,
    timers: {
      setTimeout: (fn) => {
        const h = nextHandle++;
        timers.set(h, fn);
        return h;
      },
      clearTimeout: (h) => void timers.delete(h as number),
    },
    run: (choices, signal) =>
      new Promise<string>((resolve, reject) => {
        runs.push({ choices, signal, finish: resolve, fail: reject });
      }),
  });
  /** the quiet time passes: every pending timer fires */
  const elapse = (): void => {
    const due = [...timers.values()];
    timers.clear();
    for (const f of due) f();
  };
  return { tp, runs, elapse, timers };
}

const typed = (s: string): Choices[] => [...s].map((_, i) => ({ warehouseName: s.slice(0, i + 1) }));

describe('TypingPreflight', () => {
  it('a burst of keystrokes costs one pre-flight, for the last value; the earlier asks resolve with undefined', async () => {
    const { tp, runs, elapse } = harness();
    const answers = typed('PARTNER_WH').map((c) => tp.ask(c));
    assert.equal(runs.length, 0, 'nothing runs while typing');
    elapse();
    assert.deepEqual(runs.map((r) => r.choices.warehouseName), ['PARTNER_WH']);
    runs[0].finish('ok: PARTNER_WH');
    const settled = await Promise.all(answers);
    assert.deepEqual(settled.slice(0, -1), Array(9).fill(undefined));
    assert.deepEqual(settled.at(-1), { result: 'ok: PARTNER_WH', cached: false });
    assert.deepEqual(tp.stats, { asks: 10, runs: 1, cached: 0, superseded: 9, aborted: 0 });
  });

  it('a keystroke while a pre-flight runs aborts it (its requests see the signal) and it never answers', async () => {
    const { tp, runs, elapse } = harness();
    const first = tp.ask({ warehouseName: 'A' });
    elapse();
    assert.equal(runs.length, 1);
    const second = tp.ask({ warehouseName: 'AB' });
    assert.equal(runs[0].signal.aborted, true);
    runs[0].finish('late answer for A'); // arrives after being superseded: ignored
    assert.equal(await first, undefined);
    elapse();
    runs[1].finish('ok: AB');
    assert.deepEqual(await second, { result: 'ok: AB', cached: false });
    assert.equal(tp.stats.aborted, 1);
    // the superseded result was not cached either
    const again = tp.ask({ warehouseName: 'A' });
    elapse();
    assert.equal(runs.length, 3);
    runs[2].finish('ok: A');
    assert.deepEqual(await again, { result: 'ok: A', cached: false });
  });

  it('the same choices again are answered from the cache, without a request, until invalidate()', async () => {
    const { tp, runs, elapse } = harness();
    const a = tp.ask({ warehouseName: 'WH' });
    elapse();
    runs[0].finish('ok: WH');
    await a;
    // typing away and back: the intermediate value is superseded, the final one is a cache hit
    const away = tp.ask({ warehouseName: 'WHX' });
    const back = tp.ask({ warehouseName: 'WH' });
    assert.equal(await away, undefined);
    assert.deepEqual(await back, { result: 'ok: WH', cached: true });
    assert.equal(runs.length, 1, 'no second pre-flight');
    tp.invalidate();
    const fresh = tp.ask({ warehouseName: 'WH' });
    elapse();
    assert.equal(runs.length, 2);
    runs[1].finish('changed');
    assert.deepEqual(await fresh, { result: 'changed', cached: false });
  });

  it('a result that arrives after invalidate() is answered but not cached; failures are passed on and not cached', async () => {
    const { tp, runs, elapse } = harness();
    const a = tp.ask({ warehouseName: 'WH' });
    elapse();
    tp.invalidate(); // e.g. a connect attempt from the form started meanwhile
    runs[0].finish('stale?');
    assert.deepEqual(await a, { result: 'stale?', cached: false });
    const b = tp.ask({ warehouseName: 'WH' });
    elapse();
    assert.equal(runs.length, 2, 'not answered from the cache');
    runs[1].fail(new Error('403'));
    await assert.rejects(b, /403/);
    const c = tp.ask({ warehouseName: 'WH' });
    elapse();
    assert.equal(runs.length, 3, 'a failure is not cached');
    runs[2].finish('ok');
    await c;
  });

  it('dispose() cancels what waits and what runs; later asks answer undefined without running', async () => {
    const { tp, runs, elapse, timers } = harness();
    const running = tp.ask({ warehouseName: 'A' });
    elapse();
    const waiting = tp.ask({ warehouseName: 'B' });
    tp.dispose();
    assert.equal(runs[0].signal.aborted, true);
    assert.equal(timers.size, 0, 'no timer left behind');
    assert.equal(await running, undefined);
    assert.equal(await waiting, undefined);
    assert.equal(await tp.ask({ warehouseName: 'C' }), undefined);
    elapse();
    assert.equal(runs.length, 1);
  });
});
