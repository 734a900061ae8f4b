/** What the fault, cancellation and killed-process matrices share: the rule for a request, the trace, what the emulator holds. */
import { DisconnectIncompleteError, DomainError, RotateIncompleteError, type CatalogPartner, type RotateResult } from '../../src/domain';
import type { FaultRule, RecordedRequest } from '../emulator';
import { quiesce, rule, type CleanRequest, type Kind, type TimeoutClient } from '../domain/faultCases';
import { startEnv, type Env } from '../domain/helpers';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';

export type Outcome<T> = { ok: true; res: T } | { ok: false; e: unknown };
export const settled = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (res) => ({ ok: true as const, res }),
    (e: unknown) => ({ ok: false as const, e }),
  );

/** The principal's credentials in the emulator, by id (tokens and OAuth secrets). */
export function credentialIds(env: Env, spName: string): string[] {
  const sp = [...env.emu.state.servicePrincipals.values()].find((s) => s.displayName === spName);
  if (!sp) return [];
  return [...[...env.emu.state.tokens.values()].filter((t) => t.ownerId === sp.id).map((t) => t.token_id), ...sp.secrets.keys()].sort();
}

export function recordText(env: Env, partnerId: string): string | undefined {
  for (const [p, f] of env.emu.state.files) if (p.endsWith(`/.partner-connect/${partnerId}.json`)) return f.content.toString('utf8');
  return undefined;
}

/** The rule for a request of the clean run: its path matches any id where the clean run had one (ids are new in every run). */
export const faultFor = (kind: Kind, r: CleanRequest): FaultRule => ({ ...rule(kind, r.method, r.path, r.nth), path: r.pattern, nth: r.nthOfPattern });

export const trace = (seen: RecordedRequest[]): string => seen.map((q) => `${q.method} ${q.path} ${q.status}${q.faulted ? ' <- fault' : ''}`).join('; ');

/** A rule that calls `onMatch` when the request of the clean run arrives (cancel, kill) and lets it through. */
export const at = (r: CleanRequest, onMatch: FaultRule['onMatch']): FaultRule => ({ method: r.method, path: r.pattern, nth: r.nthOfPattern, onMatch });

/**
 * One case of a fault matrix: the rule for `kind` at the clean run's request `r`, then `run` (told
 * whether it is a timeout case: it runs on the timeout client and waits for a held request to land).
 * `missed` says what went wrong with the fault itself: it never fired, or a held request did not time out.
 */
export async function underFault<T>(
  env: Env,
  timeouts: TimeoutClient,
  kind: Kind,
  r: CleanRequest,
  run: (timeout: boolean) => Promise<T>,
): Promise<{ outcome: Outcome<T>; seen: RecordedRequest[]; missed: string[] }> {
  env.emu.clearRequests();
  timeouts.forget();
  env.emu.faults.add(faultFor(kind, r));
  const outcome = await settled(run(kind === 'timeout'));
  if (kind === 'timeout') await quiesce(env, r.method, r.path);
  env.emu.faults.clear();
  const seen = [...env.emu.requests];
  const missed: string[] = [];
  if (!seen.some((q) => q.faulted)) missed.push('the fault never fired');
  if (kind === 'timeout' && !timeouts.timedOut()) missed.push('the held request did not time out');
  return { outcome, seen, missed };
}

/** Every request of a clean run × the kinds it gets, each with its label. */
export function* casesOf(reqs: CleanRequest[], kinds: (method: string) => readonly Kind[]): Generator<{ r: CleanRequest; kind: Kind; label: string }> {
  for (const r of reqs) for (const kind of kinds(r.method)) yield { r, kind, label: `${kind} at ${r.method} ${r.path} #${r.nth}` };
}

/** What went wrong in a matrix, and how its cases ended. */
export class Tally {
  readonly bad: string[] = [];
  readonly outcomes: Record<string, number> = {};
  cases = 0;
  count(outcome: string): void {
    this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
  }
  get summary(): string {
    return `${this.bad.length} of ${this.cases} cases went wrong (${JSON.stringify(this.outcomes)})`;
  }
}

/**
 * How a rotate ended, checked against the workspace: complete (exactly the new credential, handed
 * over once, the record names it); RotateIncompleteError naming exactly the old credentials still
 * there; `rotate-failed` naming the new credential left behind; or failed with nothing changed (the
 * old credentials exactly, nothing handed over, the record as before). Returns the outcome's name.
 */
