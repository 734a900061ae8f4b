/** Service principals through SCIM: create, read, filters, paging, entitlement patches, delete, 404s. */
import type { ServicePrincipal } from '../../src/client';
import { applyRepair } from '../../src/domain';
import { displayNameFilters } from '../../src/domain/util';
import { deleteAgain, failed, outcome, refused, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { createSp } from '../fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ents = (sp: Pick<ServicePrincipal, 'entitlements'>): string[] => sp.entitlements.map((e) => e.value).sort();
const names = (sps: ServicePrincipal[]): string => sps.map((s) => s.displayName).sort().join(', ') || 'none';
const sp = (t: Run, k: 'a' | 'b' | 'c' | 'd'): ServicePrincipal => {
  const v = t.shared.sp[k];
  if (!v) throw new Error(`internal: service principal ${k} was not created`);
  return v;
};
/** The ids of a listing, compared with the expected principals. */
function sameSet(got: ServicePrincipal[], want: ServicePrincipal[]): boolean {
  const g = got.map((s) => s.id).sort();
  const w = want.map((s) => s.id).sort();
  return g.length === w.length && g.every((x, i) => x === w[i]);
}

export const scimChecks: CheckDef[] = [
  {
    id: 'scim.sp.create',
    area: 'scim',
    title: 'Creating a service principal returns its ids and entitlements',
    expected: '201/200 with a numeric SCIM id, a UUID applicationId, the displayName and the entitlements sent, active',
    reliedOnBy: 'connect (src/domain/connect/connect.ts createSp): the record keeps id and applicationId; grants name the applicationId',
    emulator: 'test/emulator/routes-scim.ts createSp',
    async run(t) {
      const a = await createSp(t, 'a', ['databricks-sql-access']);
      t.shared.sp.a = a;
      const ok = /^\d+$/.test(a.id) && UUID.test(a.applicationId) && a.displayName === t.names.name('sp-a') && ents(a).join() === 'databricks-sql-access' && a.active;
      return outcome(ok, `id ${a.id}, applicationId ${a.applicationId}, displayName ${a.displayName}, entitlements [${ents(a).join(', ')}], active ${a.active}`);
    },
  },
  {
    id: 'scim.sp.create-more',
    area: 'scim',
    title: 'Two more service principals without entitlements',
    expected: 'created, entitlements []',
    reliedOnBy: 'the filter and paging checks below',
    emulator: 'test/emulator/routes-scim.ts createSp',
    after: ['scim.sp.create'],
    async run(t) {
      t.shared.sp.b = await createSp(t, 'b');
      t.shared.sp.c = await createSp(t, 'c');
      return outcome(ents(sp(t, 'b')).length === 0 && ents(sp(t, 'c')).length === 0, `${sp(t, 'b').displayName} (${sp(t, 'b').id}), ${sp(t, 'c').displayName} (${sp(t, 'c').id})`);
    },
  },
  {
    id: 'scim.sp.get',
    area: 'scim',
    title: 'A service principal read by SCIM id',
    expected: 'the same id, applicationId, displayName and entitlements as created',
    reliedOnBy: 'WorkspaceClient.getServicePrincipal (inspect, repair)',
    emulator: 'test/emulator/routes-scim.ts GET /ServicePrincipals/{id}',
    after: ['scim.sp.create'],
    async run(t) {
      const a = sp(t, 'a');
      const g = await t.client.getServicePrincipal(a.id, t.o);
      return outcome(g.id === a.id && g.applicationId === a.applicationId && g.displayName === a.displayName && ents(g).join() === ents(a).join(), `${g.displayName} ${g.id} ${g.applicationId} [${ents(g).join(', ')}]`);
    },
  },
  {
    id: 'scim.filter.eq',
    area: 'scim',
    title: 'displayName eq finds exactly one principal',
    expected: 'exactly the principal with that displayName',
    reliedOnBy: 'state detection and connect look principals up by `displayName eq "<PARTNER>_USER"` (src/domain/util.ts displayNameFilters)',
    emulator: 'test/emulator/scim-filter.ts (eq, case-insensitive)',
    after: ['scim.sp.create-more'],
    async run(t) {
      const got = await t.client.listServicePrincipals({ filter: displayNameFilters([sp(t, 'a').displayName])[0] }, t.o);
      return outcome(sameSet(got, [sp(t, 'a')]), names(got));
    },
  },
  {
    id: 'scim.filter.or',
    area: 'scim',
    title: 'The engine\'s OR-joined eq filters find each named principal',
    expected: 'exactly the two principals named in `displayName eq "x" or displayName eq "y"`',
    reliedOnBy: 'state detection reads all partners\' principals in one filtered request (src/domain/state/detect.ts)',
    emulator: 'test/emulator/scim-filter.ts (or)',
    after: ['scim.sp.create-more'],
    async run(t) {
      const filters = displayNameFilters([sp(t, 'a').displayName, sp(t, 'b').displayName]);
      const got = await t.client.listServicePrincipals({ filter: filters[0] }, t.o);
      return outcome(filters.length === 1 && sameSet(got, [sp(t, 'a'), sp(t, 'b')]), `${filters.length} filter(s); found ${names(got)}`);
    },
  },
  {
    id: 'scim.filter.case',
    area: 'scim',
    title: 'displayName eq ignores case',
    expected: 'the upper-cased name finds the principal (RFC 7643: displayName is not case-exact)',
    reliedOnBy: 'detection treats `dbt_cloud_user` and `DBT_CLOUD_USER` as the same principal (src/domain/util.ts sameName)',
    emulator: 'test/emulator/scim-filter.ts (string comparison is case-insensitive)',
    after: ['scim.sp.create'],
    async run(t) {
      const got = await t.client.listServicePrincipals({ filter: `displayName eq "${sp(t, 'a').displayName.toUpperCase()}"` }, t.o);
      return outcome(sameSet(got, [sp(t, 'a')]), names(got));
    },
  },
  {
    id: 'scim.filter.sw',
    area: 'scim',
    title: 'displayName sw finds every principal of the run',
    expected: 'exactly the three principals of this run',
    reliedOnBy: 'the suite\'s own sweep; orphan search by prefix',
    emulator: 'test/emulator/scim-filter.ts (sw)',
    after: ['scim.sp.create-more'],
    async run(t) {
      const got = await t.client.listServicePrincipals({ filter: `displayName sw "${t.names.name('sp-')}"` }, t.o);
      return outcome(sameSet(got, [sp(t, 'a'), sp(t, 'b'), sp(t, 'c')]), names(got));
    },
  },
  {
    id: 'scim.paging',
    area: 'scim',
    title: 'SCIM paging with startIndex/count returns every principal once',
    expected: 'with count=1: three pages, no principal twice, none missing',
    reliedOnBy: 'src/client/paging.ts scimPages (listServicePrincipals, iterateServicePrincipals)',
    emulator: 'test/emulator/routes-scim.ts listResponse (startIndex 1-based, itemsPerPage, totalResults)',
    after: ['scim.sp.create-more'],
    async run(t) {
      const seen: ServicePrincipal[] = [];
      for await (const s of t.client.iterateServicePrincipals({ filter: `displayName sw "${t.names.name('sp-')}"`, pageSize: 1 }, t.o)) seen.push(s);
      const unique = new Set(seen.map((s) => s.id)).size === seen.length;
      return outcome(unique && sameSet(seen, [sp(t, 'a'), sp(t, 'b'), sp(t, 'c')]), `${seen.length} principal(s) over pages of 1${unique ? '' : ', with duplicates'}: ${names(seen)}`);
    },
  },
  {
    id: 'scim.filter.empty',
    area: 'scim',
    title: 'A filter that matches nothing is an empty list',
    expected: '200 with totalResults 0 (Resources absent or empty): the client returns []',
    reliedOnBy: 'detection of not-connected partners (no principal)',
    emulator: 'test/emulator/routes-scim.ts listResponse (Resources omitted when empty)',
    async run(t) {
      const got = await t.client.listServicePrincipals({ filter: `displayName eq "${t.names.name('nobody')}"` }, t.o);
      return outcome(got.length === 0, `${got.length} principal(s)`);
    },
  },
  {
    id: 'scim.patch.add-entitlement',
    area: 'scim',
    title: 'PATCH add entitlements',
    expected: '2xx; the principal then holds the entitlement',
    reliedOnBy: 'drift repair addEntitlement (src/domain/inspect/drift.ts)',
    emulator: 'test/emulator/routes-scim.ts applySpPatch (add)',
    after: ['scim.sp.create-more'],
    async run(t) {
      const b = sp(t, 'b');
      await t.client.patchServicePrincipal(b.id, [{ op: 'add', path: 'entitlements', value: [{ value: 'workspace-access' }] }], t.o);
      const g = await t.client.getServicePrincipal(b.id, t.o);
      return outcome(ents(g).includes('workspace-access'), `entitlements [${ents(g).join(', ')}]`);
    },
  },
  {
    id: 'scim.patch.remove-entitlement',
    area: 'scim',
    title: 'PATCH remove an entitlement in the form the engine sends',
    expected: '2xx; the entitlement is gone, the others stay',
    reliedOnBy: 'drift repair removeEntitlement (src/domain/inspect/drift.ts)',
    emulator: 'test/emulator/routes-scim.ts applySpPatch (remove)',
    after: ['scim.patch.add-entitlement'],
    async run(t) {
      const b = sp(t, 'b');
      await t.client.patchServicePrincipal(b.id, [{ op: 'add', path: 'entitlements', value: [{ value: 'databricks-sql-access' }] }], t.o);
      // exactly what drift repair sends: the engine's applyRepair with one removeEntitlement operation
      const repair = { drift: { inSync: false, differences: [], repair: [{ type: 'removeEntitlement' as const, entitlement: 'workspace-access' }], repairDescription: [] }, principal: b.applicationId, servicePrincipal: { id: b.id, applicationId: b.applicationId, displayName: b.displayName, active: true, entitlements: [], groups: [] }, warehouseId: null };
      try {
        await applyRepair(t.client, repair, t.o);
      } catch (e) {
        return failed(`applyRepair(removeEntitlement workspace-access) refused: ${errorText(e)}`);
      }
      const g = await t.client.getServicePrincipal(b.id, t.o);
      return outcome(!ents(g).includes('workspace-access') && ents(g).includes('databricks-sql-access'), `entitlements now [${ents(g).join(', ')}]`);
    },
  },
  {
    id: 'scim.get-404',
    area: 'errors',
    title: 'An unknown service principal id is a 404',
    expected: 'HTTP 404 (SCIM error body); the client\'s error isNotFound',
    reliedOnBy: 'inspect and disconnect treat a missing principal as gone (src/domain/util.ts isNotFound)',
    emulator: 'test/emulator/routes-scim.ts getSp: scimError 404',
    async run(t) {
      return refused(() => t.client.getServicePrincipal('1', t.o), undefined, 'found a principal');
    },
  },
];

/** After a delete: no longer listed, and deleting again is a 404. */
export async function deletedTwice(t: Run, d: ServicePrincipal): Promise<ReturnType<typeof outcome>> {
  const listed = await t.client.listServicePrincipals({ filter: `displayName eq "${d.displayName}"` }, t.o);
  const again = await deleteAgain(() => t.client.deleteServicePrincipal(d.id, t.o));
  return outcome(listed.length === 0 && again.notFound, `${listed.length ? 'still listed' : 'no longer listed'}; ${again.text}`);
}
