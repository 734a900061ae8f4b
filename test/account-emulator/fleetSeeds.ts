/**
 * The workspaces of the emulated accounts, made from the workspace emulator's seeds:
 * `demo-partners.json` (Unity Catalog, partners in every state) and `hive-only.json` (no
 * metastore), varied per workspace — partners dropped, read-profile partners added (connected,
 * connected outside, check mark only; Unity Catalog or legacy Hive grants), tokens that expire
 * soon — and given their own principal ids, so that the account's principals differ per workspace
 * as workspace-created principals do.
 *
 * - `demoFleet()`: the account of `npm run demo -- --fleet` and of the fleet tests: 13 workspaces,
 *   12 of them running; UC and Hive-only ones, one Azure-like (on-behalf-of tokens refused), one
 *   where the account's principal is not a workspace admin, one where it is not assigned, one
 *   behind a failing gateway, one still provisioning.
 * - `generatedFleet(n)`: n healthy workspaces (the bench), cycling through six templates.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_RECORD_FOLDER } from '../../src/domain';
import { Seed, seedPath } from '../emulator';
import type { AccountWorkspaceSpec } from './index';

type SeedObject = Seed & { servicePrincipals: NonNullable<Seed['servicePrincipals']>; tokens: NonNullable<Seed['tokens']> };

/** where the engine keeps connection records (an admin-only folder at the workspace root) */
const RECORD_FOLDER = DEFAULT_RECORD_FOLDER;
const DAY = 86_400_000;

function load(name: string): Seed {
  return JSON.parse(readFileSync(seedPath(name), 'utf8')) as Seed;
}

/** `DATAIKU_USER` for `dataiku`, `QLIK_SENSE_USER` for `qlik-sense` (the seed's naming). */
export function principalName(partnerId: string): string {
  return `${partnerId.replace(/-/g, '_').toUpperCase()}_USER`;
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
function digitsFrom(text: string): string {
  const h = createHash('sha256').update(text).digest();
  return String(4_100_000_000_000_000n + (h.readBigUInt64BE(0) % 800_000_000_000_000n));
}
function hexFrom(text: string, bytes: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, bytes * 2);
}

/**
 * New applicationIds and SCIM ids for the seed's service principals, derived from `salt`: every
 * occurrence (records, ACLs, grants) follows.
 */
function rekey(seed: Seed, salt: string): Seed {
  let text = JSON.stringify(seed);
  // the partner's connection ids too: each workspace has its own connection at the partner
  const connections = Array.isArray(seed.extras?.partnerConnections) ? (seed.extras.partnerConnections as Array<{ connection_id?: string }>) : [];
  for (const c of connections) if (c.connection_id) text = text.split(c.connection_id).join(`${c.connection_id}-${hexFrom(salt, 3)}`);
  for (const sp of seed.servicePrincipals ?? []) {
    if (sp.applicationId) text = text.split(sp.applicationId).join(uuidFrom(`${salt}/${sp.applicationId}`));
    // (bare digits: inside the record files the ids are quoted again)
    if (sp.id) text = text.split(sp.id).join(digitsFrom(`${salt}/${sp.id}`));
  }
  return JSON.parse(text) as Seed;
}

