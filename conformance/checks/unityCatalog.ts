/**
 * Unity Catalog: metastore assignment and summary, the default namespace, catalog and schema lists,
 * grants on a schema of the run's own (REST and SHOW GRANTS), their refusals, and what happens to
 * a deleted principal's grants.
 */
import type { ServicePrincipal } from '../../src/client';
import { quoteIdentifier } from '../../src/domain';
import { parseShowGrants } from '../../src/domain/state/grants';
import { failed, outcome, passed, refused, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { createSp, createUcSchema, statement, ucGrant } from '../fixtures';

const schemaFull = (t: Run): string => {
  if (!t.shared.ucSchema || !t.catalog) throw new Error('internal: no schema of this run');
  return `${t.catalog}.${t.shared.ucSchema}`;
};
const privsOf = async (t: Run, full: string, p: string): Promise<string[]> =>
  (await t.client.getGrants('schema', full, t.o))
    .filter((a) => a.principal.toLowerCase() === p.toLowerCase())
    .flatMap((a) => a.privileges)
    .sort();
const spA = (t: Run): ServicePrincipal => {
  if (!t.shared.sp.a) throw new Error('internal: no service principal a');
  return t.shared.sp.a;
};

export const ucChecks: CheckDef[] = [
  {
    id: 'uc.metastore-assignment',
    area: 'unity-catalog',
    title: 'The current metastore assignment (or 404 without Unity Catalog)',
    expected: 'metastore_id, workspace_id, default_catalog_name; a workspace without a metastore answers 404 (the client returns null)',
    reliedOnBy: 'pre-flight and detection decide UC vs Hive from it (src/domain/connect/preflight.ts loadEnv)',
    emulator: 'test/emulator/routes-uc.ts current-metastore-assignment (404 METASTORE_DOES_NOT_EXIST without a metastore)',
    async run(t) {
      const a = await t.client.currentMetastoreAssignment(t.o);
      if (!a) return passed('no metastore (404): a Hive-only workspace');
      return outcome(!!a.metastore_id && !!a.workspace_id, `metastore ${a.metastore_id}, workspace ${a.workspace_id ?? '?'}, default catalog ${a.default_catalog_name ?? '?'}`);
    },
  },
  {
    id: 'uc.metastore-summary',
    area: 'unity-catalog',
    title: 'The metastore summary names its owner',
    expected: 'owner (user or group), cloud, region',
    reliedOnBy: 'metastore admins may choose any catalog (src/domain/connect/preflight.ts isMetastoreAdmin)',
    emulator: 'test/emulator/routes-uc.ts metastore_summary',
    needs: ['unity-catalog'],
    async run(t) {
      const s = await t.client.metastoreSummary(t.o);
      return outcome(!!s.owner, `owner ${s.owner ?? '?'}, cloud ${s.cloud ?? '?'}, region ${s.region ?? '?'}`);
    },
  },
  {
    id: 'uc.default-namespace',
    area: 'unity-catalog',
    title: 'The default_namespace_ws setting (or 404 when unset)',
    expected: 'namespace.value, or 404 when the setting was never set (the client returns null)',
    reliedOnBy: 'the workspace default catalog for partners without UC support (src/domain/connect/preflight.ts)',
    emulator: 'test/emulator/routes-uc.ts settings default_namespace_ws (404 RESOURCE_DOES_NOT_EXIST when unset)',
    async run(t) {
      const v = await t.client.getDefaultNamespace(t.o);
      return passed(v === null ? 'unset (404)' : `"${v}"`);
    },
  },
  {
    id: 'uc.catalogs.list',
    area: 'unity-catalog',
    title: 'The catalog list (all pages) names the given catalog with its owner',
    expected: 'every catalog once with name and owner; the --catalog among them',
    reliedOnBy: 'the catalog choices of the connect form (src/domain/connect/preflight.ts catalogOptions)',
    emulator: 'test/emulator/routes-uc.ts GET /catalogs (visibility, paging, synthetic hive_metastore)',
    needs: ['unity-catalog'],
    async run(t) {
      const all = await t.client.listCatalogs(t.o);
      const unique = new Set(all.map((c) => c.name)).size === all.length;
      const given = t.catalog ? all.find((c) => c.name.toLowerCase() === t.catalog?.toLowerCase()) : undefined;
      const hive = all.some((c) => c.name === 'hive_metastore');
      return outcome(unique && (!t.catalog || !!given?.owner), `${all.length} catalog(s)${unique ? '' : ' with duplicates'}; hive_metastore ${hive ? 'listed' : 'not listed'}${t.catalog ? `; ${t.catalog} ${given ? `owned by ${given.owner ?? '?'}` : 'NOT listed'}` : ''}`);
    },
  },
  {
    id: 'uc.schema.create',
    area: 'unity-catalog',
    title: 'A schema of the run\'s own in the given catalog, then listed',
    expected: 'created (owned by the caller); the schema list of the catalog names it',
    reliedOnBy: 'pre-flight checks that the chosen schemas exist (WorkspaceClient.listSchemas)',
    emulator: 'test/emulator/routes-uc.ts POST /schemas, GET /schemas',
    needs: ['unity-catalog', 'catalog'],
    async run(t) {
      const catalog = t.catalog ?? '';
      const name = await createUcSchema(t, catalog);
      t.shared.ucSchema = name;
      const listed = (await t.client.listSchemas(catalog, t.o)).find((s) => s.name === name);
      return outcome(!!listed && listed.catalog_name.toLowerCase() === catalog.toLowerCase(), listed ? `${listed.full_name ?? name}, owner ${listed.owner ?? '?'}` : `${name} not listed`);
    },
  },
  {
    id: 'uc.grants.update',
    area: 'unity-catalog',
    title: 'PATCH grants adds privileges for a service principal',
    expected: 'the answer and a new read list the applicationId with USE_SCHEMA and SELECT',
    reliedOnBy: 'connect uc-grant, repair, and the grant checks of detection (WorkspaceClient.updateGrants / getGrants)',
    emulator: 'test/emulator/routes-uc.ts PATCH/GET /permissions/{type}/{name}',
    needs: ['unity-catalog', 'catalog'],
    after: ['uc.schema.create', 'scim.sp.create'],
    async run(t) {
      const full = schemaFull(t);
      await ucGrant(t, 'schema', full, spA(t), ['USE_SCHEMA', 'SELECT']);
      const privs = await privsOf(t, full, spA(t).applicationId);
      return outcome(privs.join() === 'SELECT,USE_SCHEMA', `${spA(t).applicationId} on ${full}: [${privs.join(', ')}]`);
    },
  },
  {
    id: 'uc.grants.show-grants',
    area: 'unity-catalog',
    title: 'SHOW GRANTS rows for a UC schema read like the REST grants',
    expected: 'columns Principal, ActionType, ObjectType, ObjectKey; the engine\'s parser finds USE_SCHEMA and SELECT for the principal',
    reliedOnBy: 'src/domain/state/grants.ts parseShowGrants (rows [principal, action, objectType, key])',
    emulator: 'test/emulator/routes-compute.ts runUc show (ActionType with spaces, e.g. "USE SCHEMA")',
    needs: ['unity-catalog', 'catalog', 'warehouse'],
    after: ['uc.grants.update'],
    async run(t) {
      const [cat, sch] = [t.catalog ?? '', t.shared.ucSchema ?? ''];
      const r = await statement(t, `SHOW GRANTS ON SCHEMA ${quoteIdentifier(cat)}.${quoteIdentifier(sch)}`);
      const cols = r.manifest?.schema?.columns?.map((c) => c.name) ?? [];
      const rows = r.result?.data_array ?? [];
      const parsed = parseShowGrants(rows, spA(t).applicationId).sort();
      const mine = rows.filter((x) => x[0]?.toLowerCase() === spA(t).applicationId.toLowerCase());
      return outcome(
        cols.slice(0, 4).map((c) => c.toLowerCase()).join() === 'principal,actiontype,objecttype,objectkey' && parsed.join() === 'SELECT,USE_SCHEMA',
        `columns [${cols.join(', ')}]; ${rows.length} row(s); the principal's: ${mine.map((x) => `[${x.join(', ')}]`).join(' ') || 'none'}; parsed [${parsed.join(', ')}]`,
      );
    },
  },
  {
    id: 'uc.grants.remove',
    area: 'unity-catalog',
    title: 'PATCH grants removes one privilege',
    expected: 'only USE_SCHEMA stays',
    reliedOnBy: 'repair ucRevoke and rollback of a uc-grant',
    emulator: 'test/emulator/routes-uc.ts applyGrantChanges (remove)',
    needs: ['unity-catalog', 'catalog'],
    after: ['uc.grants.update'],
    async run(t) {
      const full = schemaFull(t);
      await t.client.updateGrants('schema', full, [{ principal: spA(t).applicationId, remove: ['SELECT'] }], t.o);
      const privs = await privsOf(t, full, spA(t).applicationId);
      return outcome(privs.join() === 'USE_SCHEMA', `[${privs.join(', ')}]`);
    },
  },
  {
    id: 'uc.grants.unknown-principal',
    area: 'unity-catalog',
    title: 'A grant to an unknown principal is refused',
    expected: 'HTTP 400 PRINCIPAL_DOES_NOT_EXIST; nothing changes',
    reliedOnBy: 'rollback of a uc-grant treats PRINCIPAL_DOES_NOT_EXIST as already gone (src/domain/connect/connect.ts)',
    emulator: 'test/emulator/routes-uc.ts applyGrantChanges: 400 PRINCIPAL_DOES_NOT_EXIST',
    needs: ['unity-catalog', 'catalog'],
    after: ['uc.schema.create'],
    async run(t) {
      const who = '00000000-0000-4000-8000-000000000000';
      return refused(() => t.client.updateGrants('schema', schemaFull(t), [{ principal: who, add: ['USE_SCHEMA'] }], t.o), (e) => e.errorCode === 'PRINCIPAL_DOES_NOT_EXIST');
    },
  },
  {
    id: 'uc.grants.404',
    area: 'errors',
    title: 'Grants of a schema that does not exist',
    expected: '404 (isNotFound)',
    reliedOnBy: 'inspect of a connection whose schema was dropped (grants read as absent, src/domain/state/detect.ts)',
    emulator: 'test/emulator/routes-uc.ts findSchema: 404 SCHEMA_DOES_NOT_EXIST',
    needs: ['unity-catalog', 'catalog'],
    async run(t) {
      return refused(() => t.client.getGrants('schema', `${t.catalog ?? ''}.${t.names.sqlName('missing')}`, t.o), undefined, 'answered grants');
    },
  },
  {
    id: 'uc.grants.deleted-principal',
    area: 'unity-catalog',
    title: 'A deleted principal\'s UC grants: gone, or still revocable',
    expected: 'either gone with the principal, or (identity federation: the principal lives on in the account) still listed and revocable by the admin; real-platform facts call this unverified, so the engine revokes before deleting',
    reliedOnBy: 'disconnect revokes UC grants before it deletes the principal (src/domain/disconnect)',
    emulator: 'test/emulator/state.ts deleteServicePrincipal (option identityFederation: UC grants survive) + routes-uc.ts applyGrantChanges (their revoke is accepted)',
    needs: ['unity-catalog', 'catalog'],
    after: ['uc.schema.create'],
    async run(t) {
      const d = await createSp(t, 'd');
      t.shared.sp.d = d;
      const full = schemaFull(t);
      await ucGrant(t, 'schema', full, d, ['USE_SCHEMA']);
      await t.client.deleteServicePrincipal(d.id, t.o);
      t.ledger.deletedByCheck('service-principal', d.id);
      const left = await privsOf(t, full, d.applicationId);
      t.features.ucGrantsSurvivePrincipalDelete = left.length > 0;
      if (left.length === 0) return passed('gone with the principal');
      try {
        await t.client.updateGrants('schema', full, [{ principal: d.applicationId, remove: left }], t.o);
      } catch (e) {
        return failed(`still granted after the delete ([${left.join(', ')}]) and the revoke is refused: ${errorText(e)}`);
      }
      const after = await privsOf(t, full, d.applicationId);
      return outcome(after.length === 0, `survived the delete ([${left.join(', ')}]); revoked: ${after.length === 0 ? 'yes' : `no, still [${after.join(', ')}]`}`);
    },
  },
];
