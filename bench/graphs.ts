/**
 * The dependency graphs of the operations the bench times: which request needs which answer.
 * Written down by hand from the engine (src/domain) for the bench's cases; the bench prints each
 * graph's depth (its longest chain of requests) beside the sequential rounds it measured, and the
 * wall time against depth × latency (target 1.2×).
 *
 * An edge is either a data dependency (the request needs a value from the answer: an id, a verdict)
 * or an ordering the design requires for safety — those say why in `why`. Reads whose only purpose
 * is to be early (nothing of theirs is needed) have no edge.
 */

export interface GraphNode {
  id: string;
  /** the request (method and path, shortened) */
  request: string;
  /** the nodes whose answers this request needs */
  after?: string[];
  /** why the edge is there, when it is not plain data */
  why?: string;
}

export interface OperationGraph {
  /** the bench row this graph describes (its name, as pushed by run.ts) */
  row: string;
  /** the case the graph is drawn for (conditions that change it) */
  assumes: string;
  nodes: GraphNode[];
}

/** Length of the longest chain (1 for requests that depend on nothing). Throws on a cycle or an unknown id. */
export function depthOf(g: OperationGraph): number {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    if (!n) throw new Error(`${g.row}: unknown node ${id}`);
    if (visiting.has(id)) throw new Error(`${g.row}: cycle at ${id}`);
    visiting.add(id);
    const d = 1 + Math.max(0, ...(n.after ?? []).map(depth));
    visiting.delete(id);
    memo.set(id, d);
    return d;
  };
  return Math.max(...g.nodes.map((n) => depth(n.id)));
}

/** The longest chain itself (node ids), for the printout. */
export function criticalPath(g: OperationGraph): string[] {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const best = new Map<string, string[]>();
  const path = (id: string): string[] => {
    const known = best.get(id);
    if (known) return known;
    const n = byId.get(id);
    if (!n) throw new Error(`${g.row}: unknown node ${id}`);
    let longest: string[] = [];
    for (const a of n.after ?? []) {
      const p = path(a);
      if (p.length > longest.length) longest = p;
    }
    const p = [...longest, id];
    best.set(id, p);
    return p;
  };
  return g.nodes.map((n) => path(n.id)).reduce((a, b) => (b.length > a.length ? b : a), []);
}

// ------------------------------------------------------------------ connect
/** The pre-flight's reads: all depend only on the choices (one wave). */
const PREFLIGHT = ['me', 'metastore-assignment', 'metastore-summary', 'default-namespace', 'catalogs', 'record', 'sp-by-name', 'warehouses', 'warehouse', 'lifetime-cap', 'folder-status'];
const preflightNodes = (extra: GraphNode[] = []): GraphNode[] => [
  { id: 'me', request: 'GET scim/v2/Me' },
  { id: 'metastore-assignment', request: 'GET unity-catalog/current-metastore-assignment' },
  { id: 'metastore-summary', request: 'GET unity-catalog/metastore_summary' },
  { id: 'default-namespace', request: 'GET settings/default_namespace_ws' },
  { id: 'catalogs', request: 'GET unity-catalog/catalogs' },
  { id: 'record', request: 'GET workspace/export (the record)' },
  { id: 'sp-by-name', request: 'GET ServicePrincipals?filter=displayName eq …' },
  { id: 'warehouses', request: 'GET sql/warehouses' },
  { id: 'warehouse', request: 'GET sql/warehouses/{id} (the chosen one)' },
  { id: 'lifetime-cap', request: 'GET workspace-conf (maxTokenLifetimeDays)' },
  { id: 'folder-status', request: 'GET workspace/get-status (record folder and the folders above it)' },
  ...extra,
  { id: 'folder-acl', request: 'GET permissions/directories/{id}', after: ['folder-status'], why: 'needs the object id of the nearest existing folder' },
];
const VERDICT = [...PREFLIGHT, 'folder-acl'];

