/**
 * Every check, in the order they run: identity, SCIM, OAuth secrets, tokens (the principals' token,
 * non-admin refusals, deleting a principal), deleting the secret, warehouses, Unity Catalog, Hive, workspace files; then, with
 * `--journeys`, one connect → disconnect journey per permission profile.
 */
import type { CheckDef } from '../check';
import { fileChecks } from './files';
import { hiveChecks } from './hive';
import { identityChecks } from './identity';
import { journeyChecksAll } from './journeys';
import { scimChecks } from './scim';
import { secretChecks, secretDeleteChecks } from './secrets';
import { tokenChecks } from './tokens';
import { ucChecks } from './unityCatalog';
import { warehouseChecks } from './warehouses';

export const ALL_CHECKS: CheckDef[] = [...identityChecks, ...scimChecks, ...secretChecks, ...tokenChecks, ...secretDeleteChecks, ...warehouseChecks, ...ucChecks, ...hiveChecks, ...fileChecks, ...journeyChecksAll];

const ids = new Set<string>();
for (const c of ALL_CHECKS) {
  if (ids.has(c.id)) throw new Error(`duplicate conformance check id ${c.id}`);
  ids.add(c.id);
}
