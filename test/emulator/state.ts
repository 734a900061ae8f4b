/**
 * In-memory state of the emulated workspace. Tests may read and write it directly for setup and
 * assertions; prefer the helper methods (addServicePrincipal, issueToken, ...) which keep ids and
 * indexes consistent.
 */
import type { AuditEvent } from './audit';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { loadSeed, type ParsedSeed, type Seed, type SeedAclEntry, type SeedOptions } from './seed';
import { ServicePrincipalMap } from './principal-index';

/** How long before the emulator started a seeded workspace file was written (its created_at and modified_at). */
export const SEEDED_FILE_AGE_MS = 3_600_000;

export type PermissionLevel = 'CAN_VIEW' | 'CAN_MONITOR' | 'CAN_USE' | 'CAN_MANAGE' | 'IS_OWNER';
export const LEVEL_RANK: Record<PermissionLevel, number> = { CAN_VIEW: 1, CAN_MONITOR: 2, CAN_USE: 3, CAN_MANAGE: 4, IS_OWNER: 5 };

/** Groups every principal implicitly belongs to. */
export const IMPLICIT_GROUPS = ['users', 'account users'] as const;

export interface UserRec {
  kind: 'user';
  id: string;
  userName: string;
  displayName: string;
  givenName?: string;
  familyName?: string;
  active: boolean;
  /** group display names */
  groups: Set<string>;
  entitlements: Set<string>;
}
export interface SpRec {
  kind: 'sp';
  id: string;
  applicationId: string;
  displayName: string;
  active: boolean;
  entitlements: Set<string>;
  groups: Set<string>;
  externalId?: string;
  oauthSecret?: string;
  /** workspace-level OAuth secrets (POST .../servicePrincipals/{id}/credentials/secrets), by secret id */
  secrets: Map<string, SecretRec>;
}
/** An OAuth secret of a service principal; only its hash is kept. */
export interface SecretRec {
  id: string;
  valueHash: string;
  create_time: number;
  expire_time: number;
  status: 'ACTIVE';
}
export type PrincipalRec = UserRec | SpRec;
export interface GroupRec {
  id: string;
  displayName: string;
  entitlements: Set<string>;
}
export interface TokenRec {
  token_id: string;
  /** sha256 hex of the token value; the value itself is never stored here. */
  valueHash: string;
  ownerKind: 'user' | 'sp';
  ownerId: string;
  comment: string;
  creation_time: number;
  /** -1 = never expires (only seeded tokens: a new token always expires, at most 730 days on) */
  expiry_time: number;
  created_by_id: string;
  created_by_username: string;
  /** epoch ms of the (UTC) day the token was last used; undefined = never used */
  last_used_day?: number;
}
export interface AclEntry {
  kind: 'user' | 'group' | 'sp';
  /** userName, group displayName, or SP applicationId */
  name: string;
  level: PermissionLevel;
}
export interface WarehouseRec {
  id: string;
  name: string;
  state: string;
  cluster_size: string;
  min_num_clusters: number;
  max_num_clusters: number;
  auto_stop_mins: number;
  warehouse_type: 'PRO' | 'CLASSIC';
  enable_serverless_compute: boolean;
  creator_name: string;
  creator_id: string;
  tags: { key: string; value: string }[];
  acl: AclEntry[];
  /** GETs left answering STARTING before RUNNING */
  startingPollsLeft: number;
}
export interface ClusterRec {
  cluster_id: string;
  cluster_name: string;
  state: string;
  creator_user_name: string;
}
export interface CatalogRec {
  name: string;
  owner: string;
  catalog_type: string;
  comment?: string;
  created_at: number;
  created_by: string;
}
export interface SchemaRec {
  catalog: string;
  name: string;
  owner: string;
  comment?: string;
  created_at: number;
}
export interface MetastoreRec {
  id: string;
  name: string;
  owner: string;
  region: string;
  cloud: string;
}
/** principal name → privileges */
export type GrantMap = Map<string, Set<string>>;
export interface HiveSchemaRec {
  name: string;
  owner: string;
}
export interface FileRec {
  path: string;
  type: 'DIRECTORY' | 'FILE' | 'NOTEBOOK';
  content: Buffer;
  language?: string;
  object_id: number;
  created_at: number;
  modified_at: number;
}
export interface StatementRec {
  statement_id: string;
  warehouse_id: string;
  statement: string;
  submitter: string;
  pollsLeft: number;
  final:
    | { state: 'SUCCEEDED'; columns: string[]; rows: (string | null)[][] }
    | { state: 'FAILED'; error_code: string; message: string }
    | { state: 'CANCELED' };
}
export interface OAuthTokenRec {
  spId: string;
  expiresAt: number;
}
export interface Caller {
  kind: 'user' | 'sp';
  id: string;
  /** userName or applicationId — the name used in ACLs and grants */
  name: string;
  displayName: string;
  /** group names incl. the implicit `users` / `account users` */
  groups: Set<string>;
  isAdmin: boolean;
  entitlements: Set<string>;
}

