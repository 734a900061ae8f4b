/**
 * A local Databricks *account*: an accounts host and the workspaces of the account, behind one
 * node:http server on 127.0.0.1, routed by the Host name as Databricks' own front end does.
 *
 *   accounts host   http://accounts.<domain>.localhost:<port>
 *   workspace       http://<deployment_name>.<domain>.localhost:<port>
 *
 * The workspace URLs follow from the accounts host and `deployment_name` exactly as the SDKs and
 * the Terraform provider derive them (the first label of the accounts host is replaced), so the
 * client's real derivation is what tests exercise. `*.localhost` names resolve to loopback
 * (RFC 6761 §6.3; the client's transport does that itself). Each workspace is a full workspace
 * emulator (test/emulator `createEmulatorCore`) with its own seed, faults and request log.
 *
 * Account APIs served (see README.md for the sources):
 * - `POST /oidc/accounts/{account_id}/v1/token` — OAuth M2M for account principals (client
 *   credentials, Basic or form); `GET /oidc/accounts/{account_id}/.well-known/openid-configuration`
 * - `GET /api/2.0/accounts/{account_id}/workspaces` (a bare JSON array, as the SDK decoders read it)
 *   and `…/workspaces/{workspace_id}`
 * - `GET /api/2.0/accounts/{account_id}/scim/v2/ServicePrincipals[/{id}]` with SCIM filters, paged by
 *   startIndex/count: the account's principals = every workspace's principals (workspace-created
 *   principals are added to the account) and the account's own
 * - `GET /api/2.0/accounts/{account_id}/workspaces/{workspace_id}/permissionassignments`
 * An account token is refused by every workspace: a workspace only accepts its own tokens.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { createEmulatorCore, evalScimFilter, parseScimFilter, type EmulatorCore, type FaultRule, type RecordedRequest, type Seed, type SpRec } from '../emulator';
import { Faults } from '../emulator/faults';
import type { Scalar } from '../emulator/scim-filter';
import { clientCredentials } from '../emulator/routes-workspace';
import { sha256 } from '../emulator/state';

export type WorkspaceStatus = 'NOT_PROVISIONED' | 'PROVISIONING' | 'RUNNING' | 'FAILED' | 'BANNED' | 'CANCELLING';

export interface AccountWorkspaceSpec {
  /** digits (int64 in the real API) */
  workspaceId: string;
  workspaceName: string;
  /** the workspace host's first label(s): `acme-prod`, `adb-1234567890123456.7` */
  deploymentName: string;
  seed: Seed;
  status?: WorkspaceStatus;
  statusMessage?: string;
  /** `aws_region` (AWS) or `location` (Azure, GCP) */
  region?: string;
  pricingTier?: string;
  azure?: { subscriptionId: string; resourceGroup: string };
  /**
   * How the account's admin service principal is set up in this workspace: a workspace admin
   * (default), a plain user, or not assigned at all (its workspace OAuth token is refused).
   */
  adminAccess?: 'admin' | 'user' | 'none';
  /** every request answers like a broken gateway (HTTP 502 with an HTML page) */
  failure?: 'gateway-html';
}

export interface AccountPrincipalSpec {
  applicationId: string;
  displayName: string;
  secret: string;
  /** account admins may call the account APIs; others get 403 */
  accountAdmin: boolean;
}

export interface StartAccountEmulatorOptions {
  accountId?: string;
  workspaces: AccountWorkspaceSpec[];
  /** the admin principal (default: FLEET_ADMIN); it is added to every workspace per `adminAccess` */
  admin?: AccountPrincipalSpec;
  /** more account-level principals (e.g. one that is not an account admin) */
  principals?: AccountPrincipalSpec[];
  /** label under .localhost (default "fleet") */
  domain?: string;
  port?: number;
  /** latency on every request, account and workspaces (ms) */
  latencyMs?: number;
  /**
   * 'missing': the workspace list answers 404 ENDPOINT_NOT_FOUND, as reported for some Azure
   * accounts (accounts-facts §2) — the client must offer another way to find the workspaces.
   */
  workspaceList?: 'ok' | 'missing';
  oauthTokenTtlSeconds?: number;
  /**
   * How long an idle connection is kept open (ms; default Node's 5 s, which undici shortens to 3 s).
   * The bench keeps them 60 s, as cloud load balancers do by default (e.g. AWS ALB), so that a refresh
   * that takes more than 3 s on a busy machine does not find every connection closed.
   */
  keepAliveTimeoutMs?: number;
}

