/**
 * One partner's verdict from the facts of wave 1 (state/facts.ts): `classify` gives the status so far
 * and the wave-2 reads it needs (its grants, its principal's OAuth secrets), each returning what it
 * read; `judge` gives the status once they are read; `withTrust` marks a record from a folder
 * non-admins can write. Nothing is changed in place.
 */
import type { CallOptions, ServicePrincipal, WorkspaceClient } from '../../client/api';
import { principalNameOf, type CatalogPartner } from '../partners/catalog';
import { expectedGrants, PROFILES } from '../profiles/profiles';
import { HIVE_METASTORE, quoteIdentifier } from '../profiles/plan';
import { isStaleConnecting, STALE_CONNECT_MINUTES, type ConnectionRecord } from '../record/record';
import { describeTrust, type FolderTrust } from '../record/trust';
import { directLevel, isNotFound, isPermissionDenied, sameName, tokenMeta, tokensOf } from '../util';
import { credentialExpired, credentialWarnings, metaOfSecret, metaOfToken } from '../credentials/credentials';
import { CREDENTIAL_WORDS } from '../credentials/types';
import { compareGrants, describeDifference, heldWords, parseShowGrants, type ActualGrants } from './grants';
import { reasonsOf, type ComputeInfo, type DegradedReason, type GrantsSummary, type PartnerStatus, type PartnerStatusFields } from './types';
import type { CredentialMeta, CredentialWarning } from '../credentials/types';
import { principalsOf, type WorkspaceFacts } from './facts';

/** What wave 2 read for a partner; absent: not read (or not readable). */
export interface PartnerExtras {
  /** the principal's OAuth secrets */
  secrets?: CredentialMeta[];
  /** its grants, compared with its profile */
  actual?: ActualGrants;
}

/**
 * One partner classified from the wave-1 facts: its status so far, the wave-2 reads it needs (each
 * returns what it read, nothing is changed in place) and `judge`, the status once they are read.
 */
export interface Draft {
  status: PartnerStatus;
  /** its grants (connected partners with a principal): what `judge` compares with the profile */
  checks: (() => Promise<ActualGrants>) | null;
  /** the principal's OAuth secrets (admins only); undefined when they may not be listed */
  secrets: (() => Promise<CredentialMeta[] | undefined>) | null;
  judge(extras: PartnerExtras): PartnerStatus;
}

export const EMPTY_GRANTS: GrantsSummary = { checked: false, differences: [], held: [] };

/** A status wave 2 cannot change (invalid record, connect incomplete, another principal, check mark only). */
function settled(status: PartnerStatus): Draft {
  return { status, checks: null, secrets: null, judge: () => status };
}

