/**
 * After the ledger's clean-up: look for anything else that carries this run's name (a create whose
 * answer never came, an object the engine made) and enter it for deletion. Only this run's id is
 * ever matched: objects of other runs, or anything pre-existing, are never touched.
 */
import type { WorkspaceClient } from '../src/client';
import type { Ledger, Resource, ResourceSpec } from './ledger';
import { folderSpec, spSpec, tokenSpec, ucSchemaSpec, warehouseSpec } from './specs';
import type { Names } from './naming';
import type { RawClient } from './raw';

export async function sweep(client: WorkspaceClient, raw: RawClient, names: Names, ledger: Ledger, o: { catalog: string | null }, signal?: AbortSignal): Promise<Resource[]> {
  const so = { signal };
  const found: Resource[] = [];
  const reported = (kind: Resource['kind'], id: string): boolean => ledger.resources.some((r) => r.kind === kind && r.status === 'left' && r.id === id);
  const add = (spec: ResourceSpec, id: string): void => {
    if (reported(spec.kind, id)) return;
    const r = ledger.adopt(spec, id);
    r.sweep = true;
    found.push(r);
  };
  const [sps, warehouses, tokens] = await Promise.all([
    client.listServicePrincipals({ filter: names.principalFilter }, so).catch(() => []),
    client.listWarehouses(so).catch(() => []),
    client.listTokens({}, so).catch(() => []),
  ]);
  for (const s of sps.filter((x) => names.owns(x.displayName))) add(spSpec(client, s.displayName), s.id);
  for (const w of warehouses) {
    const tagged = (w.tags?.custom_tags ?? []).some((t) => t.key === names.tag.key && t.value === names.runId);
    if ((names.owns(w.name) || tagged) && w.state !== 'DELETED') add(warehouseSpec(client, w.name), w.id);
  }
  for (const t of tokens.filter((x) => x.comment.startsWith(`${names.prefix} `))) add(tokenSpec(client, t.comment, t.owner_id ?? 'its owner'), t.token_id);
  for (const path of [`/Shared/${names.prefix}`, `/${names.name('journeys')}`, `/${names.prefix}`]) {
    const s = await client.getWorkspaceObjectStatus(path, so).catch(() => null);
    if (s) add(folderSpec(client, raw, path), path);
  }
  if (o.catalog) {
    const schemas = await client.listSchemas(o.catalog, so).catch(() => []);
    for (const s of schemas.filter((x) => x.name.toLowerCase() === names.sqlName())) add(ucSchemaSpec(client, raw, o.catalog, s.name), `${o.catalog}.${s.name}`);
  }
  return found;
}
