/**
 * A SQL warehouse created for the partner (small, auto-stopping, tagged `partner-connect=<id>`). A
 * type the workspace refuses gives way to the plan's next type. Undone by deleting it — by id, and by
 * name for a create whose answer was lost.
 */
import * as l10n from '@vscode/l10n';
import type { Warehouse } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import { warehouseSpecFor, type PlanOperation } from '../profiles/plan';
import { isWarehouseTypeRefusal, WAREHOUSE_TYPE_WORDS, type WarehouseType } from '../compute/warehouseTypes';
import { taggedFor } from '../disconnect/preview';
import { WarehouseTypeRefusedError } from '../errors';
import { errorCode } from '../util';
import { deleteEach, type StepEnv, type StepKind } from './step';

type Op = Extract<PlanOperation, { type: 'createWarehouse' }>;

export interface WarehouseInput {
  partner: CatalogPartner;
  log: (line: string) => void;
  /** a refused type gave way to another: what the plan did not say (the progress list shows it) */
  onInstead: (detail: string) => void;
}

/**
 * Creates one warehouse of one type. The pre-flight found no warehouse of this name: one that
 * "already exists" now, tagged for this partner, is the one a retried create (after a throttled
 * answer) had already made.
 */
async function createOne(env: StepEnv, partner: CatalogPartner, name: string, type: WarehouseType): Promise<{ id: string }> {
  try {
    return await env.client.createWarehouse(warehouseSpecFor(partner, name, type), env.o);
  } catch (e) {
    if (errorCode(e) !== 'RESOURCE_ALREADY_EXISTS') throw e;
    const mine = (await env.client.listWarehouses(env.o)).filter((w) => w.name === name && taggedFor(w, partner.id));
    if (mine.length !== 1) throw e;
    return { id: mine[0].id };
  }
}

export const warehouse: StepKind<Op, WarehouseInput, { id: string; type: WarehouseType }, { id: string }> = {
  title: (op) => l10n.t('Create the {0} SQL warehouse {1}', WAREHOUSE_TYPE_WORDS[op.warehouseType], op.spec.name),
  describe: (op) => {
    const words = (t: WarehouseType): string => WAREHOUSE_TYPE_WORDS[t];
    const fallback = op.fallback.length ? `; if the workspace refuses ${words(op.warehouseType)}: ${op.fallback.map(words).join(', then ')}` : '';
    return `Create the ${words(op.warehouseType)} SQL warehouse ${op.spec.name} (${op.spec.cluster_size}, stops after ${op.spec.auto_stop_mins ?? 10} minutes idle${fallback}); it is deleted when the connection is reset.`;
  },
  ref: (op) => ({ kind: 'warehouse', name: op.spec.name, id: '(creation outcome unknown)' }),
  // A type the workspace refuses (a 400 naming it: nothing was created) gives way to the next one of the plan.
  apply: async (env, op, x, made) => {
    const name = op.spec.name;
    const refusals: { type: string; message: string }[] = [];
    for (const type of [op.warehouseType, ...op.fallback]) {
      try {
        const r = await createOne(env, x.partner, name, type);
        if (refusals.length) x.onInstead(`${refusals.map((f) => f.type).join(' and ')} refused by the workspace: created a ${WAREHOUSE_TYPE_WORDS[type]} warehouse instead`);
        made.state.id = r.id;
        made.ref.name = `${name} (${WAREHOUSE_TYPE_WORDS[type]})`;
        made.ref.id = r.id;
        return { id: r.id, type };
      } catch (e) {
        if (!isWarehouseTypeRefusal(e, type)) throw e;
        const message = (e as { serverMessage?: string }).serverMessage ?? (e as Error).message;
        refusals.push({ type: WAREHOUSE_TYPE_WORDS[type], message });
        x.log(`connect ${x.partner.id}: the workspace refused a ${WAREHOUSE_TYPE_WORDS[type]} SQL warehouse (${message})`);
      }
    }
    throw new WarehouseTypeRefusedError(name, refusals);
  },
  // by id when known, and by name for a create whose answer was lost
  undo: async (env, op, _x, made) => {
    const ids = new Set<string>();
    if (made.state.id) ids.add(made.state.id);
    const all: Warehouse[] = await env.client.listWarehouses();
    for (const w of all) if (w.name === op.spec.name) ids.add(w.id);
    return deleteEach(ids, (id) => env.client.deleteWarehouse(id));
  },
};
