/** What the fault, cancellation and killed-process matrices share: the rule for a request, the trace, what the emulator holds. */
import type { FaultRule, RecordedRequest } from '../emulator';
import { rule, type Kind } from '../domain/faultCases';
import type { Env } from '../domain/helpers';

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

/**
 * The rule for a request of the clean run: a DELETE names an id that is new in every run (a token, a
 * warehouse, a secret), so its rule matches any id under the same path.
 */
export const faultFor = (kind: Kind, r: Req): FaultRule => rule(kind, r.method, pathOf(r), r.nth);

type Req = { method: string; path: string; nth: number };
const pathOf = (r: Req): string => (r.method === 'DELETE' ? r.path.replace(/[^/]+$/, '*') : r.path);

export const trace = (seen: RecordedRequest[]): string => seen.map((q) => `${q.method} ${q.path} ${q.status}${q.faulted ? ' <- fault' : ''}`).join('; ');

/** A rule that calls `onMatch` when the request of the clean run arrives (cancel, kill) and lets it through. */
export const at = (r: Req, onMatch: FaultRule['onMatch']): FaultRule => ({ method: r.method, path: pathOf(r), nth: r.nth, onMatch });

/** Every request of a clean run × the kinds it gets, each with its label. */
export function* casesOf(reqs: Req[], kinds: (method: string) => readonly Kind[]): Generator<{ r: Req; kind: Kind; label: string }> {
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
