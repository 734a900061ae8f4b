/**
 * The Databricks workspace client: the methods of `WorkspaceClient` (./api.ts) on top of the HTTP
 * transport, an auth provider, zod schemas and the paging helpers. Returned objects keep the REST
 * API's own field names; ids are normalised to strings by the schemas.
 */
import { scimEq } from './scim';
import * as z from 'zod';
import type { CallOptions, WorkspaceClient, WorkspaceClientOptions } from './api';
import { parseWorkspaceHost } from './auth/host';
import { PRODUCT } from './version';
import { authProviderFor } from './auth/providers';
import type { AuthProvider } from './auth/provider';
import { DatabricksApiError, isCancellation } from './errors';
import { buildUserAgent, createHttpTransport, type HttpTransport } from './http/transport';
import { parseJsonBody } from './http/jsonBody';
import { redactPathAndQuery } from './redact';
import { sleep } from './http/retry';
import { collect, scimPages, tokenPages } from './paging';
import {
  AccessControlRequest,
  ListCatalogsResponse,
  CreateWarehouseResponse,
  CreateWarehouseSpec,
  CreatedToken,
  CreatedSecret,
  DefaultNamespaceSetting,
  ListSecretsResponse,
  WorkspaceConf,
  WarehouseConfig,
  parseJsonLossless,
  ListSchemasResponse,
  ListTokensResponse,
  ListWarehousesResponse,
  MetastoreAssignment,
  MetastoreSummary,
  ObjectPermissions,
  PermissionsChange,
  PermissionsList,
  ScimGroup,
  ScimPatchOperation,
  ScimUser,
  ServicePrincipal,
  StatementResult,
  Warehouse,
  WorkspaceExportResponse,
  WorkspaceObjectInfo,
  WorkspaceListResponse,
  scimListResponse,
} from './schemas';

export const CLIENT_NAME = PRODUCT.name;
export const CLIENT_VERSION = PRODUCT.version;

const SCIM = '/api/2.0/preview/scim/v2';
/** A SCIM filter string literal. */
const SCIM_SP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal';
const SCIM_PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ServicePrincipalList = scimListResponse(ServicePrincipal);
const GroupList = scimListResponse(ScimGroup);
const UserList = scimListResponse(ScimUser);
const AnyJson = z.unknown();

type Query = Record<string, string | number | boolean | undefined>;

interface CallSpec {
  query?: Query;
  body?: unknown;
  idempotent?: boolean;
  /** see HttpRequest.beforeResend */
  beforeResend?: () => Promise<void>;
  o?: CallOptions;
}

/** The sign-in of a workspace client (also used by tools that send their own requests with the same credentials). */
export function createAuthProvider(options: WorkspaceClientOptions, host: string, transport: HttpTransport, routing: Record<string, string> = {}): AuthProvider {
  return authProviderFor(options.auth, {
    host,
    transport,
    env: options.env,
    now: options.clock,
    timeoutMs: options.timeoutMs,
    routing,
    fallbackCliPaths: options.fallbackCliPaths,
  });
}

