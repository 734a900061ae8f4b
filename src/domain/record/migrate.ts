/**
 * Moving connection records out of the legacy folder `/Shared/.partner-connect` (every user of the
 * workspace can edit it: ./trust.ts) into the admin-only record folder.
 *
 * A legacy record is a claim, not proof. Each one is checked against the workspace before it moves,
 * and only what the workspace confirms is carried over — so a moved record never names a deletion
 * target the workspace did not confirm:
 * - the service principal: only one that exists and is named the partner's `<PARTNER>_USER`;
 * - the credential: only a token or OAuth secret of that principal;
 * - compute "created for the partner": only a warehouse with that id that carries the extension's
 *   `partner-connect=<partner>` tag; otherwise (and for a cluster, always) the compute is kept as
 *   "not created for the partner", so a Disconnect leaves it alone;
 * - the partner's connection id cannot be checked in the workspace: it is not carried over;
 * - a record that cannot be read, a `connecting` one, or one for a partner that already has a record
 *   in the admin folder does not move (the plan says why).
 * The admin sees the plan and confirms. The move re-reads each legacy file (one changed since the
 * plan does not move), writes the new record with overwrite disabled and then deletes the legacy file.
 */
import type { CallOptions, SecretInfo, WorkspaceClient } from '../../client/api';
import type { CatalogPartner, PartnerCatalog } from '../partners/catalog';
import { principalNameOf } from '../partners/catalog';
import { taggedFor } from '../disconnect/preview';
import { displayNameFilters, isNotFound, isPermissionDenied, sameName, tokensOf } from '../util';
import { isAlreadyExists, parseRecord, recordFolderOf, recordPathFor, serializeRecord, type ConnectionRecord } from './record';
import { checkRecordFolderTrust, describeTrust, LEGACY_RECORD_FOLDER, type FolderTrust } from './trust';

export interface LegacyRecordPlan {
  partnerId: string;
  partnerName: string;
  /** the legacy file */
  path: string;
  /** where it moves to */
  target: string;
  action: 'move' | 'skip';
  /** the record as it will be written (move only) */
  record: ConnectionRecord | null;
  /** the legacy file's text the plan was made from (the move checks it did not change) */
  text: string;
  /** what the workspace confirmed and what is not carried over, one line each */
  findings: string[];
  /** skip only: why it does not move */
  reason: string | null;
}

export interface MigrationPlan {
  recordFolder: string;
  /** who can write the record folder: nothing moves unless it is admin-only */
  trust: FolderTrust;
  entries: LegacyRecordPlan[];
  /** files in the legacy folder that are no record of a catalog partner (left where they are) */
  otherFiles: string[];
}

export interface MigrationResult {
  kind: 'migrate-records';
  moved: { partnerId: string; from: string; to: string }[];
  skipped: { partnerId: string; path: string; reason: string }[];
}

const legacyPath = (partnerId: string): string => recordPathFor(LEGACY_RECORD_FOLDER, partnerId);

