/**
 * Drift for the repair matrices: a connected partner whose principal lost some of what its profile
 * gives and holds some it should not, set straight in the emulator's state (no HTTP), so every case
 * starts from exactly the same drift. Two cases cover every kind of repair operation: Unity Catalog
 * with a new warehouse (entitlements added and removed, CAN USE on tokens and on the warehouse, UC
 * grants and revokes) and the Hive metastore (GRANT / REVOKE statements on the connection's warehouse).
 */
import assert from 'node:assert/strict';
import { connect, describeRepair, inspectConnection, type RepairOperation } from '../../src/domain';
import { CASES, type Case } from '../domain/faultCases';
import { snapshot, type Env } from '../domain/helpers';
import { spNamed } from '../fixtures/principals';

export const REPAIR_CASES: { name: string; c: Case }[] = [
  { name: 'Unity Catalog (Dataiku, new warehouse)', c: { ...CASES[0], choices: { ...CASES[0].choices, schemas: ['marketing'] } } },
  { name: 'Hive metastore (Hightouch)', c: CASES[1] },
];

export interface Drifted {
  /** puts the drift back, whatever a repair did before */
  drift(): void;
  /** the emulator's state with the drift, and repaired (compare with `snapshot`) */
  drifted: unknown;
  repaired: unknown;
  /** the repair plan of the drift, in words */
  plan: string[];
}

type GrantMap = Map<string, Map<string, Set<string>>>;

/** the principal's grants in one map, by securable */
const grantsIn = (m: GrantMap, who: string): Map<string, Set<string>> => new Map([...m].filter(([, g]) => g.get(who)?.size).map(([k, g]) => [k, new Set(g.get(who))]));

function setGrants(m: GrantMap, who: string, want: Map<string, Set<string>>): void {
  for (const g of m.values()) g.delete(who);
  for (const [k, privs] of want) {
    if (!m.has(k)) m.set(k, new Map());
    m.get(k)?.set(who, new Set(privs));
  }
}

/** Connects the case's partner and prepares its drift (applied once, so the state is drifted on return). */
export async function connectAndDrift(env: Env, c: Case): Promise<Drifted> {
  await connect(env.ctx, c.partner, c.choices, { deliverSecretOnce: () => undefined });
  const st = env.emu.state;
  const repaired = snapshot(st);
  const sp = spNamed(st, c.partner.servicePrincipalName ?? '');
  assert.ok(sp, 'connected');
  const app = sp.applicationId;
  const uc = grantsIn(st.ucGrants, app);
  const hive = grantsIn(st.hiveGrants, app);
  const entitlements = [...sp.entitlements];
  assert.ok(entitlements.length > 0, 'the profile gives an entitlement');
  const warehouse = [...st.warehouses.values()].find((w) => w.acl.some((e) => e.kind === 'sp' && e.name === app));
  // lost: the first entitlement, every grant on the first securable; extra: an entitlement and a privilege the profile does not give
  const extraEntitlement = ['workspace-access', 'allow-cluster-create', 'databricks-sql-access'].find((e) => !entitlements.includes(e)) ?? '';
  const extraPrivilege = (held: Set<string> | undefined): string => ['MODIFY', 'SELECT', 'CREATE_SCHEMA'].find((p) => !held?.has(p)) ?? '';
  const driftUc = new Map(uc);
  const driftHive = new Map(hive);
  if (c.choices.isHive) {
    const [first] = [...hive.keys()];
    driftHive.delete(first);
    driftHive.set('CATALOG', new Set([...(hive.get('CATALOG') ?? []), extraPrivilege(hive.get('CATALOG'))]));
  } else {
    const schema = [...uc.keys()].find((k) => k.startsWith('schema:')) ?? '';
    driftUc.delete(schema);
    const cat = [...uc.keys()].find((k) => k.startsWith('catalog:')) ?? '';
    driftUc.set(cat, new Set([...(uc.get(cat) ?? []), extraPrivilege(uc.get(cat))]));
  }
  const drift = (): void => {
    sp.entitlements = new Set([...entitlements.slice(1), extraEntitlement]);
    setGrants(st.ucGrants, app, driftUc);
    setGrants(st.hiveGrants, app, driftHive);
    if (!c.choices.isHive) {
      // the principal's CAN USE on tokens and on its warehouse went missing
      st.tokenAcl = st.tokenAcl.filter((e) => !(e.kind === 'sp' && e.name === app));
      if (warehouse) warehouse.acl = warehouse.acl.filter((e) => !(e.kind === 'sp' && e.name === app));
    }
  };
  drift();
  const ins = await inspectConnection(env.client, c.partner);
  const plan = ins.drift.repair.map(describeRepair);
  return { drift, drifted: snapshot(st), repaired, plan };
}

/** What the workspace still needs repaired, in words (a fresh inspection). */
export async function stillToRepair(env: Env, c: Case): Promise<string[]> {
  return (await inspectConnection(env.client, c.partner)).drift.repair.map(describeRepair);
}

export const words = (ops: readonly RepairOperation[]): string[] => ops.map(describeRepair).sort();
