/**
 * Partner simulator: the partner side of the Partner Connect API (API version 2.1.1) on 127.0.0.1,
 * for tests and for running the extension against by hand (`npm run partner-sim`).
 *
 * - Every request to an API path is validated against the project's description of the protocol
 *   (`protocol.ts`; a test can pass another one, e.g. the published OpenAPI file's): headers incl.
 *   `User-Agent: databricks`, Content-Type, basic auth; body schema; plus the protocol rules the
 *   spec states in prose, e.g. no token on an established connection. An invalid request gets
 *   400 `bad_request` and is recorded with `valid: false` and its errors.
 * - Every reply is checked against the same description (status and body); a reply that does not
 *   follow it is a simulator bug: recorded in `replyErrors` and answered 500 instead (the
 *   `malformed_response` scenario breaks the protocol on purpose and is not checked).
 * - Every API request is recorded in `requests`, redacted: Authorization becomes
 *   `Basic <user>:***`; secret fields (personal_access_token, service_principal_oauth_secret,
 *   oauth_token) are replaced by `<redacted>` and only their sha256 is kept (`patSha256`,
 *   `secretSha256`). The raw body of a request that is not JSON is never kept.
 * - It keeps partner-side state: accounts (by e-mail domain) and connections
 *   (connection_id → workspace, service principal, user, token hash).
 *
 * Behaviour without a scenario ("default"), as a partner following the spec would do it:
 * - connect, not established: unknown domain → new account + user, 201 create_trial; known user →
 *   201 sign_in (purchase_product if the account expired); new user in a known account →
 *   `new_user_action` (auto_add: 201 sign_in; invite: 201 contact_admin with user_status
 *   not_applicable; not_found: 404 account_not_found; error: 500 general_error). A new connection
 *   is stored and returned with configured_resources true.
 * - connect, established: unknown connection_id → 404 connection_not_found; otherwise 200 with the
 *   same connection_id and configured_resources false (user handling as above).
 * - delete-connection (POST per the published file, DELETE per the prose: both accepted): known → deleted,
 *   `resources_deleted`; unknown → 404 connection_not_found.
 * - test-connection: known → PASS; unknown → 404 connection_not_found.
 * - connectors (GET), delete-account (DELETE), expire-account (PUT): test-only endpoints of the
 *   spec, limited to the databricks-test.com / databricks-demo.com domains.
 * Redirect URIs point at the simulator itself (`/signin`, `/trial`, `/purchase`, `/join`), which
 * serves small HTML pages there.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSafeNumber, parse as parseLossless } from 'lossless-json';
import { PartnerConfig, type NewUserAction } from '../../src/client/partner/partnerConfig';
import { PARTNER_CONNECT_PROTOCOL, type ProtocolDescription } from './protocol';
import { parseBasicAuth, ProtocolValidator } from './validator';

// ------------------------------------------------------------------ scenarios
export type SimScenarioName =
  /** Stateful behaviour described in the header. */
  | 'default'
  /** connect: a brand-new user in a new account (user_status new, account_status new, create_trial). */
  | 'new_user'
  /** connect: a known user of an active account (user_status existing, sign_in). */
  | 'existing_user'
  /** connect: the account's trial expires (persistently) and the user is known: account_status expired, purchase_product. */
  | 'expired_trial'
  /** connect: 200 with configured_resources false and no connection_id; nothing stored. */
  | 'configured_resources_false'
  /** any endpoint: 401 unauthorized. */
  | 'unauthorized'
  /** connect: 404 account_not_found. */
  | 'account_not_found'
  /** connect / delete-connection / test-connection: 404 connection_not_found. */
  | 'connection_not_found'
  /** any endpoint: 500 general_error (as a simulator scenario: always 500). */
  | 'server_error'
  /** connect: default behaviour but redirect_uri on a host NOT in the allow-list. */
  | 'foreign_redirect'
  /** any endpoint: 200 with a body that does not match the spec. */
  | 'malformed_response';

