/**
 * The cloud and workspace features a run detects, read-only, before any check creates anything.
 * Later checks fill in what can only be learnt by trying (on-behalf-of tokens, serverless, Hive
 * table ACLs). Every value is what was observed; null = not determined.
 */
import type { ScimUser, WorkspaceClient } from '../src/client';
import { hostnameOf, workspaceCloud } from '../src/domain';
import { errorText } from './errors';

export interface Features {
  host: string;
  /** from the host name (the engine's own rule) and, with Unity Catalog, the metastore */
  cloud: string;
  metastoreCloud: string | null;
  metastoreRegion: string | null;
  /** X-Databricks-Org-Id of SCIM Me (filled by the identity checks) */
  workspaceId: string | null;
  /** workspace_id of the metastore assignment */
  metastoreWorkspaceId: string | null;
  unityCatalog: boolean | null;
  defaultCatalog: string | null;
  /** the default_namespace_ws setting (null = unset) */
  defaultNamespaceSetting: string | null;
  caller: string;
  callerIsAdmin: boolean;
  callerIsMetastoreAdmin: boolean | null;
  /** on-behalf-of tokens for service principals can be created (false on Azure) */
  oboTokens: boolean | null;
  /** the workspace's maxTokenLifetimeDays setting (null = not set or not readable) */
  maxTokenLifetimeDays: string | null;
  /** a PRO warehouse with enable_serverless_compute could be created */
  serverless: boolean | null;
  /** legacy Hive metastore GRANT statements work on the given warehouse */
  hiveTableAcls: boolean | null;
  /** a deleted principal's Unity Catalog grants are still listed (identity federation) */
  ucGrantsSurvivePrincipalDelete: boolean | null;
  /** anything that could not be read, in words */
  notes: string[];
}

export async function detectFeatures(client: WorkspaceClient, me: ScimUser, signal: AbortSignal): Promise<Features> {
  const o = { signal };
  const notes: string[] = [];
  const host = hostnameOf(client.host);
  const f: Features = {
    host,
    cloud: /^(127\.|localhost$|\[?::1)/.test(host) ? 'emulator (loopback host)' : workspaceCloud(host),
    metastoreCloud: null,
    metastoreRegion: null,
    workspaceId: null,
    metastoreWorkspaceId: null,
    unityCatalog: null,
    defaultCatalog: null,
    defaultNamespaceSetting: null,
    caller: me.userName,
    callerIsAdmin: me.groups.some((g) => g.display === 'admins'),
    callerIsMetastoreAdmin: null,
    oboTokens: null,
    maxTokenLifetimeDays: null,
    serverless: null,
    hiveTableAcls: null,
    ucGrantsSurvivePrincipalDelete: null,
    notes,
  };
  const [assignment, summary, ns] = await Promise.allSettled([client.currentMetastoreAssignment(o), client.metastoreSummary(o), client.getDefaultNamespace(o)]);
  if (assignment.status === 'fulfilled') {
    f.unityCatalog = assignment.value !== null;
    f.metastoreWorkspaceId = assignment.value?.workspace_id ?? null;
    f.defaultCatalog = assignment.value ? (assignment.value.default_catalog_name ?? null) : 'hive_metastore';
  } else notes.push(`metastore assignment: ${errorText(assignment.reason)}`);
  if (summary.status === 'fulfilled') {
    f.metastoreCloud = summary.value.cloud ?? null;
    f.metastoreRegion = summary.value.region ?? null;
    const owner = summary.value.owner;
    f.callerIsMetastoreAdmin = !!owner && (owner.toLowerCase() === me.userName.toLowerCase() || me.groups.some((g) => g.display?.toLowerCase() === owner.toLowerCase()));
  } else if (f.unityCatalog) notes.push(`metastore summary: ${errorText(summary.reason)}`);
  if (ns.status === 'fulfilled') {
    f.defaultNamespaceSetting = ns.value;
    if (ns.value && f.unityCatalog) f.defaultCatalog = ns.value;
  } else notes.push(`default namespace setting: ${errorText(ns.reason)}`);
  return f;
}