export interface AccountEmulatorWorkspace {
  spec: AccountWorkspaceSpec;
  /** http://<deployment_name>.<domain>.localhost:<port> */
  url: string;
  core: EmulatorCore;
}

export interface AccountEmulatorHandle {
  /** the accounts host, http://accounts.<domain>.localhost:<port> */
  url: string;
  accountId: string;
  admin: AccountPrincipalSpec;
  workspaces: AccountEmulatorWorkspace[];
  workspace(nameOrId: string): AccountEmulatorWorkspace;
  /** faults of the account APIs (the workspaces have their own: `workspace(x).core.faults`) */
  faults: Faults;
  /** requests to the account APIs, newest last */
  requests: RecordedRequest[];
  /** latency on every request from now on */
  setLatency(ms: number): void;
  /**
   * Accepts `value` as a bearer token of the admin principal at the accounts host and at every
   * workspace where the principal is assigned — what a Microsoft Entra ID token (the Azure CLI's) is
   * to Azure Databricks. Tests hand the same value to a fake `az`.
   */
  acceptEntraToken(value: string): void;
  /**
   * Every credential value handed out: the account principals' secrets, the account OAuth tokens and
   * what each workspace issued (its `state.issuedCredentials`). For the secret scan.
   */
  issuedCredentials(): Set<string>;
  /** reloads every workspace's seed and re-applies latency, failures and the admin principal */
  reset(): void;
  close(): Promise<void>;
}

/** The account admin service principal of the emulated accounts (fake emulator credentials). */
export const FLEET_ADMIN: AccountPrincipalSpec = {
  applicationId: 'f1ee7ad0-0000-4000-8000-00000000ad01',
  displayName: 'fleet-admin',
  secret: 'fleet-demo-secret-0000',
  accountAdmin: true,
};
export const DEFAULT_ACCOUNT_ID = 'f1ee7acc-0000-4000-8000-000000000001';
const ADMIN_SCIM_ID = '4000000000000901';

interface AccountToken {
  applicationId: string;
  expiresAt: number;
}

