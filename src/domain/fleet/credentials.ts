/**
 * The credentials of a partner's connection that expire, as detection reports them. Today these are
 * the service principal's personal access tokens (TokenMeta.expiry: 'never' or an ISO time); one
 * place to read them, so the fleet's "credential expiring" filter and its rotation follow whatever
 * detection reports.
 */
import type { PartnerStatus, TokenMeta } from '../state/types';

export interface ExpiringCredential {
  kind: 'token';
  id: string;
  /** ISO time */
  expiresAt: string;
  /** negative when already expired */
  daysLeft: number;
}

const DAY = 86_400_000;

export function credentialsOf(s: Pick<PartnerStatus, 'tokens'>): TokenMeta[] {
  return s.tokens;
}

/** The partner's credentials that expire within `days` (already expired ones included), soonest first. */
export function expiringCredentials(s: Pick<PartnerStatus, 'tokens'>, days: number, now = Date.now()): ExpiringCredential[] {
  const out: ExpiringCredential[] = [];
  for (const t of credentialsOf(s)) {
    if (t.expiry === 'never') continue;
    const at = Date.parse(t.expiry);
    if (!Number.isFinite(at) || at > now + days * DAY) continue;
    out.push({ kind: 'token', id: t.tokenId, expiresAt: t.expiry, daysLeft: Math.floor((at - now) / DAY) });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

/** The soonest expiry of any of the partner's credentials, or null when none expires. */
export function soonestExpiry(s: Pick<PartnerStatus, 'tokens'>): string | null {
  const times = credentialsOf(s)
    .filter((t) => t.expiry !== 'never' && Number.isFinite(Date.parse(t.expiry)))
    .map((t) => t.expiry)
    .sort();
  return times[0] ?? null;
}