function connectGraph(row: string, grants: GraphNode[], extraPreflight: GraphNode[] = []): OperationGraph {
  const verdict = [...VERDICT, ...extraPreflight.map((n) => n.id)];
  return {
    row,
    assumes: 'first connect in the workspace (the record folder does not exist yet), existing warehouse, Unity Catalog, PAT handed over once',
    nodes: [
      ...preflightNodes(extraPreflight),
      { id: 'mkdirs', request: 'POST workspace/mkdirs (record folder)', after: verdict, why: 'nothing is written before the pre-flight passed' },
      { id: 'claim', request: 'POST workspace/import overwrite=false (the lock)', after: ['mkdirs'], why: 'an import into a missing folder fails' },
      { id: 'sp-recheck', request: 'GET ServicePrincipals?filter=… (made meanwhile outside?)', after: verdict, why: 'sent once the pre-flight passed' },
      { id: 'sp-create', request: 'POST ServicePrincipals', after: ['claim', 'sp-recheck'], why: 'the lock first, so two connects never make two principals' },
      { id: 'token-permission', request: 'PATCH permissions/authorization/tokens', after: ['sp-create'] },
      { id: 'warehouse-permission', request: 'PATCH permissions/warehouses/{id}', after: ['sp-create'] },
      ...grants,
      { id: 'progress-read', request: 'GET workspace/export (still our lock?)', after: ['sp-create'], why: 'the record names the new principal' },
      { id: 'progress-write', request: 'POST workspace/import (record names the principal)', after: ['progress-read'], why: 'no conditional write: the read checks the lock is still ours' },
      { id: 'token', request: 'POST token-management/on-behalf-of/tokens', after: ['token-permission'], why: 'the principal needs CAN_USE on tokens' },
      { id: 'final-read', request: 'GET workspace/export (still our lock?)', after: ['token', 'progress-write'], why: 'one write at a time; a Disconnect or a takeover may have replaced the record' },
      { id: 'final-write', request: 'POST workspace/import (state connected)', after: ['final-read'] },
      { id: 'post-write-check', request: 'GET ServicePrincipals/{id}', after: ['final-write'], why: 'security: checked after the write (a Disconnect deletes the record last)' },
    ],
  };
}

// ------------------------------------------------------------------ disconnect
/** What a disconnect (and its preview) reads before deleting anything. */
const DISCONNECT_READS: GraphNode[] = [
  { id: 'record', request: 'GET workspace/export (the record)' },
  { id: 'sp-by-name', request: 'GET ServicePrincipals?filter=…' },
  { id: 'tokens', request: 'GET token-management/tokens' },
  { id: 'warehouses', request: 'GET sql/warehouses' },
  { id: 'folder-status', request: 'GET workspace/get-status' },
  { id: 'folder-acl', request: 'GET permissions/directories/{id}', after: ['folder-status'] },
  { id: 'secrets', request: 'GET accounts/servicePrincipals/{id}/credentials/secrets', after: ['sp-by-name'], why: 'needs the principal id (sent when the principal listing answers, beside the folder ACL)' },
];

