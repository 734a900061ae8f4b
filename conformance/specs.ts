/**
 * How to find, delete and verify each kind of object the suite creates — one place, used by the
 * fixtures, the checks, the journeys and the final sweep.
 */
import type { WorkspaceClient } from '../src/client';
import type { ResourceSpec } from './ledger';
import { rawExpect, type RawClient } from './raw';

const byName = async (client: WorkspaceClient, displayName: string, signal?: AbortSignal): Promise<string[]> =>
  (await client.listServicePrincipals({ filter: `displayName eq "${displayName.replace(/"/g, '\\"')}"` }, { signal })).map((s) => s.id);

export function spSpec(client: WorkspaceClient, displayName: string): ResourceSpec {
  return {
    kind: 'service-principal',
    name: displayName,
    remove: (id, signal) => client.deleteServicePrincipal(id, { signal }),
    find: (signal) => byName(client, displayName, signal),
    exists: async (id, signal) => (await byName(client, displayName, signal)).includes(id),
    manual: `Settings → Identity and access → Service principals: delete "${displayName}"`,
  };
}

export function tokenSpec(client: WorkspaceClient, comment: string, owner: string): ResourceSpec {
  return {
    kind: 'token',
    name: comment,
    remove: (id, signal) => client.deleteToken(id, { signal }),
    find: async (signal) => (await client.listTokens({}, { signal })).filter((x) => x.comment === comment).map((x) => x.token_id),
    exists: async (id, signal) => (await client.listTokens({}, { signal })).some((x) => x.token_id === id),
    manual: `Settings → Advanced → Personal access tokens → Manage: revoke the token "${comment}" of ${owner}`,
  };
}

export function warehouseSpec(client: WorkspaceClient, name: string): ResourceSpec {
  return {
    kind: 'warehouse',
    name,
    remove: (id, signal) => client.deleteWarehouse(id, { signal }),
    find: async (signal) => (await client.listWarehouses({ signal })).filter((w) => w.name === name && w.state !== 'DELETED').map((w) => w.id),
    exists: async (id, signal) => (await client.listWarehouses({ signal })).some((w) => w.id === id && w.state !== 'DELETED'),
    manual: `SQL → SQL warehouses: delete "${name}"`,
  };
}

/** A folder of the run's own: deleted recursively (it only ever holds the run's files; the client's delete is not recursive). */
export function folderSpec(client: WorkspaceClient, raw: RawClient, path: string): ResourceSpec {
  const exists = async (signal?: AbortSignal): Promise<boolean> => (await client.getWorkspaceObjectStatus(path, { signal })) !== null;
  return {
    kind: 'workspace-folder',
    name: path,
    remove: async (_id, signal) => void (await rawExpect(raw, 'POST', '/api/2.0/workspace/delete', { body: { path, recursive: true }, signal }, [200, 404])),
    find: async (signal) => ((await exists(signal)) ? [path] : []),
    exists: (_id, signal) => exists(signal),
    manual: `Workspace browser: delete the folder ${path}`,
  };
}

export function fileSpec(client: WorkspaceClient, path: string): ResourceSpec {
  return {
    kind: 'workspace-file',
    name: path,
    remove: (_id, signal) => client.deleteWorkspaceFile(path, { signal }),
    find: async (signal) => ((await client.readWorkspaceFile(path, { signal })) === null ? [] : [path]),
    exists: async (_id, signal) => (await client.readWorkspaceFile(path, { signal })) !== null,
    manual: `Workspace browser: delete the file ${path}`,
  };
}

/** A UC schema of the run's own, dropped with force (its grants go with it). */
export function ucSchemaSpec(client: WorkspaceClient, raw: RawClient, catalog: string, name: string): ResourceSpec {
  const full = `${catalog}.${name}`;
  const listed = async (signal?: AbortSignal): Promise<boolean> => (await client.listSchemas(catalog, { signal })).some((s) => s.name.toLowerCase() === name.toLowerCase());
  return {
    kind: 'uc-schema',
    name: full,
    remove: async (_id, signal) => void (await rawExpect(raw, 'DELETE', `/api/2.1/unity-catalog/schemas/${encodeURIComponent(full)}`, { query: { force: 'true' }, signal }, [200, 404])),
    find: async (signal) => ((await listed(signal)) ? [full] : []),
    exists: (_id, signal) => listed(signal),
    manual: `Catalog Explorer: drop the schema ${full} (DROP SCHEMA \`${catalog}\`.\`${name}\` CASCADE)`,
  };
}