/** Reads the legacy folder and checks every record in it against the workspace. */
export async function planLegacyMigration(
  client: WorkspaceClient,
  catalog: PartnerCatalog,
  opts: { recordFolder?: string; signal?: AbortSignal; userName?: string } = {},
): Promise<MigrationPlan> {
  const o: CallOptions = { signal: opts.signal };
  const folder = recordFolderOf(opts);
  const [listing, trust] = await Promise.all([
    client.listWorkspaceFiles(LEGACY_RECORD_FOLDER, o).catch((e: unknown) => {
      if (isNotFound(e) || isPermissionDenied(e)) return [];
      throw e;
    }),
    checkRecordFolderTrust(client, folder, o),
  ]);
  const files = listing.filter((f) => f.object_type !== 'DIRECTORY').map((f) => f.path);
  const partners = catalog.partners.filter((p) => files.includes(legacyPath(p.id)));
  const otherFiles = files.filter((f) => !partners.some((p) => legacyPath(p.id) === f));
  if (partners.length === 0) return { recordFolder: folder, trust, entries: [], otherFiles };

  const names = [...new Set(partners.map(principalNameOf))];
  const [texts, existing, spLists, tokens, warehouses] = await Promise.all([
    Promise.all(partners.map((p) => client.readWorkspaceFile(legacyPath(p.id), o))),
    Promise.all(partners.map((p) => client.readWorkspaceFile(recordPathFor(folder, p.id), o))),
    Promise.all(displayNameFilters(names).map((filter) => client.listServicePrincipals({ filter }, o))),
    client.listTokens({}, o).catch((e: unknown) => {
      if (isPermissionDenied(e)) return null;
      throw e;
    }),
    client.listWarehouses(o).catch((e: unknown) => {
      if (isPermissionDenied(e)) return null;
      throw e;
    }),
  ]);
  const sps = spLists.flat();
  const entries = await Promise.all(
    partners.map(async (p, i): Promise<LegacyRecordPlan> => {
      const path = legacyPath(p.id);
      const target = recordPathFor(folder, p.id);
      const text = texts[i] ?? '';
      const skip = (reason: string, findings: string[] = []): LegacyRecordPlan => ({ partnerId: p.id, partnerName: p.displayName, path, target, action: 'skip', record: null, text, findings, reason });
      if (existing[i] !== null) return skip(`${target} already exists; the legacy record is left where it is (delete it by hand once you have checked it)`);
      const parsed = parseRecord(text);
      if (parsed.kind !== 'ok') return skip(`it cannot be read (${parsed.kind === 'invalid' ? parsed.problem : 'gone'})`);
      const r = parsed.record;
      if (r.partner !== p.id) return skip(`it names another partner (${r.partner})`);
      if (r.state === 'connecting') return skip(`it belongs to a connect that never finished (started by ${r.connectedBy} at ${r.connectedAt}); Disconnect resets what it left`);
      return verify(client, p, r, { sps, tokens, warehouses, path, target, text, userName: opts.userName }, o);
    }),
  );
  return { recordFolder: folder, trust, entries, otherFiles };
}

async function verify(
  client: WorkspaceClient,
  p: CatalogPartner,
  r: ConnectionRecord,
  facts: {
    sps: Awaited<ReturnType<WorkspaceClient['listServicePrincipals']>>;
    tokens: Awaited<ReturnType<WorkspaceClient['listTokens']>> | null;
    warehouses: Awaited<ReturnType<WorkspaceClient['listWarehouses']>> | null;
    path: string;
    target: string;
    text: string;
    userName?: string;
  },
  o: CallOptions,
): Promise<LegacyRecordPlan> {
  const findings: string[] = [];
  const name = principalNameOf(p);
  const claimed = r.servicePrincipal;
  const sp = claimed ? facts.sps.find((s) => s.id === claimed.id && sameName(s.displayName, name)) : undefined;
  let servicePrincipal: ConnectionRecord['servicePrincipal'] = null;
  if (claimed && sp) {
    servicePrincipal = { id: sp.id, applicationId: sp.applicationId, displayName: sp.displayName };
    findings.push(`service principal ${sp.displayName} (${sp.id}): confirmed by the workspace`);
  } else if (claimed) {
    findings.push(`service principal ${claimed.displayName} (${claimed.id}): not carried over — the workspace has no ${name} with that id`);
  }

  // the credential: only one the verified principal holds
  let credential: ConnectionRecord['credential'] = null;
  let tokenId: string | null = null;
  const c = r.credential ?? (r.tokenId ? { kind: 'pat' as const, id: r.tokenId, expiresAt: null, lifetimeDays: 1 } : null);
  if (c && sp) {
    let held = false;
    if (c.kind === 'pat') held = !!facts.tokens && tokensOf(facts.tokens, sp).some((t) => t.token_id === c.id);
    else {
      const secrets: SecretInfo[] = await client.listServicePrincipalSecrets(sp.id, o).catch((e: unknown) => {
        if (isNotFound(e) || isPermissionDenied(e)) return [];
        throw e;
      });
      held = secrets.some((x) => x.id === c.id);
    }
    if (held) {
      credential = r.credential ?? null;
      tokenId = c.kind === 'pat' ? c.id : null;
      findings.push(`${c.kind === 'pat' ? 'token' : 'OAuth secret'} ${c.id}: confirmed (held by ${sp.displayName})`);
    } else findings.push(`${c.kind === 'pat' ? 'token' : 'OAuth secret'} ${c.id}: not carried over — ${sp.displayName} holds no such credential`);
  } else if (c) findings.push(`${c.kind === 'pat' ? 'token' : 'OAuth secret'} ${c.id}: not carried over — its service principal is not confirmed`);

  // compute: "created for the partner" only with the id AND the extension's tag
  let compute: ConnectionRecord['compute'] = null;
  if (r.compute) {
    const w = r.compute.kind === 'warehouse' ? facts.warehouses?.find((x) => x.id === r.compute?.id) : undefined;
    const madeFor = r.compute.createdForPartner && !!w && taggedFor(w, p.id);
    compute = { ...r.compute, name: w?.name ?? r.compute.name, createdForPartner: madeFor };
    if (r.compute.createdForPartner && !madeFor) {
      findings.push(
        `the ${r.compute.kind} ${r.compute.name ?? r.compute.id} (${r.compute.id}): kept as NOT created for ${p.displayName} — ${r.compute.kind === 'cluster' ? 'this extension never creates clusters' : w ? `it does not carry the tag partner-connect=${p.id}` : 'the workspace has no such warehouse'}; a Disconnect leaves it alone`,
      );
    } else findings.push(`the ${r.compute.kind} ${w?.name ?? r.compute.name ?? r.compute.id} (${r.compute.id}): ${madeFor ? `created for ${p.displayName} (tagged partner-connect=${p.id})` : 'used, not created for the partner'}`);
  }
  if (r.connectionId) findings.push(`the ${p.displayName} connection id ${r.connectionId}: not carried over — the workspace cannot confirm it; after a Disconnect, remove that connection in your ${p.displayName} account`);

  const record: ConnectionRecord = {
    ...r,
    servicePrincipal,
    tokenId,
    credential,
    compute,
    connectionId: null,
    migratedFrom: { path: facts.path, at: new Date().toISOString(), by: facts.userName ?? null },
  };
  return { partnerId: p.id, partnerName: p.displayName, path: facts.path, target: facts.target, action: 'move', record, text: facts.text, findings, reason: null };
}