/** Classifies one partner from wave-1 facts and prepares its wave-2 reads. */
export function classify(
  client: WorkspaceClient,
  facts: WorkspaceFacts,
  partner: CatalogPartner,
  o: CallOptions,
  opts: { checkGrants: boolean; allowWarehouseStart: boolean; now?: () => number },
): Draft {
  const now = opts.now ?? Date.now;
  const rec = facts.records.get(partner.id) ?? { kind: 'absent' as const };
  const record: ConnectionRecord | null = rec.kind === 'ok' ? rec.record : null;
  const sps = principalsOf(facts, partner);
  const sp = (record?.servicePrincipal && sps.find((s) => s.id === record.servicePrincipal?.id)) || sps[0] || null;
  const spTokens = sp && facts.tokens ? tokensOf(facts.tokens, sp) : [];
  const base: PartnerStatusFields = {
    partnerId: partner.id,
    partner,
    servicePrincipal: sp,
    tokens: spTokens.map(tokenMeta),
    credentials: spTokens.map(metaOfToken),
    warnings: [],
    compute: computeOf(record, facts),
    catalog: record?.catalog ?? null,
    schemas: record?.schemas ?? [],
    grants: EMPTY_GRANTS,
    partnerAccountAdministrator: record?.partnerAccountAdministrator ?? null,
    record,
    recordProblem: rec.kind === 'invalid' ? rec.problem : null,
  };

  if (rec.kind === 'invalid') {
    return settled({ ...base, state: 'degraded', reasons: [{ code: 'record-invalid', message: `The connection record exists but cannot be read (${rec.problem}).` }] });
  }
  // OAuth secrets of the principal (wave 2; admins only): listed for every partner whose principal exists
  // needed where the record names a secret, or names no credential, or the principal was made outside this extension
  // (a connection with a live recorded token needs no listing: one request fewer per partner)
  const wantSecrets = !record || record.credential?.kind === 'oauth-secret' || (!record.credential && !record.tokenId);
  const listSecrets =
    sp && facts.tokens !== null && wantSecrets
      ? async (): Promise<CredentialMeta[] | undefined> => {
          try {
            return (await client.listServicePrincipalSecrets(sp.id, o)).map(metaOfSecret);
          } catch (e) {
            if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
            return undefined;
          }
        }
      : null;
  const credentialsWith = (x: PartnerExtras): CredentialMeta[] => (x.secrets ? [...base.credentials, ...x.secrets] : base.credentials);
  // most partners of a workspace: no record, no principal - nothing for wave 2 to read or change
  if (!record && !sp) return settled({ ...base, warnings: credentialWarnings(base.credentials, now()), state: 'not-connected' });
  if (!record) {
    const judge = (x: PartnerExtras): PartnerStatus => {
      const credentials = credentialsWith(x);
      return { ...base, credentials, warnings: credentialWarnings(credentials, now()), state: sp ? 'connected-outside' : 'not-connected' };
    };
    return { status: judge({}), checks: null, secrets: listSecrets, judge };
  }
  if (record.state === 'connecting') {
    return settled({
      ...base,
      state: 'degraded',
      reasons: [
        {
          code: 'connect-incomplete',
          message: isStaleConnecting(record, now())
            ? `A connect by ${record.connectedBy} started at ${record.connectedAt} never finished: it was interrupted${record.handoffStartedAt && !record.connectionId ? ` after the hand-off to ${partner.displayName} had started (the partner may hold a connection)` : ''}. An admin can take it over (Take Over Interrupted Connect…).`
            : `A connect by ${record.connectedBy} started at ${record.connectedAt} has not finished: it is still running or was interrupted (after ${STALE_CONNECT_MINUTES} minutes an admin can take it over).`,
        },
      ],
    });
  }

  // reasons known from wave 1; the credential's and the grants' come with wave 2 (judge)
  const reasons: DegradedReason[] = [];
  if (partner.needsServicePrincipal) {
    const recorded = record.servicePrincipal;
    const exact = recorded ? sps.find((s) => s.id === recorded.id) : undefined;
    if (!exact) {
      if (sps.length > 0) {
        return settled({
          ...base,
          state: 'degraded',
          reasons: [
            {
              code: 'sp-mismatch',
              message: `The record names service principal ${recorded?.id ?? '(none)'}, but the workspace holds a different ${principalNameOf(partner)} (${sps.map((s) => s.id).join(', ')}).`,
            },
          ],
        });
      }
      return settled({ ...base, state: 'check-mark-only', servicePrincipal: null, tokens: [], credentials: [] });
    }
    if (!exact.active) reasons.push({ code: 'sp-inactive', message: `${exact.displayName} is deactivated: the partner cannot sign in.` });
  }
  if (base.compute && !base.compute.exists) {
    reasons.push({ code: 'compute-gone', message: `The ${base.compute.kind} ${base.compute.name ?? base.compute.id} (${base.compute.id}) no longer exists.` });
  }

  const judge = (x: PartnerExtras): PartnerStatus => {
    const credentials = credentialsWith(x);
    const { reasons: credentialReasons, warnings } = assessCredentials(partner, record, sp, credentials, facts.tokens !== null, x.secrets !== undefined, now());
    let grants = EMPTY_GRANTS;
    const grantReasons: DegradedReason[] = [];
    if (x.actual) {
      const expected = expectedGrants(partner.profile, { catalog: record.catalog, schemas: record.schemas, isHive: record.isHive });
      const warehouseId = base.compute?.kind === 'warehouse' && base.compute.exists ? base.compute.id : null;
      const differences = compareGrants(expected, x.actual, warehouseId);
      grants = {
        checked: true,
        differences,
        held: heldWords(x.actual),
        ...(x.actual.hive === null && record.isHive ? { hiveNotChecked: true } : {}),
        ...(x.actual.unreadable ? { notReadable: x.actual.unreadable } : {}),
      };
      if (differences.length) grantReasons.push({ code: 'grants-differ', message: `Grants differ from what ${partner.displayName} should hold: ${differences.map(describeDifference).join('; ')}.` });
    }
    const all = [...reasons, ...credentialReasons, ...grantReasons];
    const fields = { ...base, credentials, warnings, grants };
    return all.length ? { ...fields, state: 'degraded', reasons: all } : { ...fields, state: 'connected' };
  };

  const checks =
    opts.checkGrants && partner.needsServicePrincipal && sp
      ? (): Promise<ActualGrants> => fetchActualGrants(client, facts, partner, record, sp, base.compute, o, opts.allowWarehouseStart)
      : null;
  return { status: judge({}), checks, secrets: listSecrets, judge };
}