export async function startAccountEmulator(opts: StartAccountEmulatorOptions): Promise<AccountEmulatorHandle> {
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT_ID;
  const admin = opts.admin ?? FLEET_ADMIN;
  const accountPrincipals = [admin, ...(opts.principals ?? [])];
  const domain = `${opts.domain ?? 'fleet'}.localhost`;
  const accountsHostName = `accounts.${domain}`;
  let latencyMs = opts.latencyMs ?? 0;
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const tokens = new Map<string, AccountToken>();
  const issuedAccountTokens = new Set<string>();
  const ttl = opts.oauthTokenTtlSeconds ?? 3600;

  const names = new Set<string>();
  for (const w of opts.workspaces) {
    if (!/^\d+$/.test(w.workspaceId)) throw new Error(`account emulator: workspace id "${w.workspaceId}" is not numeric`);
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(w.deploymentName)) throw new Error(`account emulator: deployment name "${w.deploymentName}" is not a host label`);
    if (names.has(w.deploymentName)) throw new Error(`account emulator: deployment name "${w.deploymentName}" is used twice`);
    names.add(w.deploymentName);
  }
  const workspaces: AccountEmulatorWorkspace[] = opts.workspaces.map((spec) => ({
    spec,
    url: '',
    core: createEmulatorCore({ seed: withAdminPrincipal(spec, admin), oauthTokenTtlSeconds: opts.oauthTokenTtlSeconds }),
  }));
  const byDeployment = new Map(workspaces.map((w) => [w.spec.deploymentName, w]));

  const applyWorkspaceRules = (w: AccountEmulatorWorkspace): void => {
    // One rule per workspace: the first rule that acts on a request wins (test/emulator/faults.ts).
    w.core.faults.clear();
    const delay = latencyMs > 0 ? { delayMs: latencyMs } : {};
    if (w.spec.failure === 'gateway-html') {
      w.core.faults.add({ path: '*', status: 502, rawBody: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>', ...delay });
    } else if (latencyMs > 0) {
      w.core.faults.add({ path: '*', ...delay });
    }
  };
  for (const w of workspaces) applyWorkspaceRules(w);

  // ---------------------------------------------------------------- account API handler
  const send = (res: ServerResponse, status: number, body: unknown, requestId: string, record: RecordedRequest): void => {
    record.status = status;
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const html = typeof body === 'string';
    res.writeHead(status, {
      'x-request-id': requestId,
      ...(text ? { 'content-type': html ? 'text/html; charset=utf-8' : 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}),
    });
    res.end(text || undefined);
  };
  const apiError = (status: number, error_code: string, message: string): { status: number; body: unknown } => ({ status, body: { error_code, message } });
  const scimErr = (status: number, detail: string, scimType?: string): { status: number; body: unknown } => ({
    status,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, status: String(status), ...(scimType ? { scimType } : {}) },
  });

  const workspaceJson = (w: AccountEmulatorWorkspace): Record<string, unknown> => {
    const s = w.spec;
    const o: Record<string, unknown> = {
      account_id: accountId,
      workspace_id: Number(s.workspaceId),
      workspace_name: s.workspaceName,
      deployment_name: s.deploymentName,
      workspace_status: s.status ?? 'RUNNING',
      creation_time: 1_700_000_000_000 + Number(s.workspaceId.slice(-6)),
      pricing_tier: s.pricingTier ?? 'PREMIUM',
    };
    if (s.statusMessage) o.workspace_status_message = s.statusMessage;
    if (s.azure) {
      o.azure_workspace_info = { subscription_id: s.azure.subscriptionId, resource_group: s.azure.resourceGroup };
      o.location = s.region ?? 'westeurope';
    } else {
      o.aws_region = s.region ?? 'us-west-2';
    }
    return o;
  };

  /** Every principal of the account: its own and those of the workspaces (by applicationId). */
  const accountServicePrincipals = (): Array<{ id: string; applicationId: string; displayName: string; active: boolean; externalId?: string }> => {
    const out = new Map<string, { id: string; applicationId: string; displayName: string; active: boolean; externalId?: string }>();
    accountPrincipals.forEach((p, i) => out.set(p.applicationId, { id: String(7_000_000_000_000_000 + i + 1), applicationId: p.applicationId, displayName: p.displayName, active: true }));
    for (const w of workspaces) {
      for (const sp of w.core.state.servicePrincipals.values()) {
        if (out.has(sp.applicationId)) continue;
        out.set(sp.applicationId, { id: sp.id, applicationId: sp.applicationId, displayName: sp.displayName, active: sp.active, ...(sp.externalId ? { externalId: sp.externalId } : {}) });
      }
    }
    return [...out.values()];
  };

  const spAttr = (p: { id: string; applicationId: string; displayName: string; active: boolean; externalId?: string }, a: string): Scalar[] | undefined => {
    switch (a) {
      case 'id':
        return [p.id];
      case 'applicationid':
        return [p.applicationId];
      case 'displayname':
        return [p.displayName];
      case 'active':
        return [p.active];
      case 'externalid':
        return p.externalId === undefined ? undefined : [p.externalId];
      default:
        return undefined;
    }
  };

  const tokenEndpoint = (body: Record<string, string>, authorization: string | undefined): { status: number; body: unknown } => {
    const { clientId, clientSecret } = clientCredentials(body, authorization);
    if (body.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'use client_credentials' } };
    const p = accountPrincipals.find((x) => x.applicationId === clientId);
    if (!p || !clientSecret || p.secret !== clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed.' } };
    const token = `eyJacct.${randomBytes(24).toString('base64url')}`;
    tokens.set(sha256(token), { applicationId: p.applicationId, expiresAt: Date.now() + ttl * 1000 });
    issuedAccountTokens.add(token);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: body.scope ?? 'all-apis' } };
  };

  const handleAccount = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> => {
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = { method, path, query, body: undefined, status: 0, auth: '', at: Date.now() };
    requests.push(record);
    const rule = faults.match(method, path);
    if (latencyMs > 0) await sleep(latencyMs);
    if (rule?.delayMs) await sleep(rule.delayMs);
    if (rule?.reset) {
      record.status = 0;
      req.socket.resetAndDestroy();
      return;
    }
    if (rule && (rule.status !== undefined || rule.rawBody !== undefined || rule.body !== undefined)) {
      send(res, rule.status ?? 500, rule.rawBody ?? rule.body ?? { error_code: 'INTERNAL_ERROR', message: `Injected fault: HTTP ${rule.status ?? 500}` }, requestId, record);
      return;
    }
    const r = routeAccount(method, path, query, raw, req, record);
    send(res, r.status, r.body, requestId, record);
  };

  const routeAccount = (method: string, path: string, query: Record<string, string>, raw: string, req: IncomingMessage, record: RecordedRequest): { status: number; body: unknown } => {
    const oidc = /^\/oidc\/accounts\/([^/]+)\/(v1\/token|\.well-known\/openid-configuration)$/.exec(path);
    if (oidc) {
      if (oidc[1] !== accountId) return { status: 404, body: { error: 'invalid_request', error_description: `Unknown account ${oidc[1]}.` } };
      if (oidc[2] === 'v1/token' && method === 'POST') {
        const body = Object.fromEntries(new URLSearchParams(raw));
        record.body = { ...body, ...(body.client_secret ? { client_secret: '***' } : {}) };
        return tokenEndpoint(body, req.headers.authorization);
      }
      if (method === 'GET') {
        const base = `http://${req.headers.host ?? accountsHostName}/oidc/accounts/${accountId}`;
        return { status: 200, body: { issuer: `${base}`, token_endpoint: `${base}/v1/token`, authorization_endpoint: `${base}/v1/authorize`, grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'] } };
      }
    }
    const api = /^\/api\/2\.0\/accounts\/([^/]+)(\/.*)$/.exec(path);
    if (!api) return apiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
    // authentication: an account token of this emulator
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const t = m ? tokens.get(sha256(m[1])) : undefined;
    if (!t || t.expiresAt <= Date.now()) return apiError(401, 'UNAUTHENTICATED', 'Invalid access token.');
    const caller = accountPrincipals.find((p) => p.applicationId === t.applicationId);
    record.auth = caller?.applicationId ?? '';
    if (api[1] !== accountId) return apiError(403, 'PERMISSION_DENIED', `The caller is not a member of account ${api[1]}.`);
    if (!caller?.accountAdmin) return apiError(403, 'PERMISSION_DENIED', 'This API is available to account admins only.');
    const rest = api[2];
    if (method !== 'GET') return apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported on ${rest} by this emulator.`);

    if (rest === '/workspaces') {
      if (opts.workspaceList === 'missing') return apiError(404, 'ENDPOINT_NOT_FOUND', 'Endpoint not found for /2.0/accounts/{account_id}/workspaces');
      return { status: 200, body: workspaces.map(workspaceJson) };
    }
    const one = /^\/workspaces\/(\d+)$/.exec(rest);
    if (one) {
      const w = workspaces.find((x) => x.spec.workspaceId === one[1]);
      return w ? { status: 200, body: workspaceJson(w) } : apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Workspace ${one[1]} does not exist.`);
    }
    const pa = /^\/workspaces\/(\d+)\/permissionassignments$/.exec(rest);
    if (pa) {
      const w = workspaces.find((x) => x.spec.workspaceId === pa[1]);
      if (!w) return apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Workspace ${pa[1]} does not exist.`);
      const st = w.core.state;
      const assignments = [
        ...[...st.users.values()].map((u) => ({ principal: { principal_id: Number(u.id), display_name: u.displayName, user_name: u.userName }, permissions: [u.groups.has('admins') ? 'ADMIN' : 'USER'] })),
        ...[...st.servicePrincipals.values()].map((s) => ({
          principal: { principal_id: Number(s.id), display_name: s.displayName, service_principal_name: s.applicationId },
          permissions: [s.groups.has('admins') ? 'ADMIN' : 'USER'],
        })),
      ];
      return { status: 200, body: { permission_assignments: assignments } };
    }
    const scimList = rest === '/scim/v2/ServicePrincipals';
    const scimOne = /^\/scim\/v2\/ServicePrincipals\/([^/]+)$/.exec(rest);
    if (scimList || scimOne) {
      const all = accountServicePrincipals();
      const render = (p: (typeof all)[number]): Record<string, unknown> => ({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal'],
        id: p.id,
        applicationId: p.applicationId,
        displayName: p.displayName,
        active: p.active,
        ...(p.externalId ? { externalId: p.externalId } : {}),
      });
      if (scimOne) {
        const p = all.find((x) => x.id === decodeURIComponent(scimOne[1]));
        return p ? { status: 200, body: render(p) } : scimErr(404, `Service principal ${scimOne[1]} not found.`);
      }
      let items = all;
      if (query.filter) {
        let node;
        try {
          node = parseScimFilter(query.filter);
        } catch (e) {
          return scimErr(400, `Invalid filter: ${e instanceof Error ? e.message : String(e)}`, 'InvalidFilter');
        }
        items = items.filter((p) => evalScimFilter(node, (a) => spAttr(p, a)));
      }
      const start = Math.max(1, Math.floor(Number(query.startIndex ?? '1')) || 1);
      const count = Math.min(10_000, Math.max(0, Math.floor(Number(query.count ?? '10000')) || 0));
      const page = items.slice(start - 1, start - 1 + count).map(render);
      const body: Record<string, unknown> = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: items.length, startIndex: start, itemsPerPage: page.length };
      if (page.length > 0) body.Resources = page;
      return { status: 200, body };
    }
    return apiError(404, 'ENDPOINT_NOT_FOUND', `No API found for '${method} ${path}'`);
  };

  // ---------------------------------------------------------------- the server
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const hostName = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', 'http://account-emulator');
    const done = (e: unknown): void => {
      process.stderr.write(`account emulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    };
    if (hostName === accountsHostName) {
      readBody(req)
        .then((raw) => handleAccount(req, res, url, raw))
        .catch(done);
      return;
    }
    const suffix = `.${domain}`;
    const w = hostName.endsWith(suffix) ? byDeployment.get(hostName.slice(0, -suffix.length)) : undefined;
    if (!w || (w.spec.status ?? 'RUNNING') !== 'RUNNING') {
      // What an unknown or not-running workspace host looks like from outside: no workspace behind it.
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>404 Not Found</h1><p>No Databricks workspace at this address.</p></body></html>');
      return;
    }
    w.core.handle(req, res).catch(done);
  });
  if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${accountsHostName}:${port}`;
  for (const w of workspaces) w.url = `http://${w.spec.deploymentName}.${domain}:${port}`;

  return {
    url,
    accountId,
    admin,
    workspaces,
    workspace: (nameOrId) => {
      const w = workspaces.find((x) => x.spec.workspaceName === nameOrId || x.spec.workspaceId === nameOrId || x.spec.deploymentName === nameOrId);
      if (!w) throw new Error(`account emulator: no workspace "${nameOrId}"`);
      return w;
    },
    faults,
    requests,
    issuedCredentials: () => new Set([...accountPrincipals.map((p) => p.secret), ...issuedAccountTokens, ...workspaces.flatMap((w) => [...w.core.state.issuedCredentials])]),
    acceptEntraToken: (value) => {
      tokens.set(sha256(value), { applicationId: admin.applicationId, expiresAt: Date.now() + ttl * 1000 });
      for (const w of workspaces) {
        const st = w.core.state;
        const sp = st.findSpByApplicationId(admin.applicationId);
        const creator = [...st.users.values()].find((u) => u.groups.has('admins'));
        if (sp && creator) st.issueToken({ owner: sp, createdBy: creator, comment: 'Entra ID token (test)', value });
      }
    },
    setLatency: (ms) => {
      latencyMs = ms;
      for (const w of workspaces) applyWorkspaceRules(w);
    },
    reset: () => {
      for (const w of workspaces) {
        w.core.reset(withAdminPrincipal(w.spec, admin));
        applyWorkspaceRules(w);
      }
      faults.clear();
      requests.length = 0;
      tokens.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** The workspace's seed with the account admin principal added as `adminAccess` says. */
export function withAdminPrincipal(spec: AccountWorkspaceSpec, admin: AccountPrincipalSpec): Seed {
  const seed = structuredClone(spec.seed);
  const access = spec.adminAccess ?? 'admin';
  seed.workspace = { ...(seed.workspace ?? {}), id: spec.workspaceId, name: spec.workspaceName };
  if (access !== 'none') {
    // An account-wide admin tool's principal is a workspace admin and, where the metastore is owned by
    // a group, in that group (metastore admin), as SAT's and ucx's installation guides ask.
    const metastoreGroup = seed.metastore?.owner && (seed.groups ?? []).some((g) => g.displayName === seed.metastore?.owner) ? [seed.metastore.owner] : [];
    seed.servicePrincipals = [
      ...(seed.servicePrincipals ?? []).filter((p) => p.applicationId !== admin.applicationId),
      // A SCIM id below 2^53: the Partner Connect ConnectRequest carries the caller's id as a JSON number,
      // and the protocol client cannot send larger ids yet (the emulator's own ids are above 2^53 on purpose).
      { id: ADMIN_SCIM_ID, applicationId: admin.applicationId, displayName: admin.displayName, groups: access === 'admin' ? ['admins', ...metastoreGroup] : [], oauthSecret: admin.secret, entitlements: ['workspace-access'] },
    ];
  }
  return seed;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export type { SpRec, FaultRule };
