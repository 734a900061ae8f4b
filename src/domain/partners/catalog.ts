/**
 * The partner catalog: every partner the extension knows, validated with zod when loaded.
 * Data lives in ./catalogData.ts; users add partners from PartnerConfig JSON files
 * (`loadPartnerConfigFile`). Where a fact is inferred rather than documented, the entry's
 * `provenance` says so.
 */
import * as z from 'zod';
import { PartnerBaseUrl, PartnerCategory, PartnerEndpoints, AuthOption, parsePartnerConfigJson, type PartnerConfig } from '../../client/partner/partnerConfig';
import { CATALOG_DATA } from './catalogData';
import { WAREHOUSE_TYPES } from '../compute/warehouseTypes';

export const PermissionProfileName = z.enum(['none', 'write', 'workspace', 'read', 'dataiku', 'read-many', 'cluster']);
/**
 * none / write / workspace / read / dataiku / read-many are the seed's profiles. `cluster` is
 * inferred (notebook/Spark partners such as Prophecy and John Snow Labs: token + workspace access +
 * cluster creation, no data grants).
 */
export type PermissionProfileName = z.output<typeof PermissionProfileName>;

export const ComputeKind = z.enum(['create-warehouse', 'existing-warehouse', 'cluster', 'none']);
export type ComputeKind = z.output<typeof ComputeKind>;
export const SchemaSelection = z.enum(['none', 'one', 'many']);
export type SchemaSelection = z.output<typeof SchemaSelection>;
export const HandoffKind = z.enum(['protocol', 'desktop-file', 'manual']);
export type HandoffKind = z.output<typeof HandoffKind>;
export const SignInStyle = z.enum([
  /** the first person who connects becomes the partner account administrator for the organization */
  'partner-account-admin',
  /** a (trial) account is created or signed in per connecting user */
  'trial-signup',
  /** no partner account involved (desktop tools) */
  'none',
]);
export type SignInStyle = z.output<typeof SignInStyle>;

export const Provenance = z.object({
  basis: z.enum(['documented', 'inferred']),
  note: z.string().min(1),
});
export type Provenance = z.output<typeof Provenance>;

/** Facts of an entry whose provenance is tracked. */
export const FACTS = ['membership', 'category', 'profile', 'servicePrincipal', 'compute', 'schemaSelection', 'unityCatalog', 'signInStyle', 'links', 'handoff'] as const;
export type Fact = (typeof FACTS)[number];

const HttpsUrl = z.string().url();

/** The subset of a PartnerConfig used for the protocol handoff. */
export const CatalogPartnerConfig = z.object({
  name: z.string().min(1),
  base_url: PartnerBaseUrl,
  endpoints: PartnerEndpoints,
  hostnames: z.array(z.string()),
  auth_options: z.array(AuthOption).optional(),
  sign_up_page: z.string().optional(),
});
export type CatalogPartnerConfig = z.output<typeof CatalogPartnerConfig>;

export const PartnerEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be a lower-case slug'),
    displayName: z.string().min(1),
    category: PartnerCategory,
    profile: PermissionProfileName,
    needsServicePrincipal: z.boolean(),
    /** `<PARTNER-NAME>_USER`; null when no service principal is needed */
    servicePrincipalName: z.string().regex(/^[A-Z0-9_]+_USER$/).nullable(),
    compute: ComputeKind,
    schemaSelection: SchemaSelection,
    supportsUnityCatalog: z.boolean(),
    signInStyle: SignInStyle,
    website: HttpsUrl,
    docsUrl: HttpsUrl.optional(),
    supportUrl: HttpsUrl.optional(),
    handoff: HandoffKind,
    /** desktop-file partners: the file format they open */
    desktopFile: z.enum(['pbids', 'tds']).optional(),
    partnerConfig: CatalogPartnerConfig.optional(),
    /**
     * The SQL warehouse types Partner Connect offers this partner when it creates one (Databricks
     * configures them per partner: partner-connect-api TechnicalFAQ). Absent: all three.
     */
    warehouseTypes: z.array(z.enum(WAREHOUSE_TYPES)).min(1).optional(),
    /** NON_ADMIN: non-admins may connect it (the connection then acts as them; see connect/access.ts) */
    nonAdmin: z.boolean().default(false),
    /** 'builtin' for catalog data, otherwise the file the partner was loaded from */
    source: z.string().default('builtin'),
    provenance: z.partialRecord(z.enum(FACTS), Provenance),
  })
  .superRefine((p, ctx) => {
    const expected = p.needsServicePrincipal ? servicePrincipalNameFor(p.displayName) : null;
    if (p.servicePrincipalName !== expected && !(p.needsServicePrincipal && p.servicePrincipalName)) {
      ctx.addIssue({ code: 'custom', message: `servicePrincipalName must be ${expected}`, path: ['servicePrincipalName'] });
    }
    if ((p.profile === 'none') === p.needsServicePrincipal) {
      ctx.addIssue({ code: 'custom', message: 'profile none ⇔ no service principal', path: ['needsServicePrincipal'] });
    }
    if (p.handoff === 'protocol' && !p.partnerConfig) {
      ctx.addIssue({ code: 'custom', message: 'protocol handoff needs a partnerConfig', path: ['handoff'] });
    }
    if (p.handoff === 'desktop-file' && !p.desktopFile) {
      ctx.addIssue({ code: 'custom', message: 'desktop-file handoff needs desktopFile', path: ['desktopFile'] });
    }
    for (const f of FACTS) {
      if (!p.provenance[f]) ctx.addIssue({ code: 'custom', message: `provenance.${f} is missing`, path: ['provenance', f] });
    }
  });