export function judgeRotate(
  env: Env,
  partner: CatalogPartner,
  o: { before: string[]; recordBefore: string | undefined; handed: string[]; outcome: Outcome<RotateResult> },
  fail: (why: string) => void,
): 'complete' | 'incomplete' | 'stranded' | 'unchanged' {
  const { before, handed, outcome } = o;
  const after = credentialIds(env, partner.servicePrincipalName ?? '');
  const fresh = after.filter((id) => !before.includes(id));
  const oldLeft = after.filter((id) => before.includes(id));
  if (outcome.ok) {
    if (after.length !== 1 || after[0] !== outcome.res.newCredentialId) fail(`complete, but ${after.length} credentials afterwards (${fresh.length} new)`);
    if (handed.length !== 1) fail(`complete, but handed over ${handed.length} times`);
    if (!recordText(env, partner.id)?.includes(outcome.res.newCredentialId)) fail('complete, but the record does not name the new credential');
    return 'complete';
  }
  if (outcome.e instanceof RotateIncompleteError) {
    const named = outcome.e.leftovers.map((l) => l.id).sort();
    if (JSON.stringify(named) !== JSON.stringify(oldLeft)) fail(`leftovers named ${JSON.stringify(named)}, but the old ones still there are ${JSON.stringify(oldLeft)}`);
    if (fresh.length !== 1 || handed.length !== 1) fail(`incomplete: ${fresh.length} new credentials, handed over ${handed.length} times`);
    return 'incomplete';
  }
  if (outcome.e instanceof DomainError && outcome.e.code === 'rotate-failed') {
    if (fresh.length !== 1 || !outcome.e.message.includes(fresh[0])) fail(`rotate-failed must name the new credential left behind: ${outcome.e.message}`);
    return 'stranded';
  }
  const e = outcome.e as Error;
  if (JSON.stringify(after) !== JSON.stringify(before)) fail(`failed (${e.name}: ${e.message.slice(0, 160)}), but the credentials changed: ${before.length} before, ${fresh.length} new, ${before.length - oldLeft.length} gone`);
  if (handed.length !== 0) fail('failed, but a credential was handed over');
  if (recordText(env, partner.id) !== o.recordBefore) fail('failed, but the record changed');
  return 'unchanged';
}

/** What a disconnect deletes and the emulator can tell is still there, as ResourceRef kind:id. */
export function presentFor(env: Env, spName: string, warehouseName: string): string[] {
  const sps = [...env.emu.state.servicePrincipals.values()].filter((s) => s.displayName === spName);
  return [
    ...sps.map((s) => `service-principal:${s.id}`),
    ...[...env.emu.state.tokens.values()].filter((t) => sps.some((s) => s.id === t.ownerId)).map((t) => `token:${t.token_id}`),
    ...[...env.emu.state.warehouses.values()].filter((w) => w.name === warehouseName).map((w) => `warehouse:${w.id}`),
  ].sort();
}

/**
 * A DisconnectIncompleteError names every principal, token and warehouse still there as remaining
 * (a timed-out delete that went through late may be named too), none of them as done, and nothing as
 * left that is gone (a delete answered 500 after the work was done).
 */
export function checkRemaining(env: Env, spName: string, warehouseName: string, e: DisconnectIncompleteError, fail: (why: string) => void): void {
  const present = presentFor(env, spName, warehouseName);
  const named = new Set(e.remaining.map((x) => `${x.kind}:${x.id}`));
  const done = new Set(e.done.map((x) => `${x.kind}:${x.id}`));
  for (const p of present) if (!named.has(p)) fail(`${p} is still there but not named as remaining`);
  for (const p of present) if (done.has(p)) fail(`${p} is reported done but still there`);
  const now = new Set(present);
  for (const x of e.remaining) if (['service-principal', 'token', 'warehouse'].includes(x.kind) && !now.has(`${x.kind}:${x.id}`)) fail(`${x.kind} ${x.id} is named as left but is gone`);
}

/**
 * A subtest runner for a matrix file: each operation's cases run in a subtest of their own, with an
 * emulator of their own (so they run side by side); the cases' summary is printed as a diagnostic.
 */
export function matrixRunner(t: TestContext, setup: (env: Env) => void = () => undefined) {
  return (name: string, body: (env: Env) => Promise<Tally>, opts?: Parameters<typeof startEnv>[0]): Promise<void> =>
    t.test(name, async () => {
      const env = await startEnv(opts);
      setup(env);
      try {
        const m = await body(env);
        assert.deepEqual(m.bad, [], m.summary);
        t.diagnostic(`${name}: ${m.summary}`);
      } finally {
        await env.close();
      }
    });
}
