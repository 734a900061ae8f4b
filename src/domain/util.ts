/** Small shared helpers of the engine (no I/O of their own). */
import type { ObjectPermissions, ScimUser, ServicePrincipal, TokenInfo } from '../client/api';
import { scimEq } from '../client/scim';
import type { TokenMeta } from './state/types';

export function errorStatus(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}
export function errorCode(e: unknown): string | undefined {
  const c = (e as { errorCode?: unknown } | null)?.errorCode;
  return typeof c === 'string' ? c : undefined;
}
/** 404 / RESOURCE_DOES_NOT_EXIST / NOT_FOUND: the object is not there. */
export function isNotFound(e: unknown): boolean {
  const code = errorCode(e);
  return errorStatus(e) === 404 || code === 'RESOURCE_DOES_NOT_EXIST' || code === 'NOT_FOUND' || (e as { isNotFound?: unknown } | null)?.isNotFound === true;
}
export function isPermissionDenied(e: unknown): boolean {
  return errorStatus(e) === 403 || errorCode(e) === 'PERMISSION_DENIED';
}

export function sameName(a: string | undefined | null, b: string | undefined | null): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** Token metadata (never the value). */
export function tokenMeta(t: TokenInfo): TokenMeta {
  const never = t.expiry_time === undefined || t.expiry_time === -1 || t.expiry_time === 0;
  return {
    tokenId: t.token_id,
    comment: t.comment ?? '',
    createdAt: t.creation_time ? new Date(t.creation_time).toISOString() : null,
    expiry: never ? 'never' : new Date(t.expiry_time as number).toISOString(),
    createdBy: t.created_by_username ?? t.created_by_id ?? null,
    ownerId: t.owner_id ?? null,
  };
}

/** Tokens owned by a service principal (owner_id = the SP's SCIM id). */
export function tokensOf(tokens: readonly TokenInfo[], sp: Pick<ServicePrincipal, 'id' | 'applicationId'>): TokenInfo[] {
  return tokens.filter((t) => t.owner_id === sp.id || (t.owner_id === undefined && (t.created_by_id === sp.id || sameName(t.created_by_username, sp.applicationId))));
}

/** The permission level a service principal holds directly in an ACL, or null. */
export function directLevel(acl: ObjectPermissions | null | undefined, applicationId: string): string | null {
  const e = acl?.access_control_list.find((a) => sameName(a.service_principal_name, applicationId));
  const direct = e?.all_permissions.filter((p) => !p.inherited);
  return direct && direct.length ? direct[0].permission_level : null;
}

/** Is a principal name (user or group) the caller or one of the caller's groups? */
export function ownedByCaller(owner: string | undefined | null, me: Pick<ScimUser, 'userName' | 'groups'>): boolean {
  if (!owner) return false;
  if (sameName(owner, me.userName)) return true;
  return me.groups.some((g) => sameName(g.display, owner));
}

export function isAdmin(me: Pick<ScimUser, 'groups'>): boolean {
  return me.groups.some((g) => g.display === 'admins');
}

/**
 * One wave of parallel requests. On the first failure the rest of the wave is cancelled (its signal
 * aborts) and awaited before that failure is thrown, so nothing of the wave is still running — or
 * still retrying — when the caller reacts (a plain Promise.all would leave the others going). The
 * caller's own signal cancels the whole wave.
 */
export async function wave<const T extends readonly unknown[]>(
  signal: AbortSignal | undefined,
  start: (o: { signal: AbortSignal }) => { readonly [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const ac = new AbortController();
  const onAbort = (): void => ac.abort(signal?.reason);
  if (signal?.aborted) ac.abort(signal.reason);
  else signal?.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  let first: unknown;
  try {
    const started = start({ signal: ac.signal }) as readonly Promise<unknown>[];
    const settled = await Promise.allSettled(
      started.map((p) =>
        p.catch((e: unknown) => {
          if (!failed) {
            failed = true;
            first = e;
            ac.abort();
          }
          throw e;
        }),
      ),
    );
    if (failed) throw first;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Databricks refuses a SCIM filter of more than 200 nodes (HTTP 400 INVALID_FILTER): 90 names joined
 * by `or` are 179.
 */
export const SCIM_FILTER_MAX_NAMES = 90;

/**
 * Splits names into SCIM `displayName eq … or …` filters of at most 90 names (under the 200-node
 * cap) and below `maxLength` characters (a URL well inside what servers and proxies accept): the 30
 * built-in partners' principals are one filter, one request.
 */
export function displayNameFilters(names: readonly string[], maxLength = 4000, maxNames = SCIM_FILTER_MAX_NAMES): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let len = 0;
  for (const n of names) {
    const term = scimEq('displayName', n);
    if (cur.length && (len + term.length + 4 > maxLength || cur.length >= maxNames)) {
      out.push(cur.join(' or '));
      cur = [];
      len = 0;
    }
    cur.push(term);
    len += term.length + 4;
  }
  if (cur.length) out.push(cur.join(' or '));
  return out;
}