export type SimScenario =
  | SimScenarioName
  | { kind: SimScenarioName }
  /** connect: the user is new to an existing account, and the partner applies `action`. */
  | { kind: 'new_user_action'; action: NewUserAction }
  /** `failures` requests answered 500, then default behaviour. Queued: `failures` queued 500s. */
  | { kind: 'fail_then_succeed'; failures: number }
  /** connect: default behaviour with this redirect_uri. */
  | { kind: 'redirect'; uri: string };

type Normalized =
  | { kind: SimScenarioName }
  | { kind: 'new_user_action'; action: NewUserAction }
  | { kind: 'fail_then_succeed'; failures: number }
  | { kind: 'redirect'; uri: string };

function normalize(s: SimScenario): Normalized {
  return typeof s === 'string' ? { kind: s } : s;
}

function scenarioLabel(s: Normalized): string {
  switch (s.kind) {
    case 'new_user_action':
      return `new_user_action:${s.action}`;
    case 'fail_then_succeed':
      return `fail_then_succeed:${s.failures}`;
    case 'redirect':
      return 'redirect';
    default:
      return s.kind;
  }
}

export const FOREIGN_REDIRECT_URI = 'https://not-allowed.partner-sim.invalid/signin';

// ------------------------------------------------------------------ records
export interface SimRequest {
  seq: number;
  method: string;
  /** Path and query as received. */
  path: string;
  /** Lower-case names; Authorization redacted to `Basic <user>:***`. */
  headers: Record<string, string>;
  /** Parsed JSON body with secrets replaced by `<redacted>`; undefined when absent or not JSON. */
  body: unknown;
  /** sha256 (hex) of user_info.auth.personal_access_token, when one was sent. */
  patSha256?: string;
  /** sha256 (hex) of every redacted secret, by JSON path. */
  secretSha256: Record<string, string>;
  valid: boolean;
  errors: string[];
  /** Where the simulator's own reply broke the protocol (a simulator bug; then it answered 500). */
  replyErrors: string[];
  /** The status the simulator answered with. */
  status: number;
  /** The scenario that decided the answer. */
  scenario: string;
}

/** An int64 as the request carried it: a number, or a bigint beyond 2^53 (every digit kept). */
export type Int64 = number | bigint;

export interface SimConnection {
  connection_id: string;
  workspace_id: Int64;
  databricks_organization_id: Int64;
  cloud_provider: string;
  workspace_url: string;
  service_principal_id?: string;
  email: string;
  account_domain: string;
  /** sha256 (hex) of the token handed over on creation. */
  patSha256?: string;
  /** sha256 (hex) of the service principal OAuth secret handed over on creation (AUTH_OAUTH_M2M). */
  oauthSecretSha256?: string;
  catalog_name?: string;
  cluster_id?: string;
  is_sql_warehouse?: boolean;
  created_seq: number;
}

export interface SimAccount {
  domain: string;
  status: 'active' | 'expired';
  users: Set<string>;
}

export interface PartnerSimOptions {
  /** Default 0 (any free port). Always binds 127.0.0.1. */
  port?: number;
  /** Expected basic-auth credentials; default user `databricks` and a random password. */
  credentials?: { username: string; password: string };
  scenario?: SimScenario;
  /** The partner's new_user_action (also in partnerConfig()); default auto_add. */
  newUserAction?: NewUserAction;
  /** Report properties the spec does not declare (default true). */
  rejectUnknownFields?: boolean;
  /** What requests and replies are checked against; default the project's own (`protocol.ts`). */
  protocol?: ProtocolDescription;
  /** Called after each API request is answered (the CLI logs with it). */
  onRequest?: (r: SimRequest) => void;
  /** The partner's auth_options (also in partnerConfig()); default ['AUTH_PAT']. Decides which credential connect must carry. */
  authOptions?: ('AUTH_PAT' | 'AUTH_OAUTH_M2M' | 'AUTH_OAUTH_U2M')[];
}

