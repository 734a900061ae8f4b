/**
 * Creating, finding, describing and deleting a partner's credential — the one place that knows both
 * kinds:
 * - `pat`: an on-behalf-of personal access token (`POST /token-management/on-behalf-of/tokens`,
 *   AWS and GCP only), always with an explicit `lifetime_seconds` within the workspace's cap;
 * - `oauth-secret`: a workspace-level OAuth secret of the service principal
 *   (`POST /accounts/servicePrincipals/{scim id}/credentials/secrets`, every cloud); the partner signs
 *   in with OAuth M2M (client id = the applicationId).
 * Which kind: the partner's `auth_options` asking for AUTH_OAUTH_M2M, or an Azure workspace (host
 * `*.azuredatabricks.net`, or an on-behalf-of call refused with the documented message) → OAuth secret;
 * otherwise a PAT. Values only pass through: nothing here keeps, logs or returns one except the
 * create functions' answer, which the caller hands off once.
 */
import type { CallOptions, SecretInfo, ServicePrincipal, TokenInfo, WorkspaceClient } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import { workspaceCloud } from '../handoff/protocol';
import type { CloudProvider } from '../../client/partner/partnerConfig';
import { hostnameOf } from '../handoff/manual';
import { errorStatus, isNotFound, tokensOf } from '../util';
import type { CredentialKind, CredentialMeta, CredentialWarning } from './types';
import { CREDENTIAL_WORDS } from './types';

const DAY_MS = 86_400_000;
/** A credential expiring within this many days is flagged. */
export const EXPIRY_WARNING_DAYS = 30;
/** A token unused this long is flagged (Databricks revokes it at 90). */
export const UNUSED_WARNING_DAYS = 60;
export const UNUSED_REVOCATION_DAYS = 90;

/** Azure's documented refusal of on-behalf-of tokens (400; its error code is not documented). */
const OBO_REFUSED = /on-behalf-of token creation for service principals is not enabled/i;

export function isOboRefused(e: unknown): boolean {
  if (errorStatus(e) !== 400) return false;
  const m = (e as { serverMessage?: unknown; message?: unknown } | null) ?? {};
  return OBO_REFUSED.test(typeof m.serverMessage === 'string' ? m.serverMessage : '') || OBO_REFUSED.test(typeof m.message === 'string' ? m.message : '');
}

export function partnerAsksForOAuth(partner: CatalogPartner): boolean {
  return partner.partnerConfig?.auth_options?.includes('AUTH_OAUTH_M2M') ?? false;
}

/**
 * A protocol partner that only takes a PAT (auth_options absent or AUTH_PAT only): the protocol sends
 * service_principal_oauth_secret only to partners that list AUTH_OAUTH_M2M, so it cannot get a secret.
 */
export function partnerNeedsPat(partner: CatalogPartner): boolean {
  return partner.handoff === 'protocol' && !partnerAsksForOAuth(partner);
}

export interface CredentialChoice {
  kind: CredentialKind;
  /** why this kind, in words */
  why: string;
  /** a PAT whose on-behalf-of call is refused (Azure) may become an OAuth secret */
  fallbackToSecret: boolean;
}

/** `cloud`: the workspace's (handoff/protocol workspaceCloud), when more than its host name is known */
export function credentialChoiceFor(partner: CatalogPartner, workspaceHost: string, cloud: CloudProvider = workspaceCloud(hostnameOf(workspaceHost))): CredentialChoice {
  if (partnerAsksForOAuth(partner)) {
    return { kind: 'oauth-secret', why: `${partner.displayName} signs in with OAuth (its auth_options contain AUTH_OAUTH_M2M)`, fallbackToSecret: false };
  }
  const azure = cloud === 'azure';
  if (azure && !partnerNeedsPat(partner)) {
    return { kind: 'oauth-secret', why: 'Azure Databricks cannot create personal access tokens on behalf of a service principal', fallbackToSecret: false };
  }
  return {
    kind: 'pat',
    why: 'the workspace can create personal access tokens on behalf of a service principal (AWS and GCP)',
    fallbackToSecret: !partnerNeedsPat(partner),
  };
}

/**
 * The kind of credential a connection has — what a rotate makes again and what the UI names: the
 * record's; else a PAT when the record names a token or the principal holds one; else an OAuth secret
 * when the principal holds one; else what a connect would choose now (`cloud`: the workspace's, as for
 * credentialChoiceFor).
 */
export function connectionCredentialKind(
  partner: CatalogPartner,
  workspaceHost: string,
  record: { credential?: { kind: CredentialKind } | null; tokenId?: string | null } | null,
  held: readonly { kind: CredentialKind }[],
  cloud?: CloudProvider,
): CredentialKind {
  if (record?.credential) return record.credential.kind;
  if (record?.tokenId || held.some((c) => c.kind === 'pat')) return 'pat';
  return held.length > 0 ? 'oauth-secret' : credentialChoiceFor(partner, workspaceHost, cloud).kind;
}

/** The credential of a connection that acts as the user (a non-admin connecting a NON_ADMIN partner): their own PAT. */
export function userCredentialChoice(partner: Pick<CatalogPartner, 'displayName'>): CredentialChoice {
  return {
    kind: 'pat',
    why: `${partner.displayName} allows non-admins (NON_ADMIN) and a non-admin cannot create a service principal: the connection acts as you, with your own permissions`,
    fallbackToSecret: false,
  };
}

