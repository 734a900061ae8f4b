/**
 * The soak, as CI runs it: 60 s of connect / inspect / rotate / disconnect cycles with random faults
 * against the emulator (`npm run conformance -- --soak 10m` runs it longer). PC_SOAK_SECONDS and
 * PC_SOAK_SEED override the length and the seed; the seed is printed, so a failure can be repeated.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { covered, diff, parseDuration, prng, runSoak, stateItems } from '../../conformance/soak';
import { startEmulator } from '../emulator';

const SECONDS = Number(process.env.PC_SOAK_SECONDS ?? 60);
const SEED = process.env.PC_SOAK_SEED === undefined ? undefined : Number(process.env.PC_SOAK_SEED);

describe('soak', () => {
  it('durations and the seeded random', () => {
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('60s'), 60_000);
    assert.equal(parseDuration('90'), 90_000);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.throws(() => parseDuration('ten minutes'), /60s, 10m or 1h/);
    const a = prng(42);
    const b = prng(42);
    const xs = Array.from({ length: 5 }, () => a());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b()), 'same seed, same sequence');
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, prng(43)));
  });

  it('sees a silent leftover: an object no error named', async () => {
    const emu = await startEmulator();
    try {
      const before = stateItems(emu.state);
      const admin = [...emu.state.users.values()].find((u) => u.groups.has('admins'));
      assert.ok(admin);
      const sp = emu.state.addServicePrincipal({ displayName: 'LEFT_BEHIND_USER' });
      emu.state.issueToken({ owner: sp, createdBy: admin, comment: 'left' });
      const d = diff(before, stateItems(emu.state));
      assert.equal(d.added.length, 2, d.added.join(', '));
      assert.deepEqual(d.removed, []);
      assert.ok(d.added.every((x) => !covered(x, [], emu.state)), 'named by nothing: silent');
      const named = [{ kind: 'service-principal', name: 'LEFT_BEHIND_USER', id: sp.id }];
      assert.ok(d.added.every((x) => covered(x, named, emu.state)), 'the principal covers itself and its token');
      assert.ok(!covered(d.added[0], [{ kind: 'warehouse', name: 'OTHER_ENDPOINT', id: '0123456789abcdef' }], emu.state));
    } finally {
      await emu.close();
    }
  });

  it(`${SECONDS} s of cycles with random faults: nothing left, no unhandled rejection, bounded heap`, { timeout: (SECONDS + 90) * 1000 }, async () => {
    const lines: string[] = [];
    const r = await runSoak({ durationMs: SECONDS * 1000, seed: SEED, print: (l) => lines.push(l) });
    const text = lines.join('\n');
    console.log(text);
    assert.match(lines[0], /^soak: seed \d+ /);
    assert.ok(r.cycles >= 5, `cycles ran (${r.cycles})`);
    assert.ok(r.faults > 0, 'faults were injected');
    assert.deepEqual(r.problems, [], `seed ${r.seed}: ${text}`);
    assert.deepEqual(r.unhandledRejections, [], `seed ${r.seed}`);
    assert.ok(r.heap.growthMiB < r.heap.boundMiB, `heap growth ${r.heap.growthMiB} MiB < ${r.heap.boundMiB} MiB`);
    assert.ok(r.ok);
  });
});