export interface PartnerSim {
  url: string;
  port: number;
  credentials: { username: string; password: string };
  /** The description requests and replies are checked against. */
  protocol: ProtocolDescription;
  /** A valid PartnerConfig whose base_url is the simulator; hostnames ['127.0.0.1', 'localhost']. */
  partnerConfig(overrides?: Partial<PartnerConfig>): PartnerConfig;
  /** Sets the scenario for every following request. */
  setScenario(s: SimScenario): void;
  /** Queues a scenario for the next API request only (queued ones are used first, in order). */
  queue(s: SimScenario): void;
  requests: SimRequest[];
  connections: Map<string, SimConnection>;
  accounts: Map<string, SimAccount>;
  /** Forgets requests (not state). */
  clearRequests(): void;
  close(): Promise<void>;
}

// ------------------------------------------------------------------ helpers
const SECRET_KEYS = new Set(['personal_access_token', 'service_principal_oauth_secret', 'oauth_token']);
export const REDACTED_MARKER = '<redacted>';
const MAX_BODY = 1024 * 1024;
const TEST_DOMAINS = ['databricks-test.com', 'databricks-demo.com'];

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function redactBody(value: unknown, at: string, hashes: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v, i) => redactBody(v, `${at}[${i}]`, hashes));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = at ? `${at}.${k}` : k;
      if (SECRET_KEYS.has(k) && v !== null && v !== undefined) {
        hashes[p] = sha256(typeof v === 'string' ? v : JSON.stringify(v));
        out[k] = REDACTED_MARKER;
      } else {
        out[k] = redactBody(v, p, hashes);
      }
    }
    return out;
  }
  return value;
}

function redactHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(', ') : v;
    if (k === 'authorization') {
      const basic = parseBasicAuth(value);
      out[k] = basic ? `Basic ${basic.username}:***` : `${value.split(' ')[0] ?? ''} ***`;
    } else if (k === 'cookie' || k === 'proxy-authorization') {
      out[k] = '***';
    } else {
      out[k] = value;
    }
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function domainOf(email: string): string {
  const i = email.lastIndexOf('@');
  return (i >= 0 ? email.slice(i + 1) : email).toLowerCase();
}

function isTestDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return TEST_DOMAINS.some((t) => d === t || d.endsWith(`.${t}`));
}

interface Reply {
  status: number;
  body: unknown;
}
const err = (status: number, error_reason: string, display_message?: string, debugging_message?: string): Reply => ({
  status,
  body: {
    error_reason,
    ...(display_message !== undefined ? { display_message } : {}),
    ...(debugging_message !== undefined ? { debugging_message } : {}),
  },
});

/** API paths of the simulator = the spec's paths. */
const API_PATHS = ['/connect', '/delete-connection', '/test-connection', '/connectors', '/delete-account', '/expire-account'];

const PAGE_PATHS: Record<string, string> = {
  '/signin': 'Signed in to the partner simulator',
  '/trial': 'Partner simulator trial created',
  '/purchase': 'Partner simulator trial expired: purchase the product',
  '/join': 'Ask your partner account administrator to invite you',
  '/signup': 'Sign up to the partner simulator',
  '/privacy': 'Partner simulator privacy policy',
  '/tos': 'Partner simulator terms of service',
};

const CONNECTORS = [
  { identifier: 'mysql', name: 'MySQL', type: 'source', description: 'MySQL source' },
  { identifier: 'postgres', name: 'PostgreSQL', type: 'source' },
  { identifier: 'salesforce', name: 'Salesforce', type: 'source' },
  { identifier: 'databricks', name: 'Databricks', type: 'target' },
];