/** The compute a record names, as the warehouse list shows it. */
function computeOf(record: ConnectionRecord | null, facts: Pick<WorkspaceFacts, 'warehouses'>): ComputeInfo | null {
  if (!record?.compute) return null;
  const c = record.compute;
  const w = c.kind === 'warehouse' && facts.warehouses ? facts.warehouses.find((x) => x.id === c.id) : undefined;
  const known = c.kind === 'warehouse' && facts.warehouses !== null;
  return { kind: c.kind, id: c.id, name: w?.name ?? c.name ?? null, state: w?.state ?? null, createdForPartner: c.createdForPartner, exists: known ? !!w : true };
}

/** The credential's state: missing or expired → degraded; expiring or unused → a warning with the date. */
function assessCredentials(
  partner: CatalogPartner,
  record: ConnectionRecord,
  sp: ServicePrincipal | null,
  credentials: CredentialMeta[],
  tokensListed: boolean,
  secretsKnown: boolean,
  t: number,
): { reasons: DegradedReason[]; warnings: CredentialWarning[] } {
  const reasons: DegradedReason[] = [];
  if (!partner.needsServicePrincipal || !tokensListed || !sp) return { reasons, warnings: [] };
  const recorded = record.credential ?? (record.tokenId ? { kind: 'pat' as const, id: record.tokenId, expiresAt: null, lifetimeDays: 0 } : null);
  const live = credentials.filter((c) => !credentialExpired(c, t));
  const warnings = credentialWarnings(live, t);
  if (recorded) {
    const words = CREDENTIAL_WORDS[recorded.kind];
    const c = credentials.find((x) => x.kind === recorded.kind && x.id === recorded.id);
    if (!c) {
      if (recorded.kind === 'oauth-secret' && !secretsKnown) return { reasons, warnings };
      reasons.push(
        recorded.kind === 'pat'
          ? { code: 'token-revoked', message: `The ${words} ${recorded.id} created for the partner was revoked or deleted (Databricks revokes tokens unused for 90 days): rotate it.` }
          : { code: 'secret-revoked', message: `The ${words} ${recorded.id} created for the partner was deleted: rotate it.` },
      );
    } else if (credentialExpired(c, t)) {
      reasons.push({ code: 'credential-expired', message: `The ${words} ${recorded.id} created for the partner expired on ${c.expiry.slice(0, 10)}: rotate it.` });
    }
  } else if (live.length === 0 && secretsKnown) {
    reasons.push({ code: 'token-missing', message: `${sp.displayName} has no valid personal access token or OAuth secret.` });
  }
  return { reasons, warnings };
}

/** The limitation to report when some of a partner's grants could not be read. */
export function grantsLimitation(partner: CatalogPartner, actual: ActualGrants | undefined): string | null {
  if (!actual?.unreadable) return null;
  return `grants of ${partner.displayName} on ${actual.unreadable.map((k) => k.replace(':', ' ')).join(', ')}: not readable by the caller (owner, metastore admin or USE CATALOG needed)`;
}

