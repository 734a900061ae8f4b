/**
 * The credentials of a partner's connection that expire, as detection reports them
 * (`PartnerStatus.credentials`: its PATs and OAuth secrets, metadata only). One place, so that the
 * fleet's "credential expiring" filter and its rotation read the same thing.
 */
import type { CredentialKind, CredentialMeta } from '../credentials/types';
import type { PartnerStatus } from '../state/types';

export interface ExpiringCredential {
  kind: CredentialKind;
  id: string;
  /** ISO time */
  expiresAt: string;
  /** negative when already expired */
  daysLeft: number;
}

const DAY = 86_400_000;

export function credentialsOf(s: Pick<PartnerStatus, 'credentials'>): CredentialMeta[] {
  return s.credentials ?? [];
}

/** The partner's credentials that expire within `days` (already expired ones included), soonest first. */
export function expiringCredentials(s: Pick<PartnerStatus, 'credentials'>, days: number, now = Date.now()): ExpiringCredential[] {
  const out: ExpiringCredential[] = [];
  for (const c of credentialsOf(s)) {
    if (c.expiry === 'never') continue;
    const at = Date.parse(c.expiry);
    if (!Number.isFinite(at) || at > now + days * DAY) continue;
    out.push({ kind: c.kind, id: c.id, expiresAt: c.expiry, daysLeft: Math.floor((at - now) / DAY) });
  }
  return out.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
}

/** The soonest expiry of any of the partner's credentials, or null when none expires. */
export function soonestExpiry(s: Pick<PartnerStatus, 'credentials'>): string | null {
  const times = credentialsOf(s)
    .filter((c) => c.expiry !== 'never' && Number.isFinite(Date.parse(c.expiry)))
    .map((c) => c.expiry)
    .sort();
  return times[0] ?? null;
}
