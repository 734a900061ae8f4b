/**
 * Property-based fuzzing with fast-check, bounded and seeded.
 *
 * - Every property runs `runs(n)` times: n in `npm test` (about 3 s for all of test/fuzz together), or PC_FUZZ_RUNS
 *   times when set (e.g. `PC_FUZZ_RUNS=20000 node --test out/test/fuzz/`), for a longer hunt.
 * - One seed per process: PC_FUZZ_SEED when set, else a fresh one. Each test prints it (a node:test
 *   diagnostic); a failure also prints fast-check's counterexample, seed and path, so
 *   `PC_FUZZ_SEED=<seed>` replays the run.
 * - The properties say "no crash": only the typed errors a function documents, and "no secret in
 *   error text": a credential value planted in the input never appears in what the error says.
 */
import fc from 'fast-check';
import type { TestContext } from 'node:test';
import { fingerprint, secretsIn } from '../fixtures/secrets';

const parsedSeed = Number(process.env.PC_FUZZ_SEED);
export const SEED = Number.isInteger(parsedSeed) ? parsedSeed : (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) | 0;

/** How many runs a property gets: `ciRuns`, or PC_FUZZ_RUNS when set. */
export function runs(ciRuns: number): number {
  const n = Number(process.env.PC_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ciRuns;
}

/** Checks a property with the process's seed, printing it first. */
export function check<T>(t: TestContext, property: fc.IProperty<T>, numRuns: number): void {
  t.diagnostic(`fast-check seed ${SEED}, ${numRuns} runs (replay: PC_FUZZ_SEED=${SEED})`);
  fc.assert(property, { seed: SEED, numRuns, includeErrorInReport: true });
}
/**
 * Without PC_FUZZ_RUNS (CI), an async property stops generating runs after this long: the runs over
 * real HTTP take seconds on a quiet machine but many times that on a loaded one, and a slow machine
 * must not turn into a test timeout. The number of runs made is printed.
 */
const ASYNC_TIME_LIMIT_MS = 60_000;

export async function checkAsync<T>(t: TestContext, property: fc.IAsyncProperty<T>, numRuns: number): Promise<void> {
  t.diagnostic(`fast-check seed ${SEED}, ${numRuns} runs (replay: PC_FUZZ_SEED=${SEED})`);
  const limited = !process.env.PC_FUZZ_RUNS;
  const out = await fc.check(property, { seed: SEED, numRuns, includeErrorInReport: true, ...(limited ? { interruptAfterTimeLimit: ASYNC_TIME_LIMIT_MS } : {}) });
  if (out.failed) throw new Error(fc.defaultReportMessage(out) ?? `property failed (seed ${SEED})`);
  if (out.interrupted) t.diagnostic(`stopped after ${out.numRuns} of ${numRuns} runs at the ${ASYNC_TIME_LIMIT_MS / 1000} s limit (a slow machine)`);
}

/** A credential of a shape the redactor recognises wherever it stands: a PAT, an OAuth secret, a JWT. */
export const shapedSecretArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^dapi[0-9a-f]{32}$/),
  fc.stringMatching(/^dose[0-9a-f]{32}$/),
  fc.stringMatching(/^eyJ[A-Za-z0-9_-]{12}\.eyJ[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{10}$/),
);
/** A credential of no recognisable shape (a password, a partner's secret): found only where it is known or named. */
export const shapelessSecretArb: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z0-9]{24}$/);
/** Either kind. */
export const secretArb: fc.Arbitrary<string> = fc.oneof(shapedSecretArb, shapelessSecretArb);

/**
 * Fails when the error's text holds one of the secrets (named by fingerprint, never by value).
 * With `fragments`, any `fragments` characters of a secret count too (for texts that have no
 * reason to quote the input: an excerpt cut in the middle of a secret still leaks part of it).
 */
export function assertNoSecret(text: string, secrets: readonly string[], what: string, o: { fragments?: number } = {}): void {
  const found = secretsIn(text, secrets);
  if (o.fragments) {
    const n = o.fragments;
    for (const s of secrets) for (let i = 0; i + n <= s.length; i++) if (text.includes(s.slice(i, i + n))) found.push(`${fingerprint(s)} (${n} characters of it)`);
  }
  if (found.length) throw new Error(`${what} holds a secret (sha256:${[...new Set(found)].join(', sha256:')})`);
}

/** The text of anything thrown. */
export const messageOf = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