/** Removes every trace of these partners: principal, tokens, ACL entries, grants, warehouse made for it, record. */
export function dropPartners(seed: Seed, partnerIds: readonly string[]): Seed {
  const names = new Set(partnerIds.map(principalName));
  const s = structuredClone(seed);
  const appIds = new Set((s.servicePrincipals ?? []).filter((p) => names.has(p.displayName ?? '')).map((p) => p.applicationId));
  const isGone = (ref: string | undefined): boolean => ref !== undefined && (names.has(ref) || appIds.has(ref));
  s.servicePrincipals = (s.servicePrincipals ?? []).filter((p) => !names.has(p.displayName ?? ''));
  s.tokens = (s.tokens ?? []).filter((t) => !isGone(t.owner));
  s.tokenAcl = (s.tokenAcl ?? []).filter((a) => !isGone(a.service_principal_name));
  const endpoints = new Set(partnerIds.map((id) => `${id.replace(/-/g, '_').toUpperCase()}_ENDPOINT`));
  s.warehouses = (s.warehouses ?? []).filter((w) => !endpoints.has(w.name)).map((w) => ({ ...w, acl: (w.acl ?? []).filter((a) => !isGone(a.service_principal_name)) }));
  const dropGrants = <T extends { grants?: Record<string, string[]> }>(o: T): T => (o.grants ? { ...o, grants: Object.fromEntries(Object.entries(o.grants).filter(([k]) => !isGone(k))) } : o);
  s.catalogs = (s.catalogs ?? []).map(dropGrants);
  s.schemas = (s.schemas ?? []).map(dropGrants);
  if (s.hive?.grants) s.hive.grants = Object.fromEntries(Object.entries(s.hive.grants).map(([k, g]) => [k, Object.fromEntries(Object.entries(g).filter(([p]) => !isGone(p)))]));
  s.workspaceFiles = Object.fromEntries(Object.entries(s.workspaceFiles ?? {}).filter(([p]) => !partnerIds.some((id) => p === `${RECORD_FOLDER}/${id}.json`)));
  if (Array.isArray(s.extras?.partnerConnections)) {
    s.extras = { ...s.extras, partnerConnections: (s.extras.partnerConnections as Array<{ partner?: string }>).filter((c) => !partnerIds.includes(c.partner ?? '')) };
  }
  return s;
}

export interface ReadPartnerSpec {
  partnerId: string;
  partnerName: string;
  state: 'connected' | 'connected-outside' | 'check-mark-only';
  /** a UC catalog, or 'hive_metastore' for legacy Hive grants */
  catalog: string;
  schema: string;
  warehouse: { id: string; name: string };
  /** days until the partner's token expires (default: never) */
  tokenExpiresInDays?: number;
  connectedAt?: string;
}

/**
 * Adds a read-profile partner (Census, Hex, Sigma, …) as the engine would have connected it:
 * `databricks-sql-access`, CAN_USE on tokens and the warehouse, USE CATALOG + USE SCHEMA/SELECT (UC)
 * or USAGE/READ_METADATA/SELECT on the schema (Hive), a token, and the record. `connected-outside`
 * leaves out the record; `check-mark-only` keeps only the record.
 */
export function addReadPartner(seed: Seed, p: ReadPartnerSpec, salt: string, now = Date.now()): Seed {
  const s = structuredClone(seed) as SeedObject;
  s.servicePrincipals ??= [];
  s.tokens ??= [];
  const name = principalName(p.partnerId);
  const applicationId = uuidFrom(`${salt}/${name}`);
  const id = digitsFrom(`${salt}/${name}`);
  const tokenId = hexFrom(`${salt}/${name}/token`, 32);
  const hive = p.catalog === 'hive_metastore';
  const admin = (s.users ?? []).find((u) => (u.groups ?? []).includes('admins'))?.userName ?? 'admin';
  if (p.state !== 'check-mark-only') {
    s.servicePrincipals.push({ id, applicationId, displayName: name, entitlements: ['databricks-sql-access'] });
    s.tokens.push({
      token_id: tokenId,
      owner: name,
      createdBy: admin,
      comment: `Partner Connect: ${p.partnerName}`,
      creation_time: now - 120 * DAY,
      expiry_time: p.tokenExpiresInDays === undefined ? -1 : now + p.tokenExpiresInDays * DAY,
    });
    s.tokenAcl = [...(s.tokenAcl ?? []), { service_principal_name: name, permission_level: 'CAN_USE' }];
    s.warehouses = (s.warehouses ?? []).map((w) => (w.id === p.warehouse.id ? { ...w, acl: [...(w.acl ?? []), { service_principal_name: name, permission_level: 'CAN_USE' as const }] } : w));
    if (hive) {
      const key = `SCHEMA ${p.schema}`;
      s.hive = { ...(s.hive ?? {}), grants: { ...(s.hive?.grants ?? {}), [key]: { ...(s.hive?.grants?.[key] ?? {}), [name]: ['USAGE', 'READ_METADATA', 'SELECT'] } } };
    } else {
      s.catalogs = (s.catalogs ?? []).map((c) => (c.name === p.catalog ? { ...c, grants: { ...(c.grants ?? {}), [name]: ['USE_CATALOG'] } } : c));
      s.schemas = (s.schemas ?? []).map((x) => (x.catalog === p.catalog && x.name === p.schema ? { ...x, grants: { ...(x.grants ?? {}), [name]: ['USE_SCHEMA', 'SELECT'] } } : x));
    }
  }
  if (p.state !== 'connected-outside') {
    const record = {
      schemaVersion: 1,
      partner: p.partnerId,
      partnerName: p.partnerName,
      state: 'connected',
      attemptId: `fleet-seed-${salt}-${p.partnerId}`,
      servicePrincipal: { id, applicationId, displayName: name },
      tokenId,
      compute: { kind: 'warehouse', id: p.warehouse.id, name: p.warehouse.name, createdForPartner: false },
      catalog: p.catalog,
      schemas: [p.schema],
      isHive: hive,
      connectionId: null,
      connectedBy: admin,
      partnerAccountAdministrator: null,
      connectedAt: p.connectedAt ?? new Date(now - 120 * DAY).toISOString(),
      extensionVersion: '0.1.0',
    };
    s.workspaceFiles = { ...(s.workspaceFiles ?? {}), [`${RECORD_FOLDER}/`]: '', [`${RECORD_FOLDER}/${p.partnerId}.json`]: `${JSON.stringify(record, null, 2)}\n` };
  }
  return s;
}

