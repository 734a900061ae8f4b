/**
 * A SQL warehouse created for the partner (small, auto-stopping, tagged `partner-connect=<id>`). A
 * type the workspace refuses gives way to the plan's next type. Undone by deleting it — by id, and by
 * name for a create whose answer was lost.
 */
import * as l10n from '@vscode/l10n';
import type { PlanOperation } from '../profiles/plan';
import { WAREHOUSE_TYPE_WORDS, type WarehouseType } from '../compute/warehouseTypes';
import type { StepWords } from './step';

type Op = Extract<PlanOperation, { type: 'createWarehouse' }>;

export const warehouseWords: StepWords<Op> = {
  title: (op) => l10n.t('Create the {0} SQL warehouse {1}', WAREHOUSE_TYPE_WORDS[op.warehouseType], op.spec.name),
  describe: (op) => {
    const words = (t: WarehouseType): string => WAREHOUSE_TYPE_WORDS[t];
    const fallback = op.fallback.length ? `; if the workspace refuses ${words(op.warehouseType)}: ${op.fallback.map(words).join(', then ')}` : '';
    return `Create the ${words(op.warehouseType)} SQL warehouse ${op.spec.name} (${op.spec.cluster_size}, stops after ${op.spec.auto_stop_mins ?? 10} minutes idle${fallback}); it is deleted when the connection is reset.`;
  },
};