export const DAY_MS = 86_400_000;
/** Tokens unused this long are revoked automatically (Databricks docs "Monitor and manage personal access tokens"). */
export const UNUSED_TOKEN_REVOCATION_DAYS = 90;
/** Since Dec 2024 no new token may be "never"; 730 days is the longest lifetime (also of OAuth secrets). */
export const MAX_LIFETIME_DAYS = 730;

export const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');
export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
export const ucKey = (type: 'catalog' | 'schema', fullName: string): string => `${type}:${fullName.toLowerCase()}`;
export const hiveKey = (type: 'CATALOG' | 'SCHEMA', name?: string): string => (type === 'CATALOG' ? 'CATALOG' : `SCHEMA ${(name ?? '').toLowerCase()}`);

export class EmulatorState {
  workspaceId = '';
  workspaceName = '';
  users = new Map<string, UserRec>();
  groups = new Map<string, GroupRec>();
  /** id → SP; insertion order is the SCIM listing order; indexed by displayName (principal-index.ts). */
  servicePrincipals = new ServicePrincipalMap();
  tokens = new Map<string, TokenRec>();
  tokenAcl: AclEntry[] = [];
  warehouses = new Map<string, WarehouseRec>();
  clusters = new Map<string, ClusterRec>();
  metastore: MetastoreRec | null = null;
  defaultCatalog = 'hive_metastore';
  defaultNamespaceSetting: string | null = null;
  /** lower-cased name → catalog */
  catalogs = new Map<string, CatalogRec>();
  /** lower-cased full name → schema */
  schemas = new Map<string, SchemaRec>();
  /** ucKey(type, fullName) → grants */
  ucGrants = new Map<string, GrantMap>();
  hiveCatalogOwner = 'admins';
  /** lower-cased name → hive database */
  hiveSchemas = new Map<string, HiveSchemaRec>();
  /** hiveKey(...) → grants */
  hiveGrants = new Map<string, GrantMap>();
  files = new Map<string, FileRec>();
  statements = new Map<string, StatementRec>();
  /** what the audit log recorded (system.access.audit), oldest first */
  auditEvents: AuditEvent[] = [];
  oauthTokens = new Map<string, OAuthTokenRec>();
  options!: SeedOptions;
  /** The seed's free-form `extras` (for other test doubles / tests). */
  extras: Record<string, unknown> = {};
  /** Plain values of seeded tokens, by owner name (userName / applicationId). */
  readonly seededTokenValues = new Map<string, string>();
  /**
   * Every credential value this emulator ever handed out or was seeded with (PATs, OAuth secrets,
   * OAuth access tokens), kept across `load`/`reset`: the secret scan (test/harness/secretScan.ts)
   * searches what a run wrote for each of them. Test-side only; the extension never sees it.
   */
  readonly issuedCredentials = new Set<string>();

  /** Added to Date.now() by `now()`: tests advance time with `advanceClock` (token expiry, last use, auto-revocation). */
  clockOffsetMs = 0;

  private tokenByHash = new Map<string, string>();
  private idCounter = 0;
  private objectIdCounter = 0;

  constructor(seed?: Seed | string) {
    if (seed !== undefined) this.load(seed);
  }