/** The token of a partner's principal expires in `days` (it is a connected partner's credential). */
export function expireToken(seed: Seed, partnerId: string, days: number, now = Date.now()): Seed {
  const s = structuredClone(seed);
  const name = principalName(partnerId);
  s.tokens = (s.tokens ?? []).map((t) => (t.owner === name ? { ...t, expiry_time: now + days * DAY } : t));
  return s;
}

const UC_WAREHOUSE = { id: 'f562046bc1272886', name: 'Starter Warehouse' };
const HIVE_WAREHOUSE = { id: '1a2b3c4d5e6f7a8b', name: 'Legacy Warehouse' };

function uc(): Seed {
  return load('demo-partners.json');
}
function hiveOnly(): Seed {
  return load('hive-only.json');
}
function named(seed: Seed, id: string, name: string): Seed {
  return { ...seed, workspace: { id, name } };
}

interface Template {
  label: string;
  build(salt: string, now: number): Seed;
}

/** Six workspace shapes (UC and Hive-only), partners in every state between them. */
const TEMPLATES: Template[] = [
  { label: 'uc-full', build: (salt) => rekey(uc(), salt) },
  {
    label: 'uc-staging',
    build: (salt, now) =>
      expireToken(
        addReadPartner(rekey(dropPartners(uc(), ['rudderstack', 'anomalo']), salt), { partnerId: 'hex', partnerName: 'Hex', state: 'connected', catalog: 'analytics', schema: 'marketing', warehouse: UC_WAREHOUSE }, salt, now),
        'qlik-sense',
        5,
        now,
      ),
  },
  {
    label: 'uc-small',
    build: (salt, now) =>
      addReadPartner(
        rekey(dropPartners(uc(), ['dataiku', 'monte-carlo', 'labelbox', 'rudderstack', 'anomalo']), salt),
        { partnerId: 'census', partnerName: 'Census', state: 'connected-outside', catalog: 'analytics', schema: 'marketing', warehouse: UC_WAREHOUSE },
        salt,
        now,
      ),
  },
  {
    label: 'uc-analytics',
    build: (salt, now) =>
      addReadPartner(
        rekey(dropPartners(uc(), ['labelbox']), salt),
        { partnerId: 'sigma', partnerName: 'Sigma', state: 'connected', catalog: 'analytics', schema: 'marketing', warehouse: UC_WAREHOUSE, tokenExpiresInDays: 20 },
        salt,
        now,
      ),
  },
  {
    label: 'hive-etl',
    build: (salt, now) => {
      let s = rekey(hiveOnly(), salt);
      s = addReadPartner(s, { partnerId: 'census', partnerName: 'Census', state: 'connected', catalog: 'hive_metastore', schema: 'marketing', warehouse: HIVE_WAREHOUSE }, salt, now);
      s = addReadPartner(s, { partnerId: 'hex', partnerName: 'Hex', state: 'connected-outside', catalog: 'hive_metastore', schema: 'marketing', warehouse: HIVE_WAREHOUSE }, salt, now);
      s = addReadPartner(s, { partnerId: 'stardog', partnerName: 'Stardog', state: 'check-mark-only', catalog: 'hive_metastore', schema: 'finance', warehouse: HIVE_WAREHOUSE }, salt, now);
      return s;
    },
  },
  {
    label: 'hive-reporting',
    build: (salt, now) =>
      addReadPartner(
        rekey(hiveOnly(), salt),
        { partnerId: 'sigma', partnerName: 'Sigma', state: 'connected', catalog: 'hive_metastore', schema: 'marketing', warehouse: HIVE_WAREHOUSE, tokenExpiresInDays: 3 },
        salt,
        now,
      ),
  },
];