// ------------------------------------------------------------------ simulator
export async function startPartnerSim(opts: PartnerSimOptions = {}): Promise<PartnerSim> {
  const protocol = opts.protocol ?? PARTNER_CONNECT_PROTOCOL;
  const validator = new ProtocolValidator(protocol, { rejectUnknownFields: opts.rejectUnknownFields ?? true });
  const credentials = opts.credentials ?? { username: 'databricks', password: randomBytes(12).toString('hex') };
  const newUserAction: NewUserAction = opts.newUserAction ?? 'auto_add';
  const authOptions = opts.authOptions ?? ['AUTH_PAT'];

  let current: Normalized = normalize(opts.scenario ?? 'default');
  let failuresLeft = current.kind === 'fail_then_succeed' ? current.failures : 0;
  const queued: Normalized[] = [];
  const requests: SimRequest[] = [];
  const connections = new Map<string, SimConnection>();
  const accounts = new Map<string, SimAccount>();
  let seq = 0;
  let url = '';

  function nextScenario(): Normalized {
    const q = queued.shift();
    if (q) return q;
    if (current.kind === 'fail_then_succeed') {
      if (failuresLeft > 0) {
        failuresLeft--;
        return { kind: 'server_error' };
      }
      return { kind: 'default' };
    }
    return current;
  }

  function redirect(kind: 'signin' | 'trial' | 'purchase' | 'join', connectionId: string | undefined, sc: Normalized): string {
    if (sc.kind === 'foreign_redirect') return FOREIGN_REDIRECT_URI;
    if (sc.kind === 'redirect') return sc.uri;
    const u = new URL(`/${kind}`, url);
    if (connectionId) u.searchParams.set('connection', connectionId);
    return u.href;
  }

  // ---------------------------------------------------------------- handlers
  type Body = Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const int64 = (v: unknown): Int64 => (typeof v === 'number' || typeof v === 'bigint' ? v : 0);
  const sameId = (a: unknown, b: unknown): boolean => (typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint') && String(a) === String(b);

  function connect(body: Body, hashes: Record<string, string>, sc: Normalized): Reply {
    const ui = (body.user_info ?? {}) as Body;
    const email = str(ui.email).toLowerCase();
    const domain = domainOf(email);
    const established = ui.is_connection_established === true;

    if (sc.kind === 'account_not_found') return err(404, 'account_not_found', 'No partner account was found for this user.', 'scenario account_not_found');
    if (sc.kind === 'connection_not_found') {
      return err(404, 'connection_not_found', 'This connection no longer exists in the partner. Delete it in Databricks and connect again.', 'scenario connection_not_found');
    }

    let existingConn: SimConnection | undefined;
    if (established) {
      existingConn = connections.get(str(body.connection_id));
      if (!existingConn || !sameId(existingConn.workspace_id, body.workspace_id)) {
        return err(
          404,
          'connection_not_found',
          'This connection no longer exists in the partner. Delete it in Databricks and connect again.',
          `unknown connection_id ${str(body.connection_id)}`,
        );
      }
    }

    // --- who is the user to the partner?
    let account = accounts.get(established && existingConn ? existingConn.account_domain : domain);
    let accountStatus: 'new' | 'active' | 'expired';
    let userStatus: 'new' | 'existing' | 'not_applicable';
    let redirectKind: 'signin' | 'trial' | 'purchase' | 'join';
    let redirectValue: 'create_trial' | 'purchase_product' | 'sign_in' | 'contact_admin';

    const forcedNewUserAction = sc.kind === 'new_user_action' ? sc.action : undefined;
    const forcedKnownAccount = forcedNewUserAction !== undefined || sc.kind === 'existing_user' || sc.kind === 'expired_trial';
    const freshAccount = !account || (body.demo === true && !established);
    if (sc.kind === 'new_user' || (freshAccount && !forcedKnownAccount)) {
      account = { domain, status: 'active', users: new Set([email]) };
      accounts.set(domain, account);
      accountStatus = 'new';
      userStatus = 'new';
      redirectKind = 'trial';
      redirectValue = 'create_trial';
    } else {
      if (!account) {
        account = { domain, status: 'active', users: new Set() };
        accounts.set(domain, account);
      }
      if (sc.kind === 'expired_trial') account.status = 'expired';
      accountStatus = account.status;
      const known =
        forcedNewUserAction === undefined && (sc.kind === 'existing_user' || sc.kind === 'expired_trial' || account.users.has(email));
      if (known) {
        account.users.add(email);
        userStatus = 'existing';
        redirectKind = 'signin';
        redirectValue = 'sign_in';
      } else {
        const action = forcedNewUserAction ?? newUserAction;
        if (action === 'not_found') return err(404, 'account_not_found', 'Ask your administrator to add you to the partner account.', 'new_user_action not_found');
        if (action === 'error') return err(500, 'general_error', 'The partner could not add you to its account.', 'new_user_action error');
        if (action === 'auto_add') {
          account.users.add(email);
          userStatus = 'new';
          redirectKind = 'signin';
          redirectValue = 'sign_in';
        } else {
          userStatus = 'not_applicable';
          redirectKind = 'join';
          redirectValue = 'contact_admin';
        }
      }
      if (account.status === 'expired' && redirectValue !== 'contact_admin') {
        redirectKind = 'purchase';
        redirectValue = 'purchase_product';
      }
    }

    if (established && existingConn) {
      return {
        status: 200,
        body: {
          redirect_uri: redirect(redirectKind, existingConn.connection_id, sc),
          redirect_value: redirectValue,
          connection_id: existingConn.connection_id,
          user_status: userStatus,
          account_status: accountStatus,
          configured_resources: false,
        },
      };
    }
    if (sc.kind === 'configured_resources_false') {
      return {
        status: 200,
        body: {
          redirect_uri: redirect(redirectKind, undefined, sc),
          redirect_value: redirectValue,
          user_status: userStatus,
          account_status: accountStatus,
          configured_resources: false,
        },
      };
    }
    const connection_id = randomUUID();
    const c: SimConnection = {
      connection_id,
      workspace_id: int64(body.workspace_id),
      databricks_organization_id: int64(ui.databricks_organization_id),
      cloud_provider: str(body.cloud_provider),
      workspace_url: str(body.workspace_url),
      email,
      account_domain: account.domain,
      created_seq: seq,
    };
    if (typeof body.service_principal_id === 'string') c.service_principal_id = body.service_principal_id;
    const pat = hashes['user_info.auth.personal_access_token'];
    if (pat) c.patSha256 = pat;
    const oauthSecret = hashes['service_principal_oauth_secret'];
    if (oauthSecret) c.oauthSecretSha256 = oauthSecret;
    if (typeof body.catalog_name === 'string') c.catalog_name = body.catalog_name;
    if (typeof body.cluster_id === 'string') c.cluster_id = body.cluster_id;
    if (typeof body.is_sql_warehouse === 'boolean') c.is_sql_warehouse = body.is_sql_warehouse;
    connections.set(connection_id, c);
    return {
      status: 201,
      body: {
        redirect_uri: redirect(redirectKind, connection_id, sc),
        redirect_value: redirectValue,
        connection_id,
        user_status: userStatus,
        account_status: accountStatus,
        configured_resources: true,
      },
    };
  }

  function deleteConnection(body: Body, sc: Normalized): Reply {
    const id = str(body.connection_id);
    const c = connections.get(id);
    if (sc.kind === 'connection_not_found' || !c || !sameId(c.databricks_organization_id, body.databricks_organization_id)) {
      return err(404, 'connection_not_found', 'The partner has no such connection.', `unknown connection_id ${id}`);
    }
    connections.delete(id);
    return { status: 200, body: { resource_status: 'resources_deleted' } };
  }

  function testConnection(body: Body, sc: Normalized): Reply {
    const id = str(body.connection_id);
    const c = connections.get(id);
    if (sc.kind === 'connection_not_found' || !c) return err(404, 'connection_not_found', 'The partner has no such connection.', `unknown connection_id ${id}`);
    return {
      status: 200,
      body: { test_results: [{ test_name: 'Connection Test', status: 'PASS', message: `Connected to workspace ${c.workspace_id}` }] },
    };
  }

  function deleteAccount(body: Body): Reply {
    const domain = str(body.domain).toLowerCase();
    if (!isTestDomain(domain)) return err(400, 'bad_request', 'Only Databricks test domains can be deleted.');
    accounts.delete(domain);
    for (const [id, c] of connections) if (c.account_domain === domain) connections.delete(id);
    return { status: 200, body: undefined };
  }

  function expireAccount(body: Body): Reply {
    const domain = domainOf(str(body.email));
    if (!isTestDomain(domain)) return err(400, 'bad_request', 'Only Databricks test domains can be expired.');
    const a = accounts.get(domain);
    if (!a) return err(404, 'account_not_found', 'No such account.');
    a.status = 'expired';
    return { status: 200, body: undefined };
  }

  // ---------------------------------------------------------------- protocol rules (prose of the spec)
  function connectRules(body: Body): string[] {
    const errors: string[] = [];
    const ui = body.user_info;
    if (!ui || typeof ui !== 'object') return errors;
    const u = ui as Body;
    const established = u.is_connection_established;
    const secret = body.service_principal_oauth_secret;
    if (established === true) {
      if (body.connection_id === undefined) errors.push('rule: connection_id is required when is_connection_established is true');
      if (u.auth !== undefined) errors.push('rule: user_info.auth must be absent when is_connection_established is true');
      if (secret !== undefined) errors.push('rule: service_principal_oauth_secret must be absent when is_connection_established is true');
    } else if (established === false) {
      if (body.connection_id !== undefined) errors.push('rule: connection_id is only set when is_connection_established is true');
      if (u.auth === undefined) errors.push('rule: user_info.auth is required when is_connection_established is false');
    }
    // auth_options (partner-connect-api OnboardingDoc): AUTH_PAT → user_info.auth.personal_access_token;
    // AUTH_OAUTH_M2M → service_principal_oauth_secret beside service_principal_id, personal_access_token null.
    // The two are mutually exclusive.
    const pat = u.auth && typeof u.auth === 'object' ? (u.auth as Body).personal_access_token : undefined;
    if (established === false) {
      if (authOptions.includes('AUTH_OAUTH_M2M')) {
        if (typeof secret !== 'string' || secret === '') errors.push('rule: service_principal_oauth_secret is required (auth_options contain AUTH_OAUTH_M2M)');
        if (typeof body.service_principal_id !== 'string') errors.push('rule: service_principal_id is required with service_principal_oauth_secret');
        if (pat !== null && !authOptions.includes('AUTH_PAT')) errors.push('rule: user_info.auth.personal_access_token must be null (auth_options do not contain AUTH_PAT)');
        if (typeof pat === 'string' && secret !== undefined) errors.push('rule: personal_access_token (AUTH_PAT) and service_principal_oauth_secret (AUTH_OAUTH_M2M) are mutually exclusive');
      } else {
        if (typeof pat !== 'string' || pat === '') errors.push('rule: user_info.auth.personal_access_token is required (AUTH_PAT)');
        if (secret !== undefined) errors.push('rule: service_principal_oauth_secret is set only when auth_options contain AUTH_OAUTH_M2M');
      }
    }
    const isInt = (v: unknown): boolean => typeof v === 'number' || typeof v === 'bigint';
    if (isInt(body.workspace_id) && isInt(u.databricks_organization_id) && String(body.workspace_id) !== String(u.databricks_organization_id)) {
      errors.push('rule: workspace_id must equal user_info.databricks_organization_id');
    }
    if ((body.is_sql_endpoint === undefined) !== (body.is_sql_warehouse === undefined) || body.is_sql_endpoint !== body.is_sql_warehouse) {
      errors.push('rule: is_sql_endpoint and is_sql_warehouse must be sent together with the same value');
    }
    if (body.http_path !== undefined && body.is_sql_endpoint !== true) errors.push('rule: http_path is only present when is_sql_endpoint is true');
    if (body.cluster_id !== undefined && body.is_sql_warehouse === undefined) errors.push('rule: cluster_id needs is_sql_warehouse');
    return errors;
  }

  // ---------------------------------------------------------------- HTTP
  function send(res: http.ServerResponse, r: Reply): void {
    if (r.body === undefined) {
      res.writeHead(r.status, { 'content-length': '0' });
      res.end();
      return;
    }
    const text = JSON.stringify(r.body);
    res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function readBody(req: http.IncomingMessage): Promise<Buffer | 'too_large'> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      size += b.length;
      if (size > MAX_BODY) return 'too_large';
      chunks.push(b);
    }
    return Buffer.concat(chunks);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = u.pathname.replace(/\/+$/, '') || '/';

    const page = PAGE_PATHS[pathname];
    if (page !== undefined && method === 'GET') {
      const html = `<!doctype html><title>Partner simulator</title><h1>${page}</h1>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }

    const raw = await readBody(req);
    seq++;
    const record: SimRequest = {
      seq,
      method,
      path: req.url ?? '/',
      headers: redactHeaders(req.headers),
      body: undefined,
      secretSha256: {},
      valid: true,
      errors: [],
      replyErrors: [],
      status: 0,
      scenario: '',
    };
    /** The operation the reply is checked against, once the request reached one. */
    let operation: { path: string; method: string } | undefined;
    const finish = (reply: Reply, scenario: string) => {
      let r = reply;
      if (operation && scenario !== 'malformed_response') {
        record.replyErrors = validator.validateResponse(operation.path, operation.method, r.status, r.body);
        if (record.replyErrors.length > 0) r = err(500, 'general_error', undefined, `partner simulator bug: its reply broke the protocol: ${record.replyErrors.join('; ')}`);
      }
      record.status = r.status;
      record.scenario = scenario;
      requests.push(record);
      send(res, r);
      try {
        opts.onRequest?.(record);
      } catch {
        // observer failures are not the client's problem
      }
    };

    if (!API_PATHS.includes(pathname)) {
      record.valid = false;
      record.errors.push(`${method} ${pathname}: not a Partner Connect API path`);
      finish(err(404, 'bad_request', undefined, 'no such endpoint'), 'none');
      return;
    }

    // Parse + redact the body (never keep raw bytes: they may hold a token).
    const bodyPresent = raw !== 'too_large' && raw.length > 0;
    let body: unknown;
    if (raw === 'too_large') {
      record.errors.push('body: larger than 1 MiB');
    } else if (bodyPresent) {
      try {
        // int64 fields (workspace_id, databricks_organization_id, ...) beyond 2^53 become bigints: JSON.parse would round them
        body = parseLossless(raw.toString('utf8'), null, (text) => (/^-?\d+$/.test(text) && !isSafeNumber(text) ? BigInt(text) : Number(text)));
      } catch {
        body = undefined;
      }
    }
    if (body !== undefined) {
      record.body = redactBody(body, '', record.secretSha256);
      const pat = record.secretSha256['user_info.auth.personal_access_token'];
      if (pat) record.patSha256 = pat;
    }

    // DELETE /delete-connection: the prose says DELETE, the published file defines POST; validate both with the POST operation.
    const specMethod = pathname === '/delete-connection' && method === 'DELETE' ? 'POST' : method;
    const allowed = validator.methods(pathname);
    if (!allowed.includes(specMethod)) {
      record.valid = false;
      record.errors.push(`${method} ${pathname}: method not allowed (spec: ${allowed.join(', ')})`);
      res.setHeader('allow', pathname === '/delete-connection' ? 'POST, DELETE' : allowed.join(', '));
      finish(err(405, 'bad_request', undefined, record.errors.join('; ')), 'none');
      return;
    }
    operation = { path: pathname, method: specMethod };
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    record.errors.push(...validator.validateRequest(pathname, specMethod, { headers, query: u.searchParams, body, bodyPresent: raw === 'too_large' || bodyPresent }));
    if (pathname === '/connect' && body && typeof body === 'object') record.errors.push(...connectRules(body as Body));
    if (record.errors.length > 0) {
      record.valid = false;
      finish(err(400, 'bad_request', 'The request does not follow the Partner Connect API.', record.errors.join('; ')), 'none');
      return;
    }

    const sc = nextScenario();
    const label = scenarioLabel(sc);

    const basic = parseBasicAuth(headers.authorization ?? '');
    if (!basic || !safeEqual(basic.username, credentials.username) || !safeEqual(basic.password, credentials.password)) {
      finish(err(401, 'unauthorized', 'The partner did not accept the Databricks credentials.', 'bad basic-auth credentials'), label);
      return;
    }
    if (sc.kind === 'unauthorized') {
      finish(err(401, 'unauthorized', 'Sign in to the partner again.', 'scenario unauthorized'), label);
      return;
    }
    if (sc.kind === 'server_error' || sc.kind === 'fail_then_succeed') {
      finish(err(500, 'general_error', 'The partner had a temporary problem.', 'scenario server_error'), label);
      return;
    }
    if (sc.kind === 'malformed_response') {
      finish({ status: 200, body: { unexpected: true } }, label);
      return;
    }

    const b = (body ?? {}) as Body;
    let reply: Reply;
    switch (pathname) {
      case '/connect':
        reply = connect(b, record.secretSha256, sc);
        break;
      case '/delete-connection':
        reply = deleteConnection(b, sc);
        break;
      case '/test-connection':
        reply = testConnection(b, sc);
        break;
      case '/connectors':
        reply = { status: 200, body: { connectors: CONNECTORS } };
        break;
      case '/delete-account':
        reply = deleteAccount(b);
        break;
      case '/expire-account':
        reply = expireAccount(b);
        break;
      default:
        reply = err(404, 'bad_request');
    }
    finish(reply, label);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, err(500, 'general_error', undefined, 'simulator failure'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    credentials,
    protocol,
    partnerConfig(overrides = {}) {
      return PartnerConfig.parse({
        api_version: protocol.version,
        name: 'Partner Simulator',
        description_blurb: 'A local simulator of a Partner Connect partner, for tests.',
        category: 'INGEST',
        base_url: url,
        endpoints: {
          connect_path: '/connect',
          delete_connection_path: '/delete-connection',
          test_connection_path: '/test-connection',
          get_connectors_path: '/connectors',
          delete_account_path: '/delete-account',
          expire_account_path: '/expire-account',
        },
        sign_up_page: `${url}/signup`,
        privacy_policy: `${url}/privacy`,
        terms_of_service: `${url}/tos`,
        logo_file: 'logo.png',
        icon_file: 'icon.png',
        allow_editable_email: false,
        resources_to_provision: [{ resource_type: 'PAT' }, { resource_type: 'SqlEndpoint' }],
        data_permissions: [{ permission: 'USE_CATALOG' }, { permission: 'USE_SCHEMA' }, { permission: 'CREATE_SCHEMA' }, { permission: 'CREATE_TABLE' }],
        object_permissions: [{ name: 'SQL_Endpoint', level: 'CAN_USE' }, { name: 'Token', level: 'CAN_USE' }],
        supported_clouds: ['aws', 'azure', 'gcp'],
        hostnames: ['127.0.0.1', 'localhost'],
        new_user_action: newUserAction,
        trial_type: 'account',
        supports_demo: true,
        auth_options: authOptions,
        ...overrides,
      });
    },
    setScenario(s) {
      current = normalize(s);
      failuresLeft = current.kind === 'fail_then_succeed' ? current.failures : 0;
    },
    queue(s) {
      const n = normalize(s);
      if (n.kind === 'fail_then_succeed') {
        for (let i = 0; i < n.failures; i++) queued.push({ kind: 'server_error' });
      } else {
        queued.push(n);
      }
    },
    requests,
    connections,
    accounts,
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