export interface IssuedCredential {
  kind: CredentialKind;
  id: string;
  /** ISO expiry, null when the workspace did not say */
  expiresAt: string | null;
  /** SECRET: hand it off once, never keep it */
  value: string;
}

export async function createPat(client: WorkspaceClient, sp: Pick<ServicePrincipal, 'applicationId'>, p: { lifetimeDays: number; comment: string }, o?: CallOptions): Promise<IssuedCredential> {
  const r = await client.createOboToken({ applicationId: sp.applicationId, comment: p.comment, lifetimeSeconds: Math.round(p.lifetimeDays * 86_400) }, o);
  return { kind: 'pat', id: r.token_info.token_id, expiresAt: expiryIso(r.token_info.expiry_time), value: r.token_value };
}

export async function createSecret(client: WorkspaceClient, sp: Pick<ServicePrincipal, 'id'>, p: { lifetimeDays: number; existingSecretIds?: readonly string[] }, o?: CallOptions): Promise<IssuedCredential> {
  const r = await client.createServicePrincipalSecret(sp.id, { lifetimeSeconds: Math.round(p.lifetimeDays * 86_400), existingSecretIds: p.existingSecretIds }, o);
  return { kind: 'oauth-secret', id: r.id, expiresAt: r.expire_time ?? null, value: r.secret };
}

export function createCredential(
  client: WorkspaceClient,
  kind: CredentialKind,
  sp: Pick<ServicePrincipal, 'id' | 'applicationId'>,
  p: { lifetimeDays: number; comment: string; existingSecretIds?: readonly string[] },
  o?: CallOptions,
): Promise<IssuedCredential> {
  return kind === 'pat' ? createPat(client, sp, p, o) : createSecret(client, sp, p, o);
}

/** Deletes one credential; 'gone' when it was already absent. */
export async function deleteCredential(client: WorkspaceClient, spScimId: string, c: { kind: CredentialKind; id: string }, o?: CallOptions): Promise<'removed' | 'gone'> {
  try {
    if (c.kind === 'pat') await client.deleteToken(c.id, o);
    else await client.deleteServicePrincipalSecret(spScimId, c.id, o);
    return 'removed';
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    throw e;
  }
}

/** Tokens of a principal with this exact comment (finds a token whose create answer was lost). */
export function tokensWithComment(tokens: readonly TokenInfo[], sp: Pick<ServicePrincipal, 'id' | 'applicationId'>, comment: string): TokenInfo[] {
  return tokensOf(tokens, sp).filter((t) => t.comment === comment);
}

function expiryIso(ms: number | undefined): string | null {
  if (ms === undefined || ms === -1 || ms === 0) return null;
  return new Date(ms).toISOString();
}

// ------------------------------------------------------------------ metadata and hygiene
export function metaOfToken(t: TokenInfo): CredentialMeta {
  const never = t.expiry_time === undefined || t.expiry_time === -1 || t.expiry_time === 0;
  return {
    kind: 'pat',
    id: t.token_id,
    comment: t.comment ?? '',
    createdAt: t.creation_time ? new Date(t.creation_time).toISOString() : null,
    expiry: never ? 'never' : new Date(t.expiry_time as number).toISOString(),
    lastUsedDay: t.last_used_day ? new Date(t.last_used_day).toISOString().slice(0, 10) : null,
    status: null,
  };
}

export function metaOfSecret(s: SecretInfo): CredentialMeta {
  return {
    kind: 'oauth-secret',
    id: s.id,
    comment: '',
    createdAt: s.create_time ?? null,
    expiry: s.expire_time ?? 'never',
    lastUsedDay: null,
    status: s.status ?? null,
  };
}

export function credentialExpired(c: Pick<CredentialMeta, 'expiry'>, now: number): boolean {
  return c.expiry !== 'never' && Date.parse(c.expiry) <= now;
}

const day = (iso: string): string => iso.slice(0, 10);

/** Warnings for credentials that still work: expiring within 30 days, or (PATs) unused for 60+ days. */
export function credentialWarnings(creds: readonly CredentialMeta[], now: number): CredentialWarning[] {
  const out: CredentialWarning[] = [];
  for (const c of creds) {
    if (credentialExpired(c, now)) continue;
    const words = CREDENTIAL_WORDS[c.kind];
    if (c.expiry !== 'never') {
      const left = Math.ceil((Date.parse(c.expiry) - now) / DAY_MS);
      if (left <= EXPIRY_WARNING_DAYS) {
        out.push({ code: 'credential-expiring', credentialId: c.id, kind: c.kind, date: c.expiry, message: `The ${words} ${c.id} expires on ${day(c.expiry)} (in ${left} day${left === 1 ? '' : 's'}): rotate it.` });
      }
    }
    if (c.kind === 'pat') {
      const since = c.lastUsedDay ?? c.createdAt;
      if (since) {
        const idle = Math.floor((now - Date.parse(since)) / DAY_MS);
        if (idle >= UNUSED_WARNING_DAYS) {
          out.push({
            code: 'credential-unused',
            credentialId: c.id,
            kind: c.kind,
            date: since,
            message: `The ${words} ${c.id} ${c.lastUsedDay ? `was last used on ${day(since)}` : `has not been used since it was created on ${day(since)}`} (${idle} days): Databricks revokes tokens unused for ${UNUSED_REVOCATION_DAYS} days.`,
          });
        }
      }
    }
  }
  return out;
}
