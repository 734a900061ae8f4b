/**
 * Orphans: principals named like a catalog partner (`<PARTNER>_USER`) beside the one the partner's
 * record names (a duplicate; only when the record folder is admin-only), and partner warehouses
 * without a principal — a warehouse tagged by this extension
 * (`partner-connect: <id>`) or by Databricks' Partner Connect (`PartnerConnect`), or named
 * `<PARTNER>_ENDPOINT`, whose partner has no service principal and no record pointing at it.
 * Found in the same single wave of reads as state detection; clean-up deletes them (already-gone
 * counts as done).
 * A `<PARTNER>_USER` without any record is NOT an orphan: it is how a connection made on the
 * Databricks Partner Connect page looks ("connected outside"). Those — and principals a record
 * cannot decide about (unreadable, connecting, untrusted folder) — are listed apart, with the
 * explanation, and never get a clean-up step (Disconnect resets them, with its own preview).
 */
import type { ServicePrincipal, Warehouse, WorkspaceClient } from '../../client/api';
import type { CatalogPartner, PartnerCatalog } from '../partners/catalog';
import { defaultWarehouseName } from '../profiles/plan';
import { recordFolderOf } from '../record/record';
import { gatherFacts, principalsOf } from '../state/facts';
import { isNotFound, sameName } from '../util';
import { checkRecordFolderTrust, describeTrust } from '../record/trust';

export type Orphan =
  | { kind: 'service-principal-without-record'; partner: CatalogPartner; servicePrincipal: ServicePrincipal }
  | { kind: 'warehouse-without-principal'; partner: CatalogPartner; warehouse: Pick<Warehouse, 'id' | 'name'> };

export interface CleanupStep {
  kind: 'delete-service-principal' | 'delete-warehouse';
  name: string;
  id: string;
  partnerId: string;
  description: string;
}

export interface ConnectedOutside {
  partner: CatalogPartner;
  servicePrincipal: ServicePrincipal;
  explanation: string;
}

export interface OrphanReport {
  orphans: Orphan[];
  cleanup: CleanupStep[];
  /** principals of partners connected outside this extension: not orphans, nothing is deleted */
  connectedOutside: ConnectedOutside[];
}

/** The catalog partner a warehouse was made for, judging by its tags or name. */
export function partnerOfWarehouse(catalog: PartnerCatalog, w: Warehouse): CatalogPartner | undefined {
  for (const t of w.tags?.custom_tags ?? []) {
    if (t.key === 'partner-connect') {
      const p = catalog.get(t.value);
      if (p) return p;
    }
  }
  const byName = catalog.partners.find((p) => p.needsServicePrincipal && sameName(defaultWarehouseName(p), w.name));
  if (byName) return byName;
  const pcTag = (w.tags?.custom_tags ?? []).find((t) => t.key === 'PartnerConnect');
  if (pcTag) return catalog.partners.find((p) => p.needsServicePrincipal && (sameName(p.id, pcTag.value) || p.id.startsWith(pcTag.value.toLowerCase())));
  return undefined;
}