/** Runs a draft's wave-2 reads (in parallel) and returns what they read. */
export async function readExtras(d: Pick<Draft, 'checks' | 'secrets'>): Promise<PartnerExtras> {
  const [actual, secrets] = await Promise.all([d.checks ? d.checks() : undefined, d.secrets ? d.secrets() : undefined]);
  return { actual, secrets };
}

/** Wave-2 reads of one connected partner's grants. */
export async function fetchActualGrants(
  client: WorkspaceClient,
  facts: Pick<WorkspaceFacts, 'tokenAcl'>,
  partner: CatalogPartner,
  record: Pick<ConnectionRecord, 'catalog' | 'schemas' | 'isHive'>,
  sp: ServicePrincipal,
  compute: ComputeInfo | null,
  o: CallOptions,
  allowWarehouseStart: boolean,
): Promise<ActualGrants> {
  const profile = PROFILES[partner.profile];
  const app = sp.applicationId;
  const uc = new Map<string, string[]>();
  const unreadable: string[] = [];
  let hive: Map<string, string[]> | null = null;
  const jobs: Promise<void>[] = [];
  let warehouseUse: string | null | undefined;
  const warehouse = compute?.kind === 'warehouse' && compute.exists ? compute : null;
  if (warehouse) {
    jobs.push(
      client.getWarehousePermissions(warehouse.id, o).then(
        (acl) => {
          warehouseUse = directLevel(acl, app);
        },
        (e: unknown) => {
          if (!isNotFound(e) && !isPermissionDenied(e)) throw e;
        },
      ),
    );
  }
  if (record.catalog && !record.isHive && profile.unityCatalog) {
    const pick = (rows: { principal: string; privileges: string[] }[]): string[] => rows.filter((r) => sameName(r.principal, app)).flatMap((r) => r.privileges);
    const targets: [string, 'catalog' | 'schema', string][] = [[`catalog:${record.catalog}`, 'catalog', record.catalog]];
    for (const s of record.schemas) targets.push([`schema:${record.catalog}.${s}`, 'schema', `${record.catalog}.${s}`]);
    for (const [key, type, full] of targets) {
      jobs.push(
        client.getGrants(type, full, o).then(
          (rows) => void uc.set(key, pick(rows)),
          (e: unknown) => {
            if (isPermissionDenied(e)) {
              // e.g. a workspace admin without USE CATALOG on someone else's catalog: not compared, and said so
              unreadable.push(key);
              return;
            }
            if (!isNotFound(e)) throw e;
            uc.set(key, []);
          },
        ),
      );
    }
  }
  if (record.catalog && record.isHive && profile.hive && warehouse && (warehouse.state === 'RUNNING' || allowWarehouseStart)) {
    hive = new Map();
    const h = hive;
    const targets: [string, string][] = [['CATALOG', `SHOW GRANTS ${quoteIdentifier(app)} ON CATALOG ${quoteIdentifier(HIVE_METASTORE)}`]];
    for (const s of record.schemas) targets.push([`SCHEMA ${s}`, `SHOW GRANTS ${quoteIdentifier(app)} ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(s)}`]);
    for (const [key, statement] of targets) {
      jobs.push(
        client.executeStatement({ warehouseId: warehouse.id, statement }, o).then(
          (r) => void h.set(key, parseShowGrants(r.result?.data_array ?? [], app)),
          (e: unknown) => {
            if ((e as { errorCode?: string }).errorCode === 'BAD_REQUEST' || isNotFound(e)) h.set(key, []);
            else throw e;
          },
        ),
      );
    }
  }
  await Promise.all(jobs);
  return {
    entitlements: sp.entitlements.map((e) => e.value),
    tokenUse: directLevel(facts.tokenAcl, app),
    warehouseUse,
    uc,
    hive,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** A record read from a folder that is not admin-only is shown as untrusted (degraded), never silently believed. */
export function withTrust(status: PartnerStatus, trust: FolderTrust): PartnerStatus {
  if (trust.kind === 'trusted' || (!status.record && !status.recordProblem)) return status;
  return { ...status, state: 'degraded', reasons: [{ code: 'record-untrusted', message: describeTrust(trust) }, ...reasonsOf(status).filter((r) => r.code !== 'record-untrusted')] };
}