/** One line for a confirmation: what moves and what the checks found. */
export function describePlanEntry(e: LegacyRecordPlan): string {
  return e.action === 'move' ? `${e.partnerName}: ${e.path} → ${e.target}; ${e.findings.join('; ') || 'nothing to check'}` : `${e.partnerName}: ${e.path} stays — ${e.reason ?? ''}`;
}

/** Moves what the plan says may move. Nothing moves when the target folder is not admin-only. */
export async function migrateLegacyRecords(client: WorkspaceClient, plan: MigrationPlan, opts: { signal?: AbortSignal } = {}): Promise<MigrationResult> {
  const o: CallOptions = { signal: opts.signal };
  if (plan.trust.kind !== 'trusted') throw new Error(`The records are not moved: ${describeTrust(plan.trust)}`);
  const result: MigrationResult = { kind: 'migrate-records', moved: [], skipped: [] };
  for (const e of plan.entries) {
    if (e.action !== 'move' || !e.record) {
      result.skipped.push({ partnerId: e.partnerId, path: e.path, reason: e.reason ?? 'not planned to move' });
      continue;
    }
    const now = await client.readWorkspaceFile(e.path, o);
    if (now !== e.text) {
      result.skipped.push({ partnerId: e.partnerId, path: e.path, reason: now === null ? 'it was deleted meanwhile' : 'it changed after the plan was shown; run the migration again' });
      continue;
    }
    try {
      await client.writeWorkspaceFile(e.target, serializeRecord(e.record), { overwrite: false }, o);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      result.skipped.push({ partnerId: e.partnerId, path: e.path, reason: `${e.target} was created meanwhile` });
      continue;
    }
    await client.deleteWorkspaceFile(e.path, o);
    result.moved.push({ partnerId: e.partnerId, from: e.path, to: e.target });
  }
  // the legacy folder goes with its last record
  if (result.moved.length > 0 && (await client.listWorkspaceFiles(LEGACY_RECORD_FOLDER, o)).length === 0) await client.deleteWorkspaceFile(LEGACY_RECORD_FOLDER, o);
  return result;
}