export const GRAPHS: OperationGraph[] = [
  connectGraph('dbt Cloud (write, UC catalog analytics, existing warehouse)', [
    { id: 'uc-catalog', request: 'PATCH unity-catalog/permissions/catalog/analytics', after: ['sp-create'] },
  ]),
  connectGraph(
    'Hex (read, analytics.marketing, existing warehouse)',
    [
      { id: 'uc-catalog', request: 'PATCH unity-catalog/permissions/catalog/analytics', after: ['sp-create'] },
      { id: 'uc-schema', request: 'PATCH unity-catalog/permissions/schema/analytics.marketing', after: ['sp-create'] },
    ],
    [{ id: 'schemas', request: 'GET unity-catalog/schemas (the chosen schemas exist?)' }],
  ),
  {
    row: 'disconnect reset: dbt Cloud (warehouse created for it, SP + token, record)',
    assumes: 'the record names the principal, its token, the catalog grant and a warehouse "created for it" that carries no tag of ours (the workspace does not confirm it: kept); the folder keeps other records',
    nodes: [
      { id: 'me', request: 'GET scim/v2/Me' },
      { id: 'metastore-assignment', request: 'GET unity-catalog/current-metastore-assignment' },
      ...DISCONNECT_READS,
      { id: 'grants-read', request: 'GET unity-catalog/permissions/catalog/analytics', after: ['record', 'sp-by-name'], why: 'the record names the catalog, the listing the principal (read with the facts, beside the folder ACL)' },
      { id: 'revoke', request: 'PATCH unity-catalog/permissions/catalog/analytics (remove)', after: ['grants-read', 'folder-acl', 'secrets', 'tokens', 'warehouses', 'me'], why: 'removes what is held; nothing is deleted before every fact is in and the folder is judged (the preview is built from all of them)' },
      { id: 'token-delete', request: 'DELETE token-management/tokens/{id}', after: ['tokens', 'folder-acl', 'secrets', 'warehouses', 'me'], why: 'nothing is deleted before the folder is judged; in one stage with the revoke (neither needs the other)' },
      { id: 'sp-delete', request: 'DELETE ServicePrincipals/{id}', after: ['revoke', 'token-delete'], why: 'what hangs on the principal first: a failure leaves the principal to find it by' },
      { id: 'record-delete', request: 'POST workspace/delete (the record)', after: ['sp-delete'], why: 'the record last (connect’s post-write check relies on it)' },
      { id: 'folder-list', request: 'GET workspace/list (folder empty?)', after: ['record-delete'] },
    ],
  },
  {
    row: 'disconnect preview (reset): dbt Cloud',
    assumes: 'as the reset above, read only',
    nodes: [
      ...DISCONNECT_READS,
    ],
  },
  {
    row: 'inspect: Hex (connected)',
    assumes: 'the record names the principal, the warehouse, analytics and analytics.marketing',
    nodes: [
      ...['folder-status', 'me', 'metastore-assignment', 'metastore-summary', 'default-namespace', 'sp-by-name', 'tokens', 'token-acl', 'warehouses', 'record'].map((id) => ({ id, request: `GET (${id})` })),
      { id: 'folder-acl', request: 'GET permissions/directories/{id}', after: ['folder-status'] },
      { id: 'warehouse-acl', request: 'GET permissions/warehouses/{id}', after: ['record', 'warehouses'] },
      { id: 'uc-catalog', request: 'GET unity-catalog/permissions/catalog/analytics', after: ['record', 'sp-by-name', 'metastore-assignment'] },
      { id: 'uc-schema', request: 'GET unity-catalog/permissions/schema/analytics.marketing', after: ['record', 'sp-by-name', 'metastore-assignment'] },
    ],
  },
  {
    row: 'rotate: dbt Cloud (PAT)',
    assumes: 'the record names the principal and its PAT',
    nodes: [
      ...['me', 'record', 'sp-by-name', 'tokens', 'lifetime-cap'].map((id) => ({ id, request: `GET (${id})` })),
      { id: 'secrets', request: 'GET …/credentials/secrets', after: ['sp-by-name', 'record'], why: 'needs the principal id' },
      { id: 'create', request: 'POST token-management/on-behalf-of/tokens', after: ['me', 'lifetime-cap', 'secrets', 'tokens'], why: 'the kind and lifetime come from what exists' },
      { id: 'record-read', request: 'GET workspace/export (disconnected meanwhile?)', after: ['create'] },
      { id: 'record-write', request: 'POST workspace/import (new credential id)', after: ['record-read'], why: 'no conditional write' },
      { id: 'post-write-check', request: 'GET ServicePrincipals/{id}', after: ['record-write'], why: 'security: after the write' },
      { id: 'old-delete', request: 'DELETE token-management/tokens/{old}', after: ['post-write-check'], why: 'the old one only once the new one is recorded and handed over' },
    ],
  },
];

export function graphFor(row: string): OperationGraph | undefined {
  return GRAPHS.find((g) => g.row === row);
}
