/**
 * Legacy Hive metastore privileges (table access control): GRANT / REVOKE statements run on a SQL
 * warehouse, the principal and names backtick-quoted. Undone with REVOKE of exactly what was granted.
 */
import * as l10n from '@vscode/l10n';
import { hiveGrantStatement, type PlanOperation } from '../profiles/plan';
import type { RepairOperation } from '../inspect/types';
import { isNotFound } from '../util';
import { assumed, privilegeWords, type Grantee, type StepEnv, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'hiveGrant' }>;
type Target = { securableType: 'CATALOG' | 'SCHEMA'; name: string; privileges: string[] };
/** the warehouse the statements run on */
export interface HiveGrantee extends Grantee {
  warehouseId: string | null;
}

function statement(verb: 'GRANT' | 'REVOKE', t: Target, who: Grantee): string {
  return hiveGrantStatement(verb, t.securableType, t.securableType === 'SCHEMA' ? t.name : null, t.privileges, who.applicationId);
}

async function run(env: StepEnv, warehouseId: string, sql: string): Promise<void> {
  await env.client.executeStatement({ warehouseId, statement: sql }, env.o);
}

function warehouseOf(x: HiveGrantee, missing: string): string {
  if (!x.warehouseId) throw new Error(missing);
  return x.warehouseId;
}

export const hiveGrant: StepKind<Op, HiveGrantee> = {
  title: (op) => l10n.t('Grant {0} on hive_metastore{1}', privilegeWords(op.privileges), op.securableType === 'SCHEMA' ? `.${op.name}` : ''),
  describe: (op) =>
    `Grant ${privilegeWords(op.privileges)} on ${op.securableType === 'CATALOG' ? 'the catalog hive_metastore' : `the schema hive_metastore.${op.name}`} (legacy Hive metastore).` + assumed(op),
  ref: (op, x) => {
    warehouseOf(x, 'Legacy Hive metastore grants need a SQL warehouse to run on.');
    return { kind: 'hive-grant', name: `${privilegeWords(op.privileges)} on ${op.securableType === 'SCHEMA' ? `the schema hive_metastore.${op.name}` : 'the catalog hive_metastore'}`, id: op.step };
  },
  apply: (env, op, x) => run(env, warehouseOf(x, 'Legacy Hive metastore grants need a SQL warehouse to run on.'), statement('GRANT', op, x)),
  undo: async (env, op, x) => {
    try {
      await run(env, warehouseOf(x, 'Legacy Hive metastore grants need a SQL warehouse to run on.'), statement('REVOKE', op, x));
      return 'removed';
    } catch (err) {
      if (/PRINCIPAL_DOES_NOT_EXIST|Could not find principal/i.test((err as Error).message) || isNotFound(err)) return 'gone';
      throw err;
    }
  },
};

type RepairOp = Extract<RepairOperation, { type: 'hiveGrant' | 'hiveRevoke' }>;
/** Repair: GRANT what is missing, REVOKE what is extra, on the connection's warehouse. */
export const hiveGrantRepair = {
  describe: (op: RepairOp): string => `Run ${op.statement}`,
  apply: (env: StepEnv, op: RepairOp, x: HiveGrantee): Promise<void> =>
    run(env, warehouseOf(x, 'Legacy Hive metastore grants need the connection’s SQL warehouse, which no longer exists.'), statement(op.type === 'hiveGrant' ? 'GRANT' : 'REVOKE', op, x)),
};