function workspaceId(i: number): string {
  return String(3_000_000_000_000_000 + (i + 1) * 1_000_003);
}

/** The demo account: 13 workspaces (12 running) with partners in every state. */
export function demoFleet(now = Date.now()): AccountWorkspaceSpec[] {
  const t = (label: string): Template => TEMPLATES.find((x) => x.label === label)!;
  const ws = (i: number, workspaceName: string, template: string, more: Partial<AccountWorkspaceSpec> = {}): AccountWorkspaceSpec => {
    const id = workspaceId(i);
    return { workspaceId: id, workspaceName, deploymentName: workspaceName, seed: named(t(template).build(workspaceName, now), id, workspaceName), ...more };
  };
  const azureId = '7405605787420549';
  const azure = named(t('uc-small').build('azure-sandbox', now), azureId, 'azure-sandbox');
  azure.options = { ...(azure.options ?? {}), oboTokensEnabled: false };
  if (azure.metastore) azure.metastore = { ...azure.metastore, cloud: 'azure', region: 'westeurope' };
  return [
    ws(0, 'acme-prod', 'uc-full'),
    ws(1, 'acme-staging', 'uc-staging'),
    ws(2, 'acme-dev', 'uc-small'),
    ws(3, 'analytics-eu', 'uc-analytics', { region: 'eu-west-1' }),
    ws(4, 'analytics-us', 'uc-staging', { region: 'us-east-1' }),
    ws(5, 'ml-research', 'uc-full'),
    ws(6, 'legacy-etl', 'hive-etl'),
    ws(7, 'legacy-reporting', 'hive-reporting'),
    {
      workspaceId: azureId,
      workspaceName: 'azure-sandbox',
      deploymentName: `adb-${azureId}.9`,
      seed: azure,
      region: 'westeurope',
      azure: { subscriptionId: '00000000-1111-4222-8333-444444444444', resourceGroup: 'rg-sandbox' },
    },
    ws(9, 'finance-restricted', 'uc-analytics', { adminAccess: 'user' }),
    ws(10, 'partner-lab', 'uc-small', { adminAccess: 'none' }),
    ws(11, 'gateway-broken', 'uc-small', { failure: 'gateway-html' }),
    ws(12, 'new-workspace', 'uc-small', { status: 'PROVISIONING', statusMessage: 'Workspace resources are being set up.' }),
  ];
}

/** n healthy, running workspaces (the bench's fleet), cycling through the templates. */
export function generatedFleet(n: number, now = Date.now()): AccountWorkspaceSpec[] {
  return Array.from({ length: n }, (_, i) => {
    const tpl = TEMPLATES[i % TEMPLATES.length];
    const name = `ws-${String(i + 1).padStart(3, '0')}-${tpl.label}`;
    const id = workspaceId(100 + i);
    return { workspaceId: id, workspaceName: name, deploymentName: name, seed: named(tpl.build(name, now), id, name) };
  });
}
