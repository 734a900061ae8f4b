/**
 * Connect one partner to many workspaces: per workspace the choices the connect form offers
 * (catalogs with the seed's rules, the default catalog's schemas, warehouses) and defaults; a
 * preview that runs the single-workspace pre-flight everywhere (nothing is created) and words the
 * plan; then `connect` in each ready workspace. A workspace that fails rolls back on its own; the
 * others go on.
 */
import type { CatalogOption } from '../connect/preflight';
import { catalogOptions, preflightConnect } from '../connect/preflight';
import { connect, connectPlan } from '../connect/connect';
import { recordFolderOf } from '../record/record';
import type { ConnectResult } from '../connect/types';
import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { CatalogPartner } from '../partners/catalog';
import { describePlan } from '../profiles/describe';
import { describeResource } from '../errors';
import { defaultWarehouseName, HIVE_METASTORE, type ConnectChoices } from '../profiles/plan';
import { isPermissionDenied } from '../util';
import { mapBounded } from './bounded';
import { runBulk, type BulkItemOutcome, type BulkPreview, type BulkPreviewItem, type BulkReport, type BulkRunOptions, type BulkTarget } from './bulk';
import { needsCatalog, usesWarehouseField as usesWarehouse, withWarehouseNames } from '../connect/form';

/** One rule for the connect form and the fleet's (../connect/form.ts). */
export { needsCatalog, usesWarehouse };

export interface ConnectWorkspaceOptions {
  key: string;
  workspace: string;
  host: string | null;
  catalogs: CatalogOption[];
  /** schemas of the default catalog (when the partner chooses schemas) */
  schemas: string[];
  warehouses: Array<{ id: string; name: string; state: string }>;
  defaults: ConnectChoices;
  /** the workspace could not be read: why */
  problem: string | null;
}


/** The form's defaults: the default catalog when allowed (else the first allowed), its `default` schema, a running warehouse (or a new one for partners that get one). */
export function defaultChoices(p: CatalogPartner, catalogs: readonly CatalogOption[], schemas: readonly string[], warehouses: ReadonlyArray<{ id: string; state: string }>): ConnectChoices {
  const catalog = needsCatalog(p) ? (catalogs.find((c) => c.isDefault && c.allowed)?.name ?? catalogs.find((c) => c.allowed)?.name ?? null) : null;
  const pick = schemas.includes('default') ? 'default' : schemas[0];
  const chosenSchemas = p.schemaSelection === 'none' || !catalog || !pick ? [] : [pick];
  const running = warehouses.find((w) => w.state === 'RUNNING') ?? warehouses[0];
  const warehouse = !usesWarehouse(p) ? undefined : p.compute === 'create-warehouse' || !running ? { kind: 'create' as const, name: defaultWarehouseName(p) } : { kind: 'existing' as const, id: running.id };
  return { catalog, schemas: chosenSchemas, isHive: catalog === HIVE_METASTORE, warehouse };
}

/** The schemas a catalog offers (UC listing; `default` for the Hive metastore, which the UC API cannot list). */
export async function schemasOf(ctxClient: Awaited<ReturnType<BulkTarget['context']>>['client'], catalog: string, signal?: AbortSignal): Promise<string[]> {
  if (catalog === HIVE_METASTORE) return ['default'];
  const list = await ctxClient.listSchemas(catalog, { signal });
  return list.map((s) => s.name).filter((n) => n !== 'information_schema').sort();
}

/** Per workspace: what the connect form offers for this partner, with defaults. */
export async function connectOptions(targets: readonly BulkTarget[], partner: CatalogPartner, o: { concurrency?: number; signal?: AbortSignal } = {}): Promise<ConnectWorkspaceOptions[]> {
  const results = await mapBounded(
    targets,
    async (t, signal): Promise<ConnectWorkspaceOptions> => {
      const { client } = await t.context();
      const [catalogs, warehouses] = await Promise.all([
        needsCatalog(partner) ? catalogOptions(client, partner, { signal }) : Promise.resolve([] as CatalogOption[]),
        usesWarehouse(partner)
          ? client.listWarehouses({ signal }).catch((e: unknown) => {
              if (isPermissionDenied(e)) return [];
              throw e;
            })
          : Promise.resolve([]),
      ]);
      const whs = warehouses.map((w) => ({ id: w.id, name: w.name, state: w.state ?? 'UNKNOWN' }));
      const first = defaultChoices(partner, catalogs, [], whs);
      const schemas = partner.schemaSelection !== 'none' && first.catalog ? await schemasOf(client, first.catalog, signal).catch(() => []) : [];
      return { key: t.key, workspace: t.workspace.name, host: t.workspace.host ?? null, catalogs, schemas, warehouses: whs, defaults: defaultChoices(partner, catalogs, schemas, whs), problem: null };
    },
    { limit: o.concurrency ?? 8, signal: o.signal },
  );
  return results.map((r) =>
    r.status === 'done'
      ? r.value
      : {
          key: r.item.key,
          workspace: r.item.workspace.name,
          host: r.item.workspace.host ?? null,
          catalogs: [],
          schemas: [],
          warehouses: [],
          defaults: {},
          problem: r.status === 'cancelled' ? 'cancelled' : r.error instanceof Error ? r.error.message.split('\n')[0] : String(r.error),
        },
  );
}