  // ------------------------------------------------------------------ clock
  /** The emulated time (epoch ms). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }
  /** Moves the emulated time forward; tokens unused for 90 days are revoked at once. */
  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
    this.revokeUnusedTokens();
  }
  /** Deletes every token whose last use (or creation, when never used) is 90+ days ago. Returns their ids. */
  revokeUnusedTokens(): string[] {
    const limit = this.now() - UNUSED_TOKEN_REVOCATION_DAYS * DAY_MS;
    const revoked: string[] = [];
    for (const t of [...this.tokens.values()]) {
      if ((t.last_used_day ?? t.creation_time) < limit) {
        this.deleteToken(t.token_id);
        revoked.push(t.token_id);
      }
    }
    return revoked;
  }
  /** The longest lifetime a new token may have: the admin's maxTokenLifetimeDays, else 730 days. */
  maxTokenLifetimeDays(): number {
    return this.options.maxTokenLifetimeDays ?? MAX_LIFETIME_DAYS;
  }

  // ------------------------------------------------------------------ ids
  /**
   * A fresh SCIM-style id: 16 digits ABOVE 2^53, as real int64 ids can be, so a client that parses
   * the token list's `owner_id` / `created_by_id` with plain JSON.parse loses digits and fails.
   */
  nextId(): string {
    for (;;) {
      this.idCounter += 1;
      const id = String(9_007_199_254_740_993n + BigInt(this.idCounter * 7918));
      if (!this.users.has(id) && !this.groups.has(id) && !this.servicePrincipals.has(id)) return id;
    }
  }
  nextObjectId(): number {
    this.objectIdCounter += 1;
    return 1_000_000_000_000 + this.objectIdCounter;
  }

  // ------------------------------------------------------------------ load
  /** Replaces the whole state with the seed's (in place: the object identity stays). */
  load(seedIn: Seed | string): void {
    const seed: ParsedSeed = loadSeed(seedIn);
    this.workspaceId = seed.workspace.id;
    this.workspaceName = seed.workspace.name;
    this.users = new Map();
    this.groups = new Map();
    this.servicePrincipals = new ServicePrincipalMap();
    this.tokens = new Map();
    this.tokenByHash = new Map();
    this.tokenAcl = [];
    this.warehouses = new Map();
    this.clusters = new Map();
    this.catalogs = new Map();
    this.schemas = new Map();
    this.ucGrants = new Map();
    this.hiveSchemas = new Map();
    this.hiveGrants = new Map();
    this.files = new Map();
    this.statements = new Map();
    this.auditEvents = [];
    this.oauthTokens = new Map();
    this.seededTokenValues.clear();
    this.idCounter = 0;
    this.clockOffsetMs = 0;
    this.options = { ...seed.options };
    this.extras = structuredClone(seed.extras);

    // groups: admins and users always exist
    const groupNames = new Set<string>(['admins', 'users']);
    for (const g of seed.groups) groupNames.add(g.displayName);
    for (const u of seed.users) u.groups.forEach((g) => groupNames.add(g));
    for (const s of seed.servicePrincipals) s.groups.forEach((g) => groupNames.add(g));
    for (const name of groupNames) {
      const sg = seed.groups.find((g) => g.displayName === name);
      const id = sg?.id ?? this.nextId();
      this.groups.set(id, { id, displayName: name, entitlements: new Set(sg?.entitlements ?? []) });
    }

    for (const u of seed.users) {
      const id = u.id ?? this.nextId();
      this.users.set(id, {
        kind: 'user',
        id,
        userName: u.userName,
        displayName: u.displayName ?? u.userName,
        givenName: u.givenName,
        familyName: u.familyName,
        active: u.active,
        groups: new Set(u.groups.filter((g) => g !== 'users')),
        entitlements: new Set(u.entitlements),
      });
    }
    for (const s of seed.servicePrincipals) {
      this.addServicePrincipal({
        id: s.id,
        applicationId: s.applicationId,
        displayName: s.displayName,
        active: s.active,
        entitlements: s.entitlements,
        groups: s.groups.filter((g) => g !== 'users'),
        externalId: s.externalId,
        oauthSecret: s.oauthSecret,
      });
    }
    const firstAdmin = [...this.users.values()].find((u) => u.groups.has('admins'));
    if (!firstAdmin) throw new Error('Invalid emulator seed: at least one user must be in the "admins" group');

    // tokens
    for (const u of seed.users) {
      const rec = this.findUser(u.userName)!;
      for (const v of [u.token, ...u.tokens].filter((x): x is string => x !== undefined)) {
        this.issueToken({ owner: rec, createdBy: rec, comment: 'seeded personal access token', value: v });
      }
    }
    for (const t of seed.tokens) {
      const owner = this.findPrincipalRef(t.owner);
      if (!owner) throw new Error(`Invalid emulator seed: token owner "${t.owner}" is not a seeded user or service principal`);
      const creatorRef = t.createdBy ?? (owner.kind === 'user' ? owner.userName : firstAdmin.userName);
      const creator = this.findUser(creatorRef);
      if (!creator) throw new Error(`Invalid emulator seed: token createdBy "${creatorRef}" is not a seeded user`);
      this.issueToken({
        owner,
        createdBy: creator,
        comment: t.comment,
        value: t.value,
        tokenId: t.token_id,
        creationTime: t.creation_time,
        expiryTime: t.expiry_time,
        // a seeded token is in use (used today) unless the seed says when it was last used
        lastUsedDay: t.last_used_day ?? startOfDay(this.now()),
      });
    }
    this.tokenAcl = seed.tokenAcl.map((e) => this.aclFromSeed(e, 'tokenAcl'));

    for (const w of seed.warehouses) {
      const creator = w.creator ? this.findUser(w.creator) : firstAdmin;
      if (!creator) throw new Error(`Invalid emulator seed: warehouse creator "${w.creator}" is not a seeded user`);
      const id = w.id ?? hex(8);
      const acl = w.acl.map((e) => this.aclFromSeed(e, `warehouse ${w.name}`));
      if (!acl.some((e) => e.level === 'IS_OWNER')) acl.unshift({ kind: 'user', name: creator.userName, level: 'IS_OWNER' });
      this.warehouses.set(id, {
        id,
        name: w.name,
        state: w.state,
        cluster_size: w.cluster_size,
        min_num_clusters: w.min_num_clusters,
        max_num_clusters: w.max_num_clusters,
        auto_stop_mins: w.auto_stop_mins,
        warehouse_type: w.warehouse_type,
        enable_serverless_compute: w.enable_serverless_compute,
        creator_name: creator.userName,
        creator_id: creator.id,
        tags: w.tags,
        acl,
        startingPollsLeft: 0,
      });
    }
    for (const c of seed.clusters) {
      this.clusters.set(c.cluster_id, {
        cluster_id: c.cluster_id,
        cluster_name: c.cluster_name,
        state: c.state,
        creator_user_name: c.creator ?? firstAdmin.userName,
      });
    }

    this.metastore = seed.metastore ? { ...seed.metastore, owner: this.seedPrincipalName(seed.metastore.owner, 'metastore owner') } : null;
    this.defaultCatalog = seed.defaultCatalog;
    this.defaultNamespaceSetting = seed.defaultNamespaceSetting;
    const now = Date.now();
    for (const c of seed.catalogs) {
      this.catalogs.set(c.name.toLowerCase(), {
        name: c.name,
        owner: this.seedPrincipalName(c.owner, `catalog ${c.name} owner`),
        catalog_type: c.catalog_type,
        comment: c.comment,
        created_at: now,
        created_by: firstAdmin.userName,
      });
      this.ucGrants.set(ucKey('catalog', c.name), this.grantsFromSeed(c.grants, `catalog ${c.name}`));
    }
    for (const s of seed.schemas) {
      if (!this.catalogs.has(s.catalog.toLowerCase())) throw new Error(`Invalid emulator seed: schema ${s.catalog}.${s.name}: unknown catalog`);
      const full = `${s.catalog}.${s.name}`;
      this.schemas.set(full.toLowerCase(), {
        catalog: this.catalogs.get(s.catalog.toLowerCase())!.name,
        name: s.name,
        owner: this.seedPrincipalName(s.owner, `schema ${full} owner`),
        comment: s.comment,
        created_at: now,
      });
      this.ucGrants.set(ucKey('schema', full), this.grantsFromSeed(s.grants, `schema ${full}`));
    }

    this.hiveCatalogOwner = seed.hive.catalogOwner ? this.seedPrincipalName(seed.hive.catalogOwner, 'hive catalog owner') : 'admins';
    this.hiveSchemas.set('default', { name: 'default', owner: this.hiveCatalogOwner });
    for (const s of seed.hive.schemas) {
      this.hiveSchemas.set(s.name.toLowerCase(), {
        name: s.name,
        owner: s.owner ? this.seedPrincipalName(s.owner, `hive schema ${s.name} owner`) : this.hiveCatalogOwner,
      });
    }
    for (const [securable, grants] of Object.entries(seed.hive.grants)) {
      const m = /^(CATALOG|SCHEMA|DATABASE)(?:\s+(.+))?$/i.exec(securable.trim());
      if (!m) throw new Error(`Invalid emulator seed: hive grant securable "${securable}" (use "CATALOG" or "SCHEMA <name>")`);
      const type = m[1].toUpperCase() === 'CATALOG' ? 'CATALOG' : 'SCHEMA';
      if (type === 'SCHEMA' && !this.hiveSchemas.has((m[2] ?? '').toLowerCase())) {
        throw new Error(`Invalid emulator seed: hive grant on unknown schema "${m[2] ?? ''}"`);
      }
      this.hiveGrants.set(hiveKey(type, m[2]), this.grantsFromSeed(grants, `hive ${securable}`));
    }

    // workspace files
    this.putDir('/');
    this.putDir('/Users');
    this.putDir('/Shared');
    for (const u of this.users.values()) this.putDir(`/Users/${u.userName}`);
    for (const [p, content] of Object.entries(seed.workspaceFiles)) {
      if (!p.startsWith('/')) throw new Error(`Invalid emulator seed: workspace file path "${p}" must be absolute`);
      if (p.endsWith('/')) {
        this.mkdirs(p.replace(/\/+$/, '') || '/');
      } else {
        this.mkdirs(parentPath(p));
        // a seed describes a workspace as it stands: its files were written before the emulator started
        const written = now - SEEDED_FILE_AGE_MS;
        this.files.set(p, { path: p, type: 'FILE', content: Buffer.from(content, 'utf8'), object_id: this.nextObjectId(), created_at: written, modified_at: written });
      }
    }
  }

  private aclFromSeed(e: SeedAclEntry, where: string): AclEntry {
    if (e.user_name !== undefined) {
      if (!this.findUser(e.user_name)) throw new Error(`Invalid emulator seed: ${where}: unknown user "${e.user_name}"`);
      return { kind: 'user', name: e.user_name, level: e.permission_level };
    }
    if (e.group_name !== undefined) {
      if (!this.findGroup(e.group_name)) throw new Error(`Invalid emulator seed: ${where}: unknown group "${e.group_name}"`);
      return { kind: 'group', name: e.group_name, level: e.permission_level };
    }
    const sp = this.findSpRef(e.service_principal_name ?? '');
    if (!sp) throw new Error(`Invalid emulator seed: ${where}: unknown service principal "${e.service_principal_name ?? ''}"`);
    return { kind: 'sp', name: sp.applicationId, level: e.permission_level };
  }

  private grantsFromSeed(g: Record<string, string[]>, where: string): GrantMap {
    const m: GrantMap = new Map();
    for (const [p, privs] of Object.entries(g)) m.set(this.seedPrincipalName(p, where), new Set(privs.map((x) => x.toUpperCase())));
    return m;
  }

  /** Resolves a seed principal reference to its API name (userName / applicationId / group name). */
  private seedPrincipalName(ref: string, where: string): string {
    const n = this.principalNameOf(ref);
    if (n === undefined) throw new Error(`Invalid emulator seed: ${where}: unknown principal "${ref}"`);
    return n;
  }

  // ------------------------------------------------------------------ lookups
  findUser(userName: string): UserRec | undefined {
    const l = userName.toLowerCase();
    for (const u of this.users.values()) if (u.userName.toLowerCase() === l) return u;
    return undefined;
  }
  findGroup(displayName: string): GroupRec | undefined {
    for (const g of this.groups.values()) if (g.displayName === displayName) return g;
    return undefined;
  }
  findSpByApplicationId(applicationId: string): SpRec | undefined {
    const l = applicationId.toLowerCase();
    for (const s of this.servicePrincipals.values()) if (s.applicationId.toLowerCase() === l) return s;
    return undefined;
  }
  /** By applicationId, else by a unique displayName (seed convenience). */
  findSpRef(ref: string): SpRec | undefined {
    const byApp = this.findSpByApplicationId(ref);
    if (byApp) return byApp;
    const named = [...this.servicePrincipals.values()].filter((s) => s.displayName === ref);
    return named.length === 1 ? named[0] : undefined;
  }
  findPrincipalRef(ref: string): PrincipalRec | undefined {
    return this.findUser(ref) ?? this.findSpRef(ref);
  }
  /** The API name of a principal/group reference, or undefined when unknown. */
  principalNameOf(ref: string): string | undefined {
    const u = this.findUser(ref);
    if (u) return u.userName;
    const sp = this.findSpRef(ref);
    if (sp) return sp.applicationId;
    if (this.findGroup(ref) || (IMPLICIT_GROUPS as readonly string[]).includes(ref)) return ref;
    return undefined;
  }
  /** Does a principal with this API name exist (user, SP applicationId, group)? */
  principalExists(name: string): boolean {
    return !!(this.findUser(name) || this.findSpByApplicationId(name) || this.findGroup(name) || (IMPLICIT_GROUPS as readonly string[]).includes(name));
  }
  groupIdOf(name: string): string | undefined {
    return this.findGroup(name)?.id;
  }

  callerOf(p: PrincipalRec): Caller {
    const groups = new Set<string>([...p.groups, ...IMPLICIT_GROUPS]);
    const entitlements = new Set<string>(p.entitlements);
    for (const g of this.groups.values()) if (groups.has(g.displayName)) g.entitlements.forEach((e) => entitlements.add(e));
    return {
      kind: p.kind,
      id: p.id,
      name: p.kind === 'user' ? p.userName : p.applicationId,
      displayName: p.displayName,
      groups,
      isAdmin: groups.has('admins'),
      entitlements,
    };
  }

  // ------------------------------------------------------------------ mutations
  addServicePrincipal(p: {
    id?: string;
    applicationId?: string;
    displayName?: string;
    active?: boolean;
    entitlements?: Iterable<string>;
    groups?: Iterable<string>;
    externalId?: string;
    oauthSecret?: string;
  }): SpRec {
    const id = p.id ?? this.nextId();
    if (this.servicePrincipals.has(id) || this.users.has(id)) throw new Error(`duplicate principal id ${id}`);
    const rec: SpRec = {
      kind: 'sp',
      id,
      applicationId: p.applicationId ?? randomUUID(),
      displayName: p.displayName ?? '',
      active: p.active ?? true,
      entitlements: new Set(p.entitlements ?? []),
      groups: new Set(p.groups ?? []),
      externalId: p.externalId,
      oauthSecret: p.oauthSecret,
      secrets: new Map(),
    };
    if (p.oauthSecret !== undefined) this.issuedCredentials.add(p.oauthSecret);
    for (const g of rec.groups) {
      if (!this.findGroup(g)) {
        const gid = this.nextId();
        this.groups.set(gid, { id: gid, displayName: g, entitlements: new Set() });
      }
    }
    this.servicePrincipals.set(id, rec);
    return rec;
  }

  /** Creates a token for a principal and returns its plain value (never stored in the state). */
  issueToken(p: {
    owner: PrincipalRec;
    createdBy: PrincipalRec;
    comment?: string;
    value?: string;
    tokenId?: string;
    creationTime?: number;
    expiryTime?: number;
    lifetimeSeconds?: number;
    lastUsedDay?: number;
  }): { value: string; info: TokenRec } {
    const value = p.value ?? `dapi${hex(16)}`;
    const now = p.creationTime ?? this.now();
    const info: TokenRec = {
      token_id: p.tokenId ?? hex(32),
      valueHash: sha256(value),
      ownerKind: p.owner.kind,
      ownerId: p.owner.id,
      comment: p.comment ?? '',
      creation_time: now,
      expiry_time: p.expiryTime ?? (p.lifetimeSeconds !== undefined && p.lifetimeSeconds > 0 ? now + p.lifetimeSeconds * 1000 : -1),
      created_by_id: p.createdBy.id,
      created_by_username: p.createdBy.kind === 'user' ? p.createdBy.userName : p.createdBy.applicationId,
      last_used_day: p.lastUsedDay,
    };
    if (this.tokenByHash.has(info.valueHash)) throw new Error('duplicate token value');
    this.issuedCredentials.add(value);
    this.tokens.set(info.token_id, info);
    this.tokenByHash.set(info.valueHash, info.token_id);
    if (p.value !== undefined) {
      const ownerName = p.owner.kind === 'user' ? p.owner.userName : p.owner.applicationId;
      if (!this.seededTokenValues.has(ownerName)) this.seededTokenValues.set(ownerName, value);
    }
    return { value, info };
  }

  /** The token record for a presented value (expired tokens included; callers check expiry). */
  tokenByValue(value: string): TokenRec | undefined {
    const h = sha256(value);
    const id = this.tokenByHash.get(h);
    if (id !== undefined) {
      const t = this.tokens.get(id);
      if (t && t.valueHash === h) return t;
    }
    for (const t of this.tokens.values()) if (t.valueHash === h) return t;
    return undefined;
  }

  deleteToken(tokenId: string): boolean {
    const t = this.tokens.get(tokenId);
    if (!t) return false;
    this.tokens.delete(tokenId);
    this.tokenByHash.delete(t.valueHash);
    return true;
  }

  principalById(kind: 'user' | 'sp', id: string): PrincipalRec | undefined {
    return kind === 'user' ? this.users.get(id) : this.servicePrincipals.get(id);
  }

  /** Marks a token used now (its `last_used_day` becomes today, UTC). */
  touchToken(t: TokenRec): void {
    t.last_used_day = startOfDay(this.now());
  }

  /** Creates an OAuth secret for a service principal; returns its plain value (only the hash is kept). */
  issueSecret(sp: SpRec, lifetimeSeconds: number): { value: string; info: SecretRec } {
    const value = `dose${hex(24)}`;
    const now = this.now();
    const info: SecretRec = { id: hex(16), valueHash: sha256(value), create_time: now, expire_time: now + lifetimeSeconds * 1000, status: 'ACTIVE' };
    sp.secrets.set(info.id, info);
    this.issuedCredentials.add(value);
    return { value, info };
  }
  /** The service principal an active, unexpired OAuth secret belongs to. */
  spBySecret(applicationId: string, value: string): SpRec | undefined {
    const sp = this.findSpByApplicationId(applicationId);
    if (!sp) return undefined;
    const h = sha256(value);
    for (const s of sp.secrets.values()) if (s.valueHash === h && s.expire_time > this.now()) return sp;
    return sp.oauthSecret !== undefined && sp.oauthSecret === value ? sp : undefined;
  }

  /**
   * Deletes a service principal and everything that names it in the workspace. Unity Catalog grants
   * live in the metastore: with identity federation (`options.identityFederation`, the default) the
   * workspace delete only removes the assignment and they survive.
   */
  deleteServicePrincipal(id: string): boolean {
    const sp = this.servicePrincipals.get(id);
    if (!sp) return false;
    this.servicePrincipals.delete(id);
    for (const t of [...this.tokens.values()]) if (t.ownerKind === 'sp' && t.ownerId === id) this.deleteToken(t.token_id);
    for (const [k, o] of [...this.oauthTokens]) if (o.spId === id) this.oauthTokens.delete(k);
    const name = sp.applicationId;
    this.tokenAcl = this.tokenAcl.filter((e) => !(e.kind === 'sp' && e.name === name));
    for (const w of this.warehouses.values()) w.acl = w.acl.filter((e) => !(e.kind === 'sp' && e.name === name));
    for (const g of this.hiveGrants.values()) g.delete(name);
    if (!this.options.identityFederation) for (const g of this.ucGrants.values()) g.delete(name);
    this.seededTokenValues.delete(name);
    return true;
  }

  // ------------------------------------------------------------------ grants
  ucGrantMap(type: 'catalog' | 'schema', fullName: string): GrantMap {
    const k = ucKey(type, fullName);
    let m = this.ucGrants.get(k);
    if (!m) {
      m = new Map();
      this.ucGrants.set(k, m);
    }
    return m;
  }
  hiveGrantMap(type: 'CATALOG' | 'SCHEMA', name?: string): GrantMap {
    const k = hiveKey(type, name);
    let m = this.hiveGrants.get(k);
    if (!m) {
      m = new Map();
      this.hiveGrants.set(k, m);
    }
    return m;
  }

  // ------------------------------------------------------------------ files
  private putDir(p: string): void {
    if (!this.files.has(p)) {
      const now = Date.now();
      this.files.set(p, { path: p, type: 'DIRECTORY', content: Buffer.alloc(0), object_id: this.nextObjectId(), created_at: now, modified_at: now });
    }
  }
  /** Creates a folder and its parents; returns the path of a non-folder in the way, if any. */
  mkdirs(p: string): string | undefined {
    const parts = p.split('/').filter(Boolean);
    let cur = '';
    for (const part of parts) {
      cur += `/${part}`;
      const f = this.files.get(cur);
      if (f && f.type !== 'DIRECTORY') return cur;
      if (!f) this.putDir(cur);
    }
    return undefined;
  }
}

export function startOfDay(ms: number): number {
  return ms - (ms % DAY_MS);
}

export function parentPath(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