export type PartnerEntryInput = z.input<typeof PartnerEntry>;
export type CatalogPartner = z.output<typeof PartnerEntry>;

/** `<PARTNER-NAME>_USER`: upper case, runs of non-alphanumerics → one underscore. */
export function servicePrincipalNameFor(displayName: string): string {
  const base = displayName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${base}_USER`;
}

/**
 * The `<PARTNER-NAME>_USER` display name the workspace is searched for, for EVERY partner: the
 * principal the partner's profile needs, or — for partners that need none (Fivetran, Power BI,
 * Tableau, erwin) — the one Databricks' own Partner Connect page, an older setup or an admin may
 * have made anyway (the seed's own example is Fivetran's FIVETRAN_USER). Such a principal is shown,
 * inspected, deleted and listed as an orphan like any other.
 */
export function principalNameOf(p: Pick<CatalogPartner, 'servicePrincipalName' | 'displayName'>): string {
  return p.servicePrincipalName ?? servicePrincipalNameFor(p.displayName);
}

/** A lower-case slug of a display name. */
export function slugFor(displayName: string): string {
  return displayName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface PartnerCatalog {
  readonly partners: readonly CatalogPartner[];
  get(id: string): CatalogPartner | undefined;
  /** throws when unknown */
  require(id: string): CatalogPartner;
  /** the partner whose `<PARTNER>_USER` name (principalNameOf) this is */
  byServicePrincipalName(displayName: string): CatalogPartner | undefined;
}

export function createCatalog(entries: readonly CatalogPartner[]): PartnerCatalog {
  const byId = new Map<string, CatalogPartner>();
  const bySp = new Map<string, CatalogPartner>();
  for (const e of entries) {
    if (byId.has(e.id)) throw new Error(`Partner catalog: duplicate id "${e.id}"`);
    byId.set(e.id, e);
    const sp = principalNameOf(e);
    if (bySp.has(sp)) throw new Error(`Partner catalog: duplicate service principal name "${sp}"`);
    bySp.set(sp, e);
  }
  const partners = Object.freeze([...entries]);
  return {
    partners,
    get: (id) => byId.get(id),
    require: (id) => {
      const p = byId.get(id);
      if (!p) throw new Error(`Unknown partner "${id}".`);
      return p;
    },
    byServicePrincipalName: (n) => bySp.get(n),
  };
}

/** Parses (and validates) catalog entries; throws naming the entry and field at fault. */
export function parseCatalogEntries(raw: readonly unknown[]): CatalogPartner[] {
  return raw.map((r, i) => {
    const res = PartnerEntry.safeParse(r);
    if (!res.success) {
      const name = (r as { id?: unknown })?.id ?? `#${i}`;
      throw new Error(
        `Partner catalog entry ${String(name)} is invalid: ` + res.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '),
      );
    }
    return res.data;
  });
}

let builtin: PartnerCatalog | undefined;
/** The built-in catalog (validated once). */
export function loadBuiltinCatalog(): PartnerCatalog {
  builtin ??= createCatalog(parseCatalogEntries(CATALOG_DATA));
  return builtin;
}

/** The built-in catalog plus user partners (user entries with a clashing id are renamed `<id>-custom`). */
export function mergeCatalog(base: PartnerCatalog, extra: readonly CatalogPartner[]): PartnerCatalog {
  const ids = new Set(base.partners.map((p) => p.id));
  const sps = new Set(base.partners.map(principalNameOf));
  const added: CatalogPartner[] = [];
  for (const e of extra) {
    let id = e.id;
    while (ids.has(id)) id = `${id}-custom`;
    ids.add(id);
    const sp = principalNameOf(e);
    if (sps.has(sp)) {
      throw new Error(`Partner "${e.displayName}" would use the service principal name ${sp}, which the catalog already uses.`);
    }
    sps.add(sp);
    added.push({ ...e, id });
  }
  return createCatalog([...base.partners, ...added]);
}