/**
 * The preview: pre-flight (read-only) in every chosen workspace with its choices. Ready workspaces
 * list the plan in words; the others say why they are skipped (already connected, not an admin,
 * a catalog that may not be used, …).
 */
export async function previewBulkConnect(
  targets: readonly BulkTarget[],
  partner: CatalogPartner,
  choices: ReadonlyMap<string, ConnectChoices>,
  o: { concurrency?: number; signal?: AbortSignal; recordFolder?: string; hasPartnerCredentials?: boolean } = {},
): Promise<BulkPreview<ConnectChoices>> {
  if (partner.handoff === 'protocol' && o.hasPartnerCredentials === false) {
    // connect would refuse in every workspace: say it once, before anything is read
    const reason = `No partner credentials are stored for ${partner.displayName}: use Set Partner Credentials… first (the partner issues them).`;
    return { action: 'connect', title: `Connect ${partner.displayName}`, items: targets.map((t) => ({ key: t.key, workspace: t.workspace.name, host: t.workspace.host ?? null, status: 'skip', reason, lines: [], payload: null })), notes: [reason] };
  }
  const results = await mapBounded(
    targets,
    async (t, signal): Promise<BulkPreviewItem<ConnectChoices>> => {
      const base = { key: t.key, workspace: t.workspace.name, host: t.workspace.host ?? null };
      const c = choices.get(t.key);
      if (!c) return { ...base, status: 'skip', reason: 'no choices were made for this workspace', lines: [], payload: null };
      const ctx = await t.context();
      const folder = recordFolderOf({ recordFolder: o.recordFolder ?? ctx.recordFolder });
      const pf = await preflightConnect(ctx.client, partner, c, { recordFolder: folder, signal });
      if (pf.reuse) return { ...base, status: 'skip', reason: `${partner.displayName} is already connected here (by ${pf.reuse.connectedBy}, ${pf.reuse.connectedAt}).`, lines: [], payload: null };
      if (!pf.ok) return { ...base, status: 'skip', reason: pf.problems.map((p) => p.message).join(' '), lines: [], payload: null };
      // the plan connect will carry out here: the credential this workspace gets, the warehouse by name
      const lines = withWarehouseNames(describePlan(connectPlan(partner, pf, folder).plan), pf.warehouse ? [pf.warehouse] : []);
      return { ...base, status: 'ready', reason: null, lines, payload: pf.normalized };
    },
    { limit: o.concurrency ?? 8, signal: o.signal },
  );
  const items = results.map((r): BulkPreviewItem<ConnectChoices> =>
    r.status === 'done'
      ? r.value
      : { key: r.item.key, workspace: r.item.workspace.name, host: r.item.workspace.host ?? null, status: 'skip', reason: r.status === 'cancelled' ? 'cancelled' : `the pre-flight failed: ${r.error instanceof Error ? r.error.message.split('\n')[0] : String(r.error)}`, lines: [], payload: null },
  );
  return { action: 'connect', title: `Connect ${partner.displayName}`, items, notes: [] };
}

export interface BulkConnectOptions extends BulkRunOptions {
  partnerCredentials?: PartnerCredentials;
  /** manual hand-offs: the new token of workspace `key`, exactly once (never stored by the engine) */
  deliverSecretOnce?: (key: string, value: string) => void | Promise<void>;
  demo?: boolean;
}

export function bulkConnect(preview: BulkPreview<ConnectChoices>, targets: readonly BulkTarget[], partner: CatalogPartner, o: BulkConnectOptions = {}): Promise<BulkReport> {
  return runBulk(
    preview,
    targets,
    async (ctx, choices, signal, step, target): Promise<BulkItemOutcome> => {
      const deliver = o.deliverSecretOnce;
      const r = await connect(ctx, partner, choices, {
        signal,
        partnerCredentials: o.partnerCredentials,
        demo: o.demo,
        deliverSecretOnce: deliver ? (v) => deliver(target.key, v) : undefined,
        onProgress: (p) => {
          if (p.status === 'started') step(p.message);
        },
      });
      return { status: 'done', message: connectedMessage(partner, r), details: r.created.map((c) => `created ${describeResource(c)}`) };
    },
    o,
  );
}

function connectedMessage(partner: CatalogPartner, r: ConnectResult): string {
  const sp = r.record.servicePrincipal;
  const how = r.handoff.kind === 'protocol' ? 'handed off to the partner' : r.handoff.kind === 'desktop-file' ? 'connection file ready' : 'connection details ready';
  return `connected${sp ? ` as ${sp.displayName} (${sp.applicationId})` : ''}${r.record.catalog ? ` on ${r.record.catalog}${r.record.schemas.length ? `.${r.record.schemas.join(', ')}` : ''}` : ''}; ${how}`;
}
