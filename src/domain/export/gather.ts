/**
 * Reads what the Terraform export needs beyond inspect: the warehouse's settings and, for Hive
 * metastore connections, every principal's grants on the objects the partner has grants on
 * (databricks_sql_permissions is authoritative for the object). One inspect, then one wave of
 * reads in parallel. Never starts a warehouse: Hive grant lists are read only on a running one.
 */
import type { CallOptions, Warehouse, WorkspaceClient } from '../../client/api';
import { inspectConnection } from '../inspect/inspect';
import type { CatalogPartner } from '../partners/catalog';
import { HIVE_METASTORE, quoteIdentifier } from '../profiles/plan';
import { isNotFound, isPermissionDenied } from '../util';
import type { ExportConnection } from './terraform';

export async function gatherExportConnection(client: WorkspaceClient, partner: CatalogPartner, opts: { recordFolder?: string; signal?: AbortSignal } = {}): Promise<ExportConnection> {
  const o: CallOptions = { signal: opts.signal };
  const inspection = await inspectConnection(client, partner, { recordFolder: opts.recordFolder, signal: opts.signal });
  const compute = inspection.compute;
  const warehouseId = compute?.kind === 'warehouse' && compute.exists ? compute.id : null;
  const warehouseP: Promise<Warehouse | null> = warehouseId
    ? client.getWarehouse(warehouseId, o).catch((e: unknown) => {
        if (isNotFound(e) || isPermissionDenied(e)) return null;
        throw e;
      })
    : Promise.resolve(null);
  const running = compute?.kind === 'warehouse' && compute.exists && compute.state === 'RUNNING';
  const hiveP: Promise<Map<string, Map<string, string[]>> | null> =
    inspection.hiveGrants.length && running && warehouseId
      ? Promise.all(
          inspection.hiveGrants.map(async (g) => {
            const isCatalog = g.securableType.toUpperCase() === 'CATALOG';
            const schema = g.fullName.replace(/^hive_metastore\./, '');
            const statement = isCatalog
              ? `SHOW GRANTS ON CATALOG ${quoteIdentifier(HIVE_METASTORE)}`
              : `SHOW GRANTS ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(schema)}`;
            const r = await client.executeStatement({ warehouseId, statement }, o);
            const byPrincipal = new Map<string, string[]>();
            for (const row of r.result?.data_array ?? []) {
              const [principal, action] = row;
              if (!principal || !action) continue;
              byPrincipal.set(principal, [...(byPrincipal.get(principal) ?? []), action]);
            }
            return [isCatalog ? 'CATALOG' : `SCHEMA ${schema}`, byPrincipal] as const;
          }),
        ).then((entries) => new Map(entries))
      : Promise.resolve(null);
  const [warehouse, hiveObjectGrants] = await Promise.all([warehouseP, hiveP]);
  return { inspection, warehouse, hiveObjectGrants };
}