export function createWorkspaceClient(options: WorkspaceClientOptions): WorkspaceClient {
  const parsedHost = parseWorkspaceHost(options.host);
  const host = parsedHost.host;
  // Unified hosts: the workspace is named by X-Databricks-Workspace-Id on every request.
  const workspaceId = options.workspaceId?.trim() || parsedHost.workspaceId;
  const routing: Record<string, string> = workspaceId ? { 'x-databricks-workspace-id': workspaceId } : {};
  const product = options.product ?? { name: CLIENT_NAME, version: CLIENT_VERSION };
  // The provider is created after the transport, which asks it for secrets lazily.
  let provider: AuthProvider | undefined;
  const transport = createHttpTransport({
    userAgent: buildUserAgent(product, options.auth.type),
    timeoutMs: options.timeoutMs,
    ca: options.ca,
    env: options.env,
    network: options.network,
    retry: options.retry,
    logger: options.logger,
    secrets: () => (provider ? provider.secrets() : []),
    // int64 ids (owner_id, created_by_id, workspace_id, ...) beyond 2^53 keep their digits
    parseJson: parseJsonLossless,
  });
  provider = createAuthProvider(options, host, transport, routing);
  const auth = provider;
  const pollInitial = options.statementPoll?.initialDelayMs ?? 250;
  const pollMax = options.statementPoll?.maxDelayMs ?? 5_000;

  const url = (path: string, query?: Query): string => {
    if (query === undefined) return `${host}${path}`;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return `${host}${path}${qs ? `?${qs}` : ''}`;
  };

  const request = (method: string, path: string, spec: CallSpec) => ({
    method,
    url: url(path, spec.query),
    headers: routing,
    json: spec.body,
    idempotent: spec.idempotent,
    beforeResend: spec.beforeResend,
    signal: spec.o?.signal,
    timeoutMs: spec.o?.timeoutMs ?? options.requestTimeoutMs?.(method, path),
    onAmbiguousAttempt: spec.o?.onAmbiguousAttempt,
    authorize: (signal: AbortSignal | undefined) => auth.headers(signal),
    onUnauthorized: () => auth.invalidate(),
  });
  const call = <S extends z.ZodTypeAny>(method: string, path: string, schema: S, spec: CallSpec = {}, allowEmpty = false): Promise<z.output<S>> =>
    transport.requestJson(request(method, path, spec), schema, { allowEmpty });
  /** `call` that also returns the response headers (lower-case names). */
  const callWithHeaders = async <S extends z.ZodTypeAny>(method: string, path: string, schema: S, spec: CallSpec = {}): Promise<{ body: z.output<S>; headers: Record<string, string> }> => {
    const res = await transport.send(request(method, path, spec));
    const body = parseJsonBody(res, schema, method, () => redactPathAndQuery(path), () => auth.secrets(), false, parseJsonLossless) as z.output<S>;
    return { body, headers: res.headers };
  };
  /** A call whose answer carries nothing we need (it must still be empty or JSON). */
  const callVoid = async (method: string, path: string, spec: CallSpec = {}): Promise<void> => {
    await call(method, path, AnyJson, spec, true);
  };
  /** `fn()`, but a 404 (or RESOURCE_DOES_NOT_EXIST) resolves to `fallback`. */
  const unless404 = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DatabricksApiError && e.isNotFound) return fallback;
      throw e;
    }
  };
  /** A delete that is fine when the object is already gone, but only when an earlier attempt may have removed it. */
  const deleteTolerant = async (fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      if (e instanceof DatabricksApiError && e.isNotFound && e.afterAmbiguousRetry) return;
      throw e;
    }
  };

  /**
   * A create that a throttled answer (429/503) may have hidden: before it is sent again, `lookup` looks
   * for what the first attempt made; when found, that is the result and nothing is sent again.
   */
  const createOnce = async <T>(send: (beforeResend: () => Promise<void>) => Promise<T>, lookup: () => Promise<T | undefined>): Promise<T> => {
    const found: { value?: T } = {};
    const stop = new Error('found what the first attempt created');
    try {
      return await send(async () => {
        const v = await lookup();
        if (v === undefined) return;
        found.value = v;
        throw stop;
      });
    } catch (e) {
      if (e === stop) return found.value as T;
      throw e;
    }
  };

  const iterateServicePrincipals = (q: { filter?: string; attributes?: string; pageSize?: number } = {}, o?: CallOptions): AsyncIterable<ServicePrincipal> =>
    scimPages(async (startIndex, count) => {
      const r = await call('GET', `${SCIM}/ServicePrincipals`, ServicePrincipalList, {
        query: { filter: q.filter, attributes: q.attributes, startIndex, count },
        o,
      });
      return { items: r.Resources, totalResults: r.totalResults };
    }, Math.min(100, Math.max(1, q.pageSize ?? 100)));

  const me = (o?: CallOptions): Promise<ScimUser> => call('GET', `${SCIM}/Me`, ScimUser, { o });
  const identify = async (o?: CallOptions): Promise<{ me: ScimUser; workspaceId: string | null }> => {
    const r = await callWithHeaders('GET', `${SCIM}/Me`, ScimUser, { o });
    const id = (r.headers['x-databricks-org-id'] ?? '').trim();
    return { me: r.body, workspaceId: /^\d+$/.test(id) && !/^0+$/.test(id) ? id : null };
  };
  const secretsPath = (scimId: string): string => `/api/2.0/accounts/servicePrincipals/${encodeURIComponent(scimId)}/credentials/secrets`;

  const client: WorkspaceClient = {
    host,
    workspaceId,
    authType: options.auth.type,

    // ------------------------------------------------------------ identity
    me,
    identify,
    isWorkspaceAdmin: async (o) => (await me(o)).groups.some((g) => g.display === 'admins'),
    iterateServicePrincipals,
    listServicePrincipals: (q = {}, o) => collect(iterateServicePrincipals({ filter: q.filter, attributes: q.attributes, pageSize: 100 }, o)),
    getServicePrincipal: (id, o) => call('GET', `${SCIM}/ServicePrincipals/${encodeURIComponent(id)}`, ServicePrincipal, { o }),
    // After a throttled answer, a principal with this displayName is the one the first attempt made
    // (callers check that none exists before creating: `<PARTNER>_USER` names are unique).
    createServicePrincipal: (p, o) =>
      createOnce(
        (beforeResend) =>
          call('POST', `${SCIM}/ServicePrincipals`, ServicePrincipal, {
            body: {
              schemas: [SCIM_SP_SCHEMA],
              displayName: p.displayName,
              active: p.active ?? true,
              entitlements: p.entitlements.map((value) => ({ value })),
            },
            beforeResend,
            o,
          }),
        async () => {
          const r = await call('GET', `${SCIM}/ServicePrincipals`, ServicePrincipalList, { query: { filter: scimEq('displayName', p.displayName) }, o });
          const same = r.Resources.filter((s) => s.displayName === p.displayName);
          return same.length === 1 ? same[0] : undefined;
        },
      ),
    patchServicePrincipal: (id, operations, o) =>
      callVoid('PATCH', `${SCIM}/ServicePrincipals/${encodeURIComponent(id)}`, {
        body: { schemas: [SCIM_PATCH_SCHEMA], Operations: z.array(ScimPatchOperation).parse(operations) },
        o,
      }),
    deleteServicePrincipal: (id, o) => deleteTolerant(() => callVoid('DELETE', `${SCIM}/ServicePrincipals/${encodeURIComponent(id)}`, { o })),
    listGroups: (q = {}, o) =>
      collect(
        scimPages(async (startIndex, count) => {
          const r = await call('GET', `${SCIM}/Groups`, GroupList, { query: { filter: q.filter, startIndex, count }, o });
          return { items: r.Resources, totalResults: r.totalResults };
        }),
      ),

    listUsers: (q, o) =>
      collect(
        scimPages(async (startIndex, count) => {
          const r = await call('GET', `${SCIM}/Users`, UserList, { query: { filter: q.filter, startIndex, count }, o });
          return { items: r.Resources, totalResults: r.totalResults };
        }),
      ),

    // ------------------------------------------------------------ tokens
    listTokens: async (q = {}, o) =>
      (
        await call('GET', '/api/2.0/token-management/tokens', ListTokensResponse, {
          query: { created_by_id: q.createdById, created_by_username: q.createdByUsername },
          o,
        })
      ).token_infos,
    // A token's value cannot be read again: after a throttled answer, a token the first attempt may have
    // made (same owner and comment, created since) is deleted before the create is sent again.
    createOboToken: async (p, o) => {
      const since = Date.now() - 60_000;
      return call('POST', '/api/2.0/token-management/on-behalf-of/tokens', CreatedToken, {
        body: { application_id: p.applicationId, comment: p.comment, lifetime_seconds: p.lifetimeSeconds },
        beforeResend: async () => {
          const sps = await call('GET', `${SCIM}/ServicePrincipals`, ServicePrincipalList, { query: { filter: scimEq('applicationId', p.applicationId) }, o });
          const owner = sps.Resources.find((s) => s.applicationId === p.applicationId);
          if (!owner) return;
          const list = (await call('GET', '/api/2.0/token-management/tokens', ListTokensResponse, { o })).token_infos;
          for (const t of list) {
            if (t.owner_id === owner.id && t.comment === p.comment && (t.creation_time ?? 0) >= since) {
              await deleteTolerant(() => callVoid('DELETE', `/api/2.0/token-management/tokens/${encodeURIComponent(t.token_id)}`, { o }));
            }
          }
        },
        o,
      });
    },
    // The user's own tokens. As above: after a throttled answer, a token of the user with this comment
    // made since shortly before the call is deleted before the create is sent again.
    createOwnToken: (p, o) => {
      const since = Date.now() - 60_000;
      return call('POST', '/api/2.0/token/create', CreatedToken, {
        body: { comment: p.comment, lifetime_seconds: p.lifetimeSeconds },
        beforeResend: async () => {
          const list = (await call('GET', '/api/2.0/token/list', ListTokensResponse, { o })).token_infos;
          for (const t of list) {
            if (t.comment === p.comment && (t.creation_time ?? 0) >= since) await deleteTolerant(() => callVoid('POST', '/api/2.0/token/delete', { body: { token_id: t.token_id }, o }));
          }
        },
        o,
      });
    },
    listOwnTokens: async (o) => (await call('GET', '/api/2.0/token/list', ListTokensResponse, { o })).token_infos,
    deleteOwnToken: (id, o) => deleteTolerant(() => callVoid('POST', '/api/2.0/token/delete', { body: { token_id: id }, idempotent: true, o })),
    getWorkspaceConf: (keys, o) => call('GET', '/api/2.0/workspace-conf', WorkspaceConf, { query: { keys: keys.join(',') }, o }),
    // A secret's value cannot be read again either: after a throttled answer, a secret of this principal the
    // first attempt may have made (one not among the caller's existingSecretIds; without them, one created since
    // shortly before the call) is deleted before the create is sent again.
    createServicePrincipalSecret: (scimId, p, o) => {
      const since = Date.now() - 60_000;
      return call('POST', secretsPath(scimId), CreatedSecret, {
        body: p.lifetimeSeconds !== undefined ? { lifetime: `${Math.round(p.lifetimeSeconds)}s` } : {},
        beforeResend: async () => {
          const list = (await call('GET', secretsPath(scimId), ListSecretsResponse, { o })).secrets;
          const known = p.existingSecretIds ? new Set(p.existingSecretIds) : undefined;
          for (const x of list) {
            const created = x.create_time ? Date.parse(x.create_time) : NaN;
            if (known ? !known.has(x.id) : Number.isFinite(created) && created >= since) {
              await deleteTolerant(() => callVoid('DELETE', `${secretsPath(scimId)}/${encodeURIComponent(x.id)}`, { o }));
            }
          }
        },
        o,
      });
    },
    listServicePrincipalSecrets: (scimId, o) =>
      collect(
        tokenPages(async (pageToken) => {
          const r = await call('GET', secretsPath(scimId), ListSecretsResponse, { query: { page_token: pageToken }, o });
          return { items: r.secrets, nextPageToken: r.next_page_token };
        }, 'GET /api/2.0/accounts/servicePrincipals/{id}/credentials/secrets'),
      ),
    deleteServicePrincipalSecret: (scimId, secretId, o) => deleteTolerant(() => callVoid('DELETE', `${secretsPath(scimId)}/${encodeURIComponent(secretId)}`, { o })),
    deleteToken: (id, o) => deleteTolerant(() => callVoid('DELETE', `/api/2.0/token-management/tokens/${encodeURIComponent(id)}`, { o })),
    getTokenPermissions: (o) => call('GET', '/api/2.0/permissions/authorization/tokens', ObjectPermissions, { o }),
    patchTokenPermissions: (acl, o) =>
      call('PATCH', '/api/2.0/permissions/authorization/tokens', ObjectPermissions, { body: { access_control_list: z.array(AccessControlRequest).parse(acl) }, o }),

    // ------------------------------------------------------------ warehouses and clusters
    listWarehouses: (o) =>
      collect(
        tokenPages(async (pageToken) => {
          const r = await call('GET', '/api/2.0/sql/warehouses', ListWarehousesResponse, { query: { page_token: pageToken }, o });
          return { items: r.warehouses, nextPageToken: r.next_page_token };
        }, 'GET /api/2.0/sql/warehouses'),
      ),
    getWarehouse: (id, o) => call('GET', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}`, Warehouse, { o }),
    createWarehouse: async (spec, o) => {
      const r = await call('POST', '/api/2.0/sql/warehouses', CreateWarehouseResponse, { body: CreateWarehouseSpec.parse(spec), o });
      return { id: r.id };
    },
    getWarehouseConfig: (o) => call('GET', '/api/2.0/sql/config/warehouses', WarehouseConfig, { o }),
    startWarehouse: (id, o) => callVoid('POST', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}/start`, { idempotent: true, o }),
    deleteWarehouse: (id, o) => deleteTolerant(() => callVoid('DELETE', `/api/2.0/sql/warehouses/${encodeURIComponent(id)}`, { o })),
    getWarehousePermissions: (id, o) => call('GET', `/api/2.0/permissions/warehouses/${encodeURIComponent(id)}`, ObjectPermissions, { o }),
    patchWarehousePermissions: (id, acl, o) =>
      call('PATCH', `/api/2.0/permissions/warehouses/${encodeURIComponent(id)}`, ObjectPermissions, {
        body: { access_control_list: z.array(AccessControlRequest).parse(acl) },
        o,
      }),
    deleteCluster: (id, o) => callVoid('POST', '/api/2.1/clusters/permanent-delete', { body: { cluster_id: id }, idempotent: true, o }),

    // ------------------------------------------------------------ Unity Catalog
    listCatalogs: (o) =>
      collect(
        tokenPages(async (pageToken) => {
          const r = await call('GET', '/api/2.1/unity-catalog/catalogs', ListCatalogsResponse, { query: { max_results: 0, page_token: pageToken }, o });
          return { items: r.catalogs, nextPageToken: r.next_page_token };
        }, 'GET /api/2.1/unity-catalog/catalogs'),
      ),
    listSchemas: (catalogName, o) =>
      collect(
        tokenPages(async (pageToken) => {
          const r = await call('GET', '/api/2.1/unity-catalog/schemas', ListSchemasResponse, {
            query: { catalog_name: catalogName, max_results: 0, page_token: pageToken },
            o,
          });
          return { items: r.schemas, nextPageToken: r.next_page_token };
        }, 'GET /api/2.1/unity-catalog/schemas'),
      ),
    getGrants: (securableType, fullName, o) =>
      collect(
        tokenPages(async (pageToken) => {
          const r = await call('GET', `/api/2.1/unity-catalog/permissions/${encodeURIComponent(securableType.toLowerCase())}/${encodeURIComponent(fullName)}`, PermissionsList, {
            query: { page_token: pageToken },
            o,
          });
          return { items: r.privilege_assignments, nextPageToken: r.next_page_token };
        }, 'GET /api/2.1/unity-catalog/permissions'),
      ),
    updateGrants: async (securableType, fullName, changes, o) =>
      (
        await call('PATCH', `/api/2.1/unity-catalog/permissions/${encodeURIComponent(securableType.toLowerCase())}/${encodeURIComponent(fullName)}`, PermissionsList, {
          body: { changes: z.array(PermissionsChange).parse(changes) },
          o,
        })
      ).privilege_assignments,
    currentMetastoreAssignment: (o) => unless404(() => call('GET', '/api/2.1/unity-catalog/current-metastore-assignment', MetastoreAssignment, { o }), null),
    metastoreSummary: (o) => call('GET', '/api/2.1/unity-catalog/metastore_summary', MetastoreSummary, { o }),
    getDefaultNamespace: (o) =>
      unless404(async () => {
        const r = await call('GET', '/api/2.0/settings/types/default_namespace_ws/names/default', DefaultNamespaceSetting, { o });
        return r.namespace.value ?? null;
      }, null),

    // ------------------------------------------------------------ SQL statements
    executeStatement: async (p, o) => {
      let r = await call('POST', '/api/2.0/sql/statements', StatementResult, {
        body: { warehouse_id: p.warehouseId, statement: p.statement, wait_timeout: '30s', on_wait_timeout: 'CONTINUE', ...(p.parameters?.length ? { parameters: p.parameters } : {}) },
        o,
      });
      const id = r.statement_id;
      let delay = pollInitial;
      try {
        while (r.status.state === 'PENDING' || r.status.state === 'RUNNING') {
          await sleep(delay, o?.signal);
          delay = Math.min(pollMax, Math.round(delay * 1.5));
          r = await call('GET', `/api/2.0/sql/statements/${encodeURIComponent(id)}`, StatementResult, { o });
        }
      } catch (e) {
        if (isCancellation(e)) {
          // Best effort: stop the statement on the warehouse too; the caller gets the cancellation at once.
          void callVoid('POST', `/api/2.0/sql/statements/${encodeURIComponent(id)}/cancel`, { idempotent: true, o: { timeoutMs: 10_000 } }).catch((err: unknown) => {
            options.logger?.(`Could not cancel statement ${id}: ${err instanceof Error ? err.message : String(err)}`);
          });
        }
        throw e;
      }
      const state = r.status.state;
      if (state === 'FAILED' || state === 'CANCELED' || state === 'CLOSED') {
        const code = state === 'FAILED' ? (r.status.error?.error_code ?? 'STATEMENT_FAILED') : `STATEMENT_${state}`;
        throw new DatabricksApiError({
          status: 200,
          errorCode: code,
          serverMessage: r.status.error?.message ?? (state === 'FAILED' ? 'the statement failed without a message' : `the statement ended as ${state}`),
          method: 'POST',
          path: '/api/2.0/sql/statements',
          summary: `SQL statement ${id} on warehouse ${p.warehouseId} ${state === 'FAILED' ? 'failed' : `was ${state.toLowerCase()}`} (${code})`,
          hint:
            code === 'PERMISSION_DENIED' || /permission|privilege|not authorized/i.test(r.status.error?.message ?? '')
              ? 'Granting legacy Hive metastore privileges needs a workspace admin or the owner of the object.'
              : undefined,
        });
      }
      return r;
    },

    // ------------------------------------------------------------ workspace files
    readWorkspaceFile: (path, o) =>
      unless404(async () => {
        const r = await call('GET', '/api/2.0/workspace/export', WorkspaceExportResponse, { query: { path, format: 'AUTO' }, o });
        return Buffer.from(r.content, 'base64').toString('utf8');
      }, null),
    writeWorkspaceFile: async (path, content, p, o) => {
      const parent = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
      const put = (): Promise<void> =>
        callVoid('POST', '/api/2.0/workspace/import', {
          body: { path, format: 'AUTO', content: Buffer.from(content, 'utf8').toString('base64'), overwrite: p.overwrite },
          // Re-sending an overwrite leaves the same file; a create-only import must not be re-sent.
          idempotent: p.overwrite,
          o,
        });
      // Import first: the parent folder usually exists, so one request instead of mkdirs + import. Only when the
      // workspace says the path does not exist (the parent folder is missing; nothing was written) create the parent
      // and import once more. Any other error, RESOURCE_ALREADY_EXISTS of a create-only import included, surfaces as is.
      const mkdirs = (): Promise<void> => callVoid('POST', '/api/2.0/workspace/mkdirs', { body: { path: parent }, idempotent: true, o });
      if (p.parentMissing && parent !== '') {
        await mkdirs();
        return put();
      }
      try {
        await put();
      } catch (e) {
        if (parent === '' || !(e instanceof DatabricksApiError) || e.errorCode !== 'RESOURCE_DOES_NOT_EXIST') throw e;
        await mkdirs();
        await put();
      }
    },
    listWorkspaceFiles: (path, o) =>
      unless404(async () => (await call('GET', '/api/2.0/workspace/list', WorkspaceListResponse, { query: { path }, o })).objects, []),
    deleteWorkspaceFile: (path, o) => unless404(() => callVoid('POST', '/api/2.0/workspace/delete', { body: { path, recursive: false }, idempotent: true, o }), undefined),
    getWorkspaceObjectStatus: (path, o) => unless404(() => call('GET', '/api/2.0/workspace/get-status', WorkspaceObjectInfo, { query: { path }, o }), null),
    getDirectoryPermissions: (objectId, o) => call('GET', `/api/2.0/permissions/directories/${encodeURIComponent(objectId)}`, ObjectPermissions, { o }),

    close: () => transport.close(),
  };
  return client;
}
