/** SQL warehouses: list, read, create (tagged, smallest), permissions, start, delete, 404s; clusters' refusal. */
import { DatabricksApiError, type Warehouse } from '../../src/client';
import { warehouseHttpPath } from '../../src/domain';
import { directLevel } from '../../src/domain/util';
import { deleteAgain, outcome, passed, refused, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { createWarehouse } from '../fixtures';

const describe = (w: Warehouse): string =>
  `${w.name} (${w.id}): state ${w.state ?? '?'}, ${w.warehouse_type ?? '?'}${w.enable_serverless_compute ? ' serverless' : ''}, size ${w.cluster_size ?? '?'}, odbc path ${w.odbc_params?.path ?? 'absent'}`;
const ours = (t: Run): { id: string; name: string } => {
  if (!t.shared.warehouse) throw new Error('internal: the warehouse was not created');
  return t.shared.warehouse;
};

async function waitFor(t: Run, id: string, states: string[], timeoutMs: number): Promise<Warehouse> {
  const started = Date.now();
  let delay = 1_000;
  for (;;) {
    const w = await t.client.getWarehouse(id, t.o);
    if (states.includes(w.state ?? '')) return w;
    if (Date.now() - started > timeoutMs) throw new Error(`warehouse ${id} still ${w.state ?? '?'} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

export const warehouseChecks: CheckDef[] = [
  {
    id: 'warehouses.list',
    area: 'warehouses',
    title: 'The warehouse list (all pages)',
    expected: 'every warehouse once, each with id, name and state',
    reliedOnBy: 'detection, orphans, disconnect (src/client/paging.ts tokenPages through empty pages)',
    emulator: 'test/emulator/routes-compute.ts GET /sql/warehouses (page_token; options warehousePageSize, warehouseEmptyPages)',
    async run(t) {
      const all = await t.client.listWarehouses(t.o);
      const unique = new Set(all.map((w) => w.id)).size === all.length;
      const given = t.warehouseId ? all.find((w) => w.id === t.warehouseId) : undefined;
      return outcome(unique && all.every((w) => !!w.id && !!w.name) && (!t.warehouseId || !!given), `${all.length} warehouse(s)${unique ? '' : ' with duplicates'}${t.warehouseId ? `; --warehouse ${t.warehouseId} ${given ? 'listed' : 'NOT listed'}` : ''}`);
    },
  },
  {
    id: 'warehouses.get',
    area: 'warehouses',
    title: 'A warehouse read by id carries its connection details',
    expected: 'odbc_params.hostname = the workspace host and odbc_params.path = /sql/1.0/warehouses/<id>; jdbc_url names the same path',
    reliedOnBy: 'the manual hand-off and desktop files use odbc_params.path (src/domain/handoff/manual.ts connectionDetails)',
    emulator: 'test/emulator/routes-compute.ts warehouseJson (odbc_params, jdbc_url)',
    needs: ['warehouse'],
    async run(t) {
      const w = await t.client.getWarehouse(t.warehouseId ?? '', t.o);
      const path = w.odbc_params?.path;
      const ok = w.id === t.warehouseId && path === warehouseHttpPath(w.id) && (w.jdbc_url ?? '').includes(`httpPath=${warehouseHttpPath(w.id)}`);
      return outcome(ok, `${describe(w)}; hostname ${w.odbc_params?.hostname ?? 'absent'}`);
    },
  },
  {
    id: 'warehouses.get-404',
    area: 'errors',
    title: 'An unknown warehouse id is a 404',
    expected: 'HTTP 404 RESOURCE_DOES_NOT_EXIST (isNotFound)',
    reliedOnBy: 'pre-flight ("the chosen warehouse does not exist") and disconnect (already deleted = done)',
    emulator: 'test/emulator/routes-compute.ts getWarehouse: 404 RESOURCE_DOES_NOT_EXIST',
    async run(t) {
      return refused(() => t.client.getWarehouse('0000000000000000', t.o), undefined, 'found a warehouse');
    },
  },
  {
    id: 'warehouses.create',
    area: 'warehouses',
    title: 'Creating a PRO serverless warehouse of the smallest size, tagged',
    expected: 'an id; reading it back shows the name, the custom tag and the caller as creator (a workspace without serverless refuses with 400: then a PRO classic one)',
    reliedOnBy: 'connect create-warehouse (src/domain/profiles/plan.ts warehouseSpecFor: PRO, serverless, tags custom_tags partner-connect)',
    emulator: 'test/emulator/routes-compute.ts createWarehouse',
    async run(t) {
      let created: { id: string; name: string };
      let note = '';
      try {
        created = await createWarehouse(t, 'wh', { serverless: true });
        t.features.serverless = true;
      } catch (e) {
        if (!(e instanceof DatabricksApiError) || e.status !== 400) throw e;
        t.features.serverless = false;
        note = `serverless refused (${errorText(e)}); `;
        created = await createWarehouse(t, 'wh-classic', { serverless: false });
      }
      t.shared.warehouse = created;
      const w = await t.client.getWarehouse(created.id, t.o);
      const tag = (w.tags?.custom_tags ?? []).find((x) => x.key === t.names.tag.key);
      const ok = w.name === created.name && tag?.value === t.names.runId && (w.creator_name ?? '').toLowerCase() === t.me.userName.toLowerCase();
      return outcome(ok, `${note}${describe(w)}; tag ${tag ? `${tag.key}=${tag.value}` : 'missing'}; creator ${w.creator_name ?? '?'}`);
    },
  },
  {
    id: 'warehouses.acl.patch',
    area: 'warehouses',
    title: 'PATCH CAN_USE on a warehouse for a service principal',
    expected: 'the warehouse permissions list the applicationId with a direct CAN_USE; the caller (creator) IS_OWNER',
    reliedOnBy: 'connect grant-warehouse-use, detection and inspect (src/domain/util.ts directLevel)',
    emulator: 'test/emulator/routes-compute.ts PATCH /permissions/warehouses/{id}',
    after: ['warehouses.create', 'scim.sp.create'],
    async run(t) {
      const a = t.shared.sp.a;
      if (!a) throw new Error('internal: no service principal a');
      await t.client.patchWarehousePermissions(ours(t).id, [{ service_principal_name: a.applicationId, permission_level: 'CAN_USE' }], t.o);
      t.ledger.adopt(
        {
          kind: 'warehouse-permission',
          name: `CAN_USE on ${ours(t).name} for ${a.displayName}`,
          goesWith: `the warehouse ${ours(t).name}`,
          manual: `nothing: it goes with the warehouse ${ours(t).name}`,
        },
        null,
      );
      const acl = await t.client.getWarehousePermissions(ours(t).id, t.o);
      const level = directLevel(acl, a.applicationId);
      const owner = acl.access_control_list.find((e) => e.all_permissions.some((p) => p.permission_level === 'IS_OWNER'));
      return outcome(level === 'CAN_USE', `${a.applicationId}: ${level ?? 'not listed'}; IS_OWNER ${owner?.user_name ?? owner?.service_principal_name ?? owner?.group_name ?? 'nobody'}`);
    },
  },
  {
    id: 'warehouses.start',
    area: 'warehouses',
    title: 'Starting the given warehouse',
    expected: 'the start is accepted and the warehouse reaches RUNNING',
    reliedOnBy: 'Hive grants and SHOW GRANTS run on a warehouse (src/domain/state/detect.ts allowWarehouseStart)',
    emulator: 'test/emulator/routes-compute.ts POST /sql/warehouses/{id}/start (option warehouseStartingPolls)',
    needs: ['warehouse'],
    async run(t) {
      const id = t.warehouseId ?? '';
      const before = (await t.client.getWarehouse(id, t.o)).state ?? '?';
      await t.client.startWarehouse(id, t.o);
      const w = await waitFor(t, id, ['RUNNING'], t.warehouseStartTimeoutMs);
      return passed(`${before} → ${w.state ?? '?'}`);
    },
  },
  {
    id: 'warehouses.delete',
    area: 'warehouses',
    title: 'Deleting the warehouse; a second delete is a 404',
    expected: 'no longer listed (or listed as DELETED); reading it → 404 or state DELETED; deleting again → 404',
    reliedOnBy: 'disconnect and rollback delete the warehouse created for a partner; orphans must not list deleted ones',
    emulator: 'test/emulator/routes-compute.ts DELETE /sql/warehouses/{id} (gone at once, later reads 404)',
    after: ['warehouses.create'],
    async run(t) {
      const { id } = ours(t);
      await t.client.deleteWarehouse(id, t.o);
      t.ledger.deletedByCheck('warehouse', id);
      const listed = (await t.client.listWarehouses(t.o)).find((w) => w.id === id);
      let read: string;
      let readOk = false;
      try {
        const w = await t.client.getWarehouse(id, t.o);
        read = `read: state ${w.state ?? '?'}`;
        readOk = w.state === 'DELETED' || w.state === 'DELETING';
      } catch (e) {
        readOk = e instanceof DatabricksApiError && e.isNotFound;
        read = `read: ${errorText(e)}`;
      }
      const again = await deleteAgain(() => t.client.deleteWarehouse(id, t.o));
      const listOk = !listed || listed.state === 'DELETED' || listed.state === 'DELETING';
      return outcome(listOk && readOk && again.notFound, `${listed ? `listed as ${listed.state ?? '?'}` : 'not listed'}; ${read}; ${again.text}`);
    },
  },
  {
    id: 'clusters.delete-unknown',
    area: 'errors',
    title: 'Permanently deleting an unknown cluster',
    expected: 'refused: 400 INVALID_PARAMETER_VALUE "… does not exist" (the emulator\'s answer; the engine would need to treat it as already gone)',
    reliedOnBy: 'disconnect of a connection whose record names a cluster (src/domain/disconnect/disconnect.ts deleteItem cluster)',
    emulator: 'test/emulator/routes-compute.ts permanentDelete: 400 INVALID_PARAMETER_VALUE "Cluster <id> does not exist"',
    async run(t) {
      const r = await refused(() => t.client.deleteCluster(`0000-000000-${t.names.runId}`, t.o), (e) => e.status >= 400 && e.status < 500 && /does not exist|not found/i.test(e.serverMessage));
      return { ...r, observed: `${r.observed} (isNotFound: ${r.observed.startsWith('HTTP 404')})` };
    },
  },
];