export async function findOrphans(client: WorkspaceClient, catalog: PartnerCatalog, opts: { recordFolder?: string; signal?: AbortSignal } = {}): Promise<OrphanReport> {
  const folder = recordFolderOf(opts);
  const o = { signal: opts.signal };
  // which principal a record names decides "duplicate" (deletable) vs "connected outside" (not):
  // only a record in an admin-only folder may make that call
  const [facts, trust] = await Promise.all([gatherFacts(client, catalog.partners, folder, o), checkRecordFolderTrust(client, folder, o)]);
  const trusted = trust.kind === 'trusted';
  const orphans: Orphan[] = [];
  const recordWarehouses = new Set<string>();
  for (const r of facts.records.values()) if (r.kind === 'ok' && r.record.compute) recordWarehouses.add(r.record.compute.id);
  const connectedOutside: ConnectedOutside[] = [];
  const outside = (p: CatalogPartner, sp: ServicePrincipal, why: string): void => {
    connectedOutside.push({ partner: p, servicePrincipal: sp, explanation: `${sp.displayName} ${why} It is not an orphan: Disconnect resets it (with its own preview).` });
  };
  for (const p of catalog.partners) {
    const rec = facts.records.get(p.id);
    const sps = principalsOf(facts, p);
    const recorded = rec?.kind === 'ok' ? rec.record.servicePrincipal?.id : undefined;
    for (const sp of sps) {
      if (!rec || rec.kind === 'absent') {
        outside(p, sp, `exists without a record of this extension: ${p.displayName} was probably connected on Databricks' Partner Connect page (connected outside this extension).`);
      } else if (rec.kind === 'ok' && rec.record.state === 'connected' && recorded && sp.id !== recorded && trusted && sps.some((x) => x.id === recorded)) {
        // a duplicate beside the recorded principal, which still exists
        orphans.push({ kind: 'service-principal-without-record', partner: p, servicePrincipal: sp });
      } else if (rec.kind === 'ok' && rec.record.state === 'connected' && recorded && sp.id !== recorded && trusted) {
        outside(p, sp, `is not the principal the record names (${recorded}, which is gone): ${p.displayName} was probably connected again on Databricks' Partner Connect page.`);
      } else if (rec.kind === 'ok' && rec.record.state === 'connected' && !recorded) {
        outside(p, sp, `was not made by this extension (its connection of ${p.displayName} has no service principal): it was probably made on Databricks' Partner Connect page or by hand.`);
      } else if (sp.id !== recorded) {
        outside(p, sp, `is not the principal the record names, but the record cannot decide it (${rec.kind === 'invalid' ? 'it cannot be read' : rec.record.state === 'connecting' ? 'a connect is running or was interrupted' : describeTrust(trust)}).`);
      }
    }
  }
  for (const w of facts.warehouses ?? []) {
    if (recordWarehouses.has(w.id)) continue;
    const p = partnerOfWarehouse(catalog, w);
    if (!p || principalsOf(facts, p).length) continue;
    orphans.push({ kind: 'warehouse-without-principal', partner: p, warehouse: { id: w.id, name: w.name } });
  }
  const cleanup: CleanupStep[] = orphans.map((o) =>
    o.kind === 'service-principal-without-record'
      ? {
          kind: 'delete-service-principal',
          name: o.servicePrincipal.displayName,
          id: o.servicePrincipal.id,
          partnerId: o.partner.id,
          description: `Delete the service principal ${o.servicePrincipal.displayName} (${o.servicePrincipal.applicationId}) and its tokens: permanent; ${o.partner.displayName} loses access.`,
        }
      : {
          kind: 'delete-warehouse',
          name: o.warehouse.name,
          id: o.warehouse.id,
          partnerId: o.partner.id,
          description: `Delete the SQL warehouse ${o.warehouse.name} (${o.warehouse.id}), made for ${o.partner.displayName}, which has no service principal any more: permanent.`,
        },
  );
  return { orphans, cleanup, connectedOutside };
}

export async function cleanUpOrphans(
  client: WorkspaceClient,
  steps: readonly CleanupStep[],
  opts: { signal?: AbortSignal; /** each step once it is done (the history records them, also when a later one fails) */ onDone?: (step: CleanupStep) => void } = {},
): Promise<{ done: CleanupStep[]; alreadyGone: CleanupStep[] }> {
  const o = { signal: opts.signal };
  const done: CleanupStep[] = [];
  const alreadyGone: CleanupStep[] = [];
  for (const s of steps) {
    try {
      if (s.kind === 'delete-service-principal') await client.deleteServicePrincipal(s.id, o);
      else await client.deleteWarehouse(s.id, o);
      done.push(s);
      opts.onDone?.(s);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      alreadyGone.push(s);
    }
  }
  return { done, alreadyGone };
}