/**
 * A partner from a PartnerConfig JSON file (the published format). Mapped best-effort and flagged
 * inferred: category as given; resources_to_provision → compute (SqlEndpoint → create-warehouse,
 * InteractiveCluster → cluster, PAT only → none); data_permissions → profile.
 */
export function loadPartnerConfigFile(json: string, source = 'PartnerConfig file'): CatalogPartner {
  const cfg = parsePartnerConfigJson(json, source);
  return partnerFromConfig(cfg, source);
}

const SCHEMA_SELECTION_OF: Record<PermissionProfileName, SchemaSelection> = {
  none: 'none',
  write: 'none',
  workspace: 'none',
  read: 'one',
  dataiku: 'many',
  'read-many': 'many',
  cluster: 'none',
};

export function partnerFromConfig(cfg: PartnerConfig, source: string): CatalogPartner {
  const resources = new Set(cfg.resources_to_provision.map((r) => r.resource_type));
  const perms = new Set((cfg.data_permissions ?? []).map((d) => d.permission));
  const compute: ComputeKind = resources.has('SqlEndpoint') ? 'create-warehouse' : resources.has('InteractiveCluster') ? 'cluster' : 'none';
  const writes = ['CREATE', 'CREATE_SCHEMA', 'CREATE_TABLE', 'MODIFY', 'ALL PRIVILEGES'].some((p) => perms.has(p as never));
  const reads = ['SELECT', 'READ_METADATA', 'USE_SCHEMA'].some((p) => perms.has(p as never));
  let profile: PermissionProfileName;
  if (compute === 'cluster') profile = 'cluster';
  else if (compute === 'none') profile = 'workspace';
  else if (writes && reads) profile = 'dataiku';
  else if (writes) profile = 'write';
  else profile = 'read';
  const schemaSelection: SchemaSelection = SCHEMA_SELECTION_OF[profile];
  const inferred = (note: string): Provenance => ({ basis: 'inferred', note });
  const documented = (note: string): Provenance => ({ basis: 'documented', note });
  const website = safeOrigin(cfg.sign_up_page) ?? safeOrigin(cfg.base_url) ?? 'https://example.invalid';
  const nonAdmin = cfg.supported_features?.includes('NON_ADMIN') ?? false;
  const entry: PartnerEntryInput = {
    id: slugFor(cfg.name) || 'partner',
    displayName: cfg.name,
    category: cfg.category,
    profile,
    needsServicePrincipal: true,
    servicePrincipalName: servicePrincipalNameFor(cfg.name),
    compute,
    schemaSelection,
    supportsUnityCatalog: [...perms].some((p) => p === 'USE_CATALOG' || p === 'USE_SCHEMA' || p === 'CREATE_SCHEMA'),
    signInStyle: 'trial-signup',
    website,
    handoff: 'protocol',
    partnerConfig: {
      name: cfg.name,
      base_url: cfg.base_url,
      endpoints: cfg.endpoints,
      hostnames: cfg.hostnames,
      // NON_ADMIN partners get AUTH_PAT, never AUTH_OAUTH_M2M (self-testing-partner-cli README)
      auth_options: nonAdmin ? (cfg.auth_options ?? []).filter((a) => a !== 'AUTH_OAUTH_M2M') : cfg.auth_options,
      sign_up_page: cfg.sign_up_page,
    },
    nonAdmin,
    source,
    provenance: {
      membership: documented(`loaded from ${source}`),
      category: documented('PartnerConfig category'),
      profile: inferred(`mapped from data_permissions [${[...perms].join(', ') || 'none'}]`),
      servicePrincipal: inferred('the <PARTNER-NAME>_USER naming rule'),
      compute: inferred(`mapped from resources_to_provision [${[...resources].join(', ')}]`),
      schemaSelection: inferred('follows the profile'),
      unityCatalog: inferred('UC privileges present in data_permissions'),
      signInStyle: inferred('PartnerConfig partners create or sign in to an account per user'),
      links: inferred('website derived from sign_up_page / base_url'),
      handoff: documented('PartnerConfig with base_url → Partner Connect protocol'),
    },
  };
  return parseCatalogEntries([entry])[0];
}

function safeOrigin(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
