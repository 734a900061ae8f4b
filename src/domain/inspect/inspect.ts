/**
 * Inspect one partner's connection: its service principal, tokens (metadata only), Unity Catalog
 * and Hive grants, token and warehouse permissions, compute, record, and the drift against the
 * profile with a repair plan. Same two waves as state detection, for a single partner.
 * A non-admin's own connection of a NON_ADMIN partner (it acts as them, with their own token) is
 * inspected as detection shows it: their token (confirmed by their token list) and their record, no
 * service principal, grants or permissions expected.
 */
import type { WorkspaceClient } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import { createCatalog } from '../partners/catalog';
import { classify, fetchActualGrants, withTrust } from '../state/classify';
import { ownConnections } from '../state/detect';
import { gatherFacts } from '../state/facts';
import type { PartnerStatus } from '../state/types';
import { checkRecordFolderTrust, describeTrust } from '../record/trust';
import { describeDifference } from '../state/grants';
import { directLevel } from '../util';
import { driftFrom } from './drift';
import type { GrantRow, Inspection } from './types';
import { recordFolderOf } from '../record/record';

export interface InspectOptions {
  recordFolder?: string;
  signal?: AbortSignal;
  /** read legacy Hive grants even if the warehouse is stopped (running SHOW GRANTS starts it); default false */
  allowWarehouseStart?: boolean;
  /** the clock credential expiry and last use are judged by (tests); default Date.now */
  now?: () => number;
}

export async function inspectConnection(client: WorkspaceClient, partner: CatalogPartner, opts: InspectOptions = {}): Promise<Inspection> {
  const o = { signal: opts.signal };
  const folder = recordFolderOf(opts);
  const one = createCatalog([partner]);
  // who can write the record folder: a chain of its own beside both waves (a record from a folder
  // non-admins can edit is shown as untrusted and never drives a repair)
  const trustP = checkRecordFolderTrust(client, folder, o);
  trustP.catch(() => undefined);
  // SCIM Me once, for the facts and for the caller's own connection (read only for a non-admin and a NON_ADMIN partner)
  const meP = client.me(o);
  meP.catch(() => undefined);
  const ownP = ownConnections(client, one.partners, meP, o, opts.now);
  ownP.catch(() => undefined);
  const facts = await gatherFacts(client, one.partners, folder, o, { me: meP });
  const draft = classify(client, facts, partner, o, { checkGrants: true, allowWarehouseStart: opts.allowWarehouseStart ?? false, now: opts.now });
  const mine = (await ownP).get(partner.id);
  if (mine && draft.status.state === 'not-connected') return ownInspection(partner, mine, await trustP);
  // wave 2 changes neither the principal, the record nor the compute (only credentials, grants, reasons)
  const sp = draft.status.servicePrincipal;
  const record = draft.status.record;

  // wave 2: the grants (also for a principal made outside the extension: whatever the record does not name stays unknown)
  // When classify prepared grant checks, they read exactly these grants (same record, principal and compute): reuse
  // what they read instead of sending every grant request (for Hive, every SHOW GRANTS statement) a second time.
  const target = record ?? { catalog: null, schemas: [], isHive: false };
  const [actual, secrets] = await Promise.all([
    draft.checks
      ? draft.checks()
      : sp
        ? fetchActualGrants(client, facts, partner, target, sp, draft.status.compute, o, opts.allowWarehouseStart ?? false)
        : Promise.resolve(null),
    draft.secrets ? draft.secrets() : Promise.resolve(undefined),
  ]);

  const trust = await trustP;
  // the grants judge the state only where classify asked for them (a connected partner's principal)
  const status = withTrust(draft.judge({ secrets, actual: draft.checks && actual ? actual : undefined }), trust);
  const untrusted = trust.kind !== 'trusted' && (record !== null || status.recordProblem !== null);

  const ucGrants: GrantRow[] = [];
  const hiveGrants: GrantRow[] = [];
  if (actual) {
    for (const [k, privs] of actual.uc) {
      if (!privs.length) continue;
      const [type, full] = k.split(/:(.*)/s) as ['catalog' | 'schema', string];
      ucGrants.push({ securableType: type, fullName: full, privileges: [...privs].sort() });
    }
    for (const [k, privs] of actual.hive ?? []) {
      if (!privs.length) continue;
      hiveGrants.push(k === 'CATALOG' ? { securableType: 'CATALOG', fullName: 'hive_metastore', privileges: [...privs].sort() } : { securableType: 'SCHEMA', fullName: `hive_metastore.${k.slice('SCHEMA '.length)}`, privileges: [...privs].sort() });
    }
  }
  const warehouseId = status.compute?.kind === 'warehouse' && status.compute.exists ? status.compute.id : null;
  const drift = driftFrom(status, sp?.applicationId ?? null, warehouseId);
  if (untrusted && drift.repair.length > 0) {
    // the expected grants come from the record (its catalog and schemas): one that anybody could have
    // written must not decide what the partner's principal is granted
    drift.blocked = `Repair is blocked: ${describeTrust(trust)}`;
    drift.repair = [];
    drift.repairDescription = drift.differences.map(describeDifference);
  }
  const recordWarnings = [
    ...(untrusted ? [describeTrust(trust)] : []),
    ...(record?.handoffStartedAt && !record.connectionId
      ? [`The hand-off to ${partner.displayName} started at ${record.handoffStartedAt} but never finished: ${partner.displayName} may hold a connection to this workspace that no record names.`]
      : []),
  ];
  return {
    partner,
    status,
    servicePrincipal: sp
      ? {
          id: sp.id,
          applicationId: sp.applicationId,
          displayName: sp.displayName,
          active: sp.active,
          entitlements: sp.entitlements.map((e) => e.value),
          groups: sp.groups.map((g) => g.display ?? g.value),
        }
      : null,
    tokens: status.tokens,
    credentials: status.credentials,
    warnings: status.warnings,
    ucGrants,
    hiveGrants,
    tokenPermission: sp ? directLevel(facts.tokenAcl, sp.applicationId) : null,
    warehousePermission: actual?.warehouseUse ?? null,
    compute: status.compute,
    record,
    recordTrust: trust,
    recordWarnings,
    drift,
    principal: sp?.applicationId ?? null,
    warehouseId,
  };
}

/** The caller's own connection (it acts as them): their token and record; nothing of a service principal is expected, nothing to repair. */
function ownInspection(partner: CatalogPartner, status: PartnerStatus, trust: Inspection['recordTrust']): Inspection {
  return {
    partner,
    status,
    servicePrincipal: null,
    tokens: status.tokens,
    credentials: status.credentials,
    warnings: status.warnings,
    ucGrants: [],
    hiveGrants: [],
    tokenPermission: null,
    warehousePermission: null,
    compute: status.compute,
    record: status.record,
    recordTrust: trust,
    recordWarnings: [],
    drift: { inSync: true, differences: [], repair: [], repairDescription: [] },
    principal: null,
    warehouseId: null,
  };
}
