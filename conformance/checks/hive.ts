/**
 * Legacy Hive metastore grants through SQL statements on the given warehouse: SHOW GRANTS rows,
 * the engine's own GRANT/REVOKE statements (READ_METADATA), and the unknown-principal refusal.
 * Everything is granted on a schema of the run's own.
 */
import type { ServicePrincipal } from '../../src/client';
import { HIVE_METASTORE, hiveGrantStatement, quoteIdentifier } from '../../src/domain';
import { parseShowGrants } from '../../src/domain/state/grants';
import { failed, outcome, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { createHiveSchema, hiveGrant, statement } from '../fixtures';

const READ = ['USAGE', 'READ_METADATA', 'SELECT'];
const spA = (t: Run): ServicePrincipal => {
  if (!t.shared.sp.a) throw new Error('internal: no service principal a');
  return t.shared.sp.a;
};
const schema = (t: Run): string => {
  if (!t.shared.hiveSchema) throw new Error('internal: no Hive schema of this run');
  return t.shared.hiveSchema;
};
/** The principal's privileges on the run's Hive schema, read the way detection reads them. */
async function held(t: Run): Promise<string[]> {
  const app = spA(t).applicationId;
  const r = await statement(t, `SHOW GRANTS ${quoteIdentifier(app)} ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(schema(t))}`);
  return parseShowGrants(r.result?.data_array ?? [], app).sort();
}

export const hiveChecks: CheckDef[] = [
  {
    id: 'hive.schema.create',
    area: 'hive',
    title: 'A Hive metastore schema of the run\'s own (CREATE SCHEMA)',
    expected: 'the statement succeeds on the given warehouse',
    reliedOnBy: 'the Hive checks below grant on it (the extension itself never creates schemas)',
    emulator: 'test/emulator/routes-compute.ts runSchemaDdl (hive databases)',
    needs: ['warehouse'],
    async run(t) {
      t.shared.hiveSchema = await createHiveSchema(t);
      return outcome(true, `hive_metastore.${t.shared.hiveSchema}`);
    },
  },
  {
    id: 'hive.show-grants.catalog',
    area: 'hive',
    title: 'SHOW GRANTS ON CATALOG hive_metastore: the row layout',
    expected: 'columns Principal, ActionType, ObjectType, ObjectKey (the principal first)',
    reliedOnBy: 'src/domain/state/grants.ts parseShowGrants reads [principal, action, objectType, key]',
    emulator: 'test/emulator/routes-compute.ts runHive show (CATALOG$ / DATABASE rows, an OWN row)',
    needs: ['warehouse'],
    async run(t) {
      const r = await statement(t, `SHOW GRANTS ON CATALOG ${quoteIdentifier(HIVE_METASTORE)}`);
      const cols = r.manifest?.schema?.columns?.map((c) => c.name) ?? [];
      const rows = r.result?.data_array ?? [];
      return outcome(cols.slice(0, 4).map((c) => c.toLowerCase()).join() === 'principal,actiontype,objecttype,objectkey', `columns [${cols.join(', ')}]; ${rows.length} row(s)${rows[0] ? `, e.g. [${rows[0].join(', ')}]` : ''}`);
    },
  },
  {
    id: 'hive.grant.engine-statement',
    area: 'hive',
    title: 'The engine\'s GRANT statement for the read profile',
    expected: 'accepted; SHOW GRANTS for the principal then lists USAGE, READ_METADATA and SELECT',
    reliedOnBy: 'connect hive-grant and repair (src/domain/profiles/plan.ts hiveGrantStatement)',
    emulator: 'test/emulator/sql.ts + routes-compute.ts runHive (privilege keywords, grants store)',
    needs: ['warehouse'],
    after: ['hive.schema.create', 'scim.sp.create'],
    async run(t) {
      const sql = hiveGrantStatement('GRANT', 'SCHEMA', schema(t), READ, spA(t).applicationId);
      try {
        await hiveGrant(t, 'SCHEMA', schema(t), spA(t), READ);
      } catch (e) {
        t.features.hiveTableAcls = false;
        return failed(`${sql}: ${errorText(e)}`);
      }
      t.features.hiveTableAcls = true;
      const privs = await held(t);
      return outcome(privs.join() === 'READ_METADATA,SELECT,USAGE', `${sql} → SHOW GRANTS: [${privs.join(', ')}]`);
    },
  },
  {
    id: 'hive.grant.read-metadata',
    area: 'hive',
    title: 'READ_METADATA (one keyword) is a Hive privilege',
    expected: '`GRANT READ_METADATA ON SCHEMA …` is accepted and listed as READ_METADATA',
    reliedOnBy: 'real-platform facts: the keyword is READ_METADATA, `READ METADATA` is not Databricks SQL',
    emulator: 'test/emulator/sql.ts privilege words (READ_METADATA)',
    needs: ['warehouse'],
    after: ['hive.schema.create', 'scim.sp.create'],
    async run(t) {
      const app = spA(t).applicationId;
      const sql = `GRANT READ_METADATA ON SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(schema(t))} TO ${quoteIdentifier(app)}`;
      try {
        await hiveGrant(t, 'SCHEMA', schema(t), spA(t), ['READ_METADATA'], sql);
      } catch (e) {
        return failed(`${sql}: ${errorText(e)}`);
      }
      const privs = await held(t);
      return outcome(privs.includes('READ_METADATA'), `SHOW GRANTS: [${privs.join(', ')}]`);
    },
  },
  {
    id: 'hive.revoke.engine-statement',
    area: 'hive',
    title: 'The engine\'s REVOKE statement removes one privilege',
    expected: 'after REVOKE SELECT only USAGE and READ_METADATA stay',
    reliedOnBy: 'repair hiveRevoke and rollback of a hive-grant',
    emulator: 'test/emulator/routes-compute.ts runHive revoke',
    needs: ['warehouse'],
    after: ['hive.grant.engine-statement'],
    async run(t) {
      await statement(t, hiveGrantStatement('REVOKE', 'SCHEMA', schema(t), ['SELECT'], spA(t).applicationId));
      const privs = await held(t);
      return outcome(privs.join() === 'READ_METADATA,USAGE', `[${privs.join(', ')}]`);
    },
  },
  {
    id: 'hive.grant.unknown-principal',
    area: 'hive',
    title: 'A Hive grant to an unknown principal fails',
    expected: 'the statement FAILS; its message matches PRINCIPAL_DOES_NOT_EXIST or "Could not find principal"',
    reliedOnBy: 'rollback of a hive-grant treats exactly that message as already gone (src/domain/connect/connect.ts)',
    emulator: 'test/emulator/routes-compute.ts runHive: PRINCIPAL_DOES_NOT_EXIST',
    needs: ['warehouse'],
    after: ['hive.schema.create'],
    async run(t) {
      try {
        await statement(t, hiveGrantStatement('GRANT', 'SCHEMA', schema(t), ['USAGE'], '00000000-0000-4000-8000-000000000000'));
        return failed('the statement succeeded');
      } catch (e) {
        return outcome(/PRINCIPAL_DOES_NOT_EXIST|Could not find principal/i.test(errorText(e)), errorText(e));
      }
    },
  },
];
