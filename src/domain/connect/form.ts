/**
 * The connect form's rules, without `vscode`: what it offers (needsCatalog, offersCatalog), what it
 * starts with (formDefaults), what it checks before any request (formProblems), what a connect was
 * asked (formToChoices) and how its plan is built and worded (formPlanOptions, withWarehouseNames),
 * and what already makes the connect impossible (initialProblems). The adapter
 * (src/vscode/webviews/connectPanel.ts) only routes messages; the pre-flight while typing is
 * ./typingPreflight.ts. Words a person reads go through `@vscode/l10n` (English until the extension
 * configures the bundle).
 */
import * as l10n from '@vscode/l10n';
import type { Warehouse } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import { PROFILES } from '../profiles/profiles';
import { HIVE_METASTORE, defaultWarehouseName, type BuildPlanOptions, type ConnectChoices } from '../profiles/plan';
import { MIN_LIFETIME_DAYS } from '../credentials/lifetime';
import { fallbackTypes, type WarehouseType, type WarehouseTypeOffer } from '../compute/warehouseTypes';
import { isStaleConnecting, minutesSince, STALE_CONNECT_MINUTES, userRecordFolder } from '../record/record';
import type { PartnerStatus } from '../state/types';
import type { ConnectFormOptions } from './options';
import type { CatalogOption, PreflightResult } from './preflight';
import { canConnect } from './access';

/** A warehouse as the form chooses it: an existing one, or a new one by name (and type). */
export type FormWarehouse = { mode: 'existing'; id: string } | { mode: 'new'; name: string; type?: WarehouseType };

/** The form's values, as the webview sends them (its protocol, src/shared/protocol/connect.ts, validates them). */
export interface ConnectFormValues {
  catalog?: string;
  schemas: string[];
  warehouse?: FormWarehouse;
  destinationLocation?: string;
  /** the new credential's lifetime in days; absent = the longest the workspace allows */
  credentialLifetimeDays?: number;
}

export type FormField = 'catalog' | 'schemas' | 'warehouse' | 'destinationLocation' | 'credentialLifetime' | 'general';

export interface FormProblem {
  field: FormField;
  message: string;
  /** the field has no value yet: the form says so only once the user has touched it or pressed Connect */
  required?: boolean;
}

/** A catalog as the form lists it (`selectable`: it may be chosen; `reason`: why not). */
export interface FormCatalog {
  name: string;
  isDefault: boolean;
  selectable: boolean;
  reason?: string;
}

/** A problem found before any request: what the pre-flight would say too ("blockers", see connectText.blockerView). */
export interface FormBlocker {
  code: string;
  message: string;
  by?: string;
  since?: string;
  age?: { minutes: number | null; stale: boolean; staleAfter: number };
}

/** The partner is granted on a catalog (Unity Catalog or Hive). */
export function needsCatalog(p: CatalogPartner): boolean {
  const prof = PROFILES[p.profile];
  return !!(prof.unityCatalog || prof.hive);
}

/** The form offers a catalog: one the partner is granted on, or (desktop partners) one the file opens on. */
export function offersCatalog(p: CatalogPartner): boolean {
  return needsCatalog(p) || p.handoff === 'desktop-file';
}

/** The form uses a SQL warehouse (an existing one or a new one). */
export function usesWarehouseField(p: CatalogPartner): boolean {
  return p.compute === 'existing-warehouse' || p.compute === 'create-warehouse';
}

/** What the form's values ask the engine to do. */
export function formToChoices(form: ConnectFormValues): ConnectChoices {
  const catalog = form.catalog ?? null;
  return {
    catalog,
    isHive: catalog === HIVE_METASTORE,
    schemas: form.schemas,
    warehouse: form.warehouse
      ? form.warehouse.mode === 'existing'
        ? { kind: 'existing', id: form.warehouse.id }
        : { kind: 'create', name: form.warehouse.name.trim(), ...(form.warehouse.type ? { type: form.warehouse.type } : {}) }
      : undefined,
    destinationLocation: form.destinationLocation,
    ...(form.credentialLifetimeDays !== undefined ? { credentialLifetimeDays: form.credentialLifetimeDays } : {}),
  };
}

/** The lifetime typed in the form, checked against the workspace's cap (the pre-flight checks it again). */
export function lifetimeProblem(days: number | undefined, maxDays: number | undefined): FormProblem | null {
  if (days === undefined || maxDays === undefined) return null;
  if (!Number.isInteger(days) || days < MIN_LIFETIME_DAYS || days > maxDays) return { field: 'credentialLifetime', message: l10n.t('Enter a whole number of days from 1 to {0}.', maxDays) };
  return null;
}

/**
 * Checks that need no request (instant). `required` marks a field that has no value yet (a hint
 * until touched). `catalogs`: what the form lists (none: no catalog field); `maxLifetimeDays`: the cap
 * the form was opened with.
 */
export function formProblems(p: CatalogPartner, form: ConnectFormValues, o: { catalogs: readonly FormCatalog[]; maxLifetimeDays?: number }): FormProblem[] {
  const catalogs = o.catalogs;
  const out: FormProblem[] = [];
  const lifetime = lifetimeProblem(form.credentialLifetimeDays, o.maxLifetimeDays);
  if (lifetime) out.push(lifetime);
  if (catalogs.length > 0 && !form.catalog && needsCatalog(p)) {
    // say why no catalog can be chosen (e.g. the seed's default-catalog rule) rather than "choose one"
    const why = catalogs.some((c) => c.selectable) ? undefined : (catalogs.find((c) => c.isDefault)?.reason ?? catalogs.find((c) => c.reason)?.reason);
    out.push(why ? { field: 'catalog', message: `${why} ${l10n.t('Nothing was created.')}` } : { field: 'catalog', message: l10n.t('Choose a catalog.'), required: true });
  }
  if (p.schemaSelection === 'one' && form.schemas.length === 0) out.push({ field: 'schemas', message: l10n.t('Choose the schema {0} may read.', p.displayName), required: true });
  if (p.schemaSelection === 'one' && form.schemas.length > 1) out.push({ field: 'schemas', message: l10n.t('{0} reads exactly one schema.', p.displayName) });
  if (p.schemaSelection === 'many' && form.schemas.length === 0) out.push({ field: 'schemas', message: l10n.t('Choose at least one schema.'), required: true });
  if (usesWarehouseField(p)) {
    if (!form.warehouse) out.push({ field: 'warehouse', message: l10n.t('Choose a SQL warehouse or create a new one.'), required: true });
    else if (form.warehouse.mode === 'new') {
      const n = form.warehouse.name.trim();
      if (n.length === 0) out.push({ field: 'warehouse', message: l10n.t('Give the new SQL warehouse a name.'), required: true });
      else if (n.length > 99) out.push({ field: 'warehouse', message: l10n.t('A SQL warehouse name has fewer than 100 characters.') });
    }
  }
  if (form.destinationLocation !== undefined && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(form.destinationLocation)) {
    out.push({ field: 'destinationLocation', message: l10n.t('Enter a storage URL such as s3://bucket/path, or leave it empty.') });
  }
  const chosen = catalogs.find((c) => c.name === form.catalog);
  if (chosen && !chosen.selectable && chosen.reason) out.unshift({ field: 'catalog', message: chosen.reason });
  return out;
}

/**
 * What the form starts with: the default catalog (the workspace's default if it may be chosen, else
 * the first that may), a running warehouse (or a new one named for the partner, which a
 * create-warehouse partner always proposes unless the connection acts as the user), the preferred
 * warehouse type, the longest credential lifetime.
 */
export function formDefaults(
  p: CatalogPartner,
  o: { catalogs: readonly Pick<CatalogOption, 'name' | 'isDefault' | 'allowed'>[]; warehouses: readonly Pick<Warehouse, 'id' | 'state'>[]; asUser: boolean; options: ConnectFormOptions },
): { defaults: ConnectFormValues; proposedWarehouseName: string | undefined } {
  const { catalogs, warehouses } = o;
  const desktop = p.handoff === 'desktop-file';
  const catalog = desktop ? undefined : (catalogs.find((c) => c.isDefault && c.allowed)?.name ?? catalogs.find((c) => c.allowed)?.name);
  const running = warehouses.find((w) => w.state === 'RUNNING') ?? warehouses[0];
  const proposedWarehouseName = usesWarehouseField(p) ? defaultWarehouseName(p) : undefined;
  const warehouse: FormWarehouse | undefined =
    (p.compute === 'create-warehouse' && !o.asUser) || !running ? (proposedWarehouseName ? { mode: 'new', name: proposedWarehouseName } : undefined) : { mode: 'existing', id: running.id };
  const preferred = o.options.warehouseTypes?.preferred;
  const cred = o.options.credential;
  return {
    defaults: {
      catalog,
      schemas: [],
      warehouse: warehouse?.mode === 'new' && preferred ? { ...warehouse, type: preferred } : warehouse,
      ...(cred ? { credentialLifetimeDays: cred.cap.maxDays } : {}),
    },
    proposedWarehouseName,
  };
}

/** The partner counts as connected for the form (an interrupted connect does not). */
export function alreadyConnected(status: PartnerStatus | undefined): boolean {
  return status?.state === 'connected' || (status?.state === 'degraded' && !status.reasons.some((r) => r.code === 'connect-incomplete'));
}

/** What the workspace already says makes this connect impossible (the pre-flight says it again, with the same words). */
export function initialProblems(
  p: CatalogPartner,
  o: { workspace: string; identity: { userName: string; isWorkspaceAdmin: boolean }; status: PartnerStatus | undefined; catalogs: ReadonlyArray<{ allowed: boolean; isDefault: boolean; reason: string | null }> },
): FormBlocker[] {
  const { identity, status, catalogs } = o;
  const problems: FormBlocker[] = [];
  // the engine's rule (access.ts): a non-admin may connect a NON_ADMIN partner as themselves, or re-use an
  // established protocol connection; anything else names what needs an admin
  const access = canConnect(p, identity, { established: status?.record?.state === 'connected' });
  if (!access.allowed) problems.push({ code: access.code, message: access.reason });
  if (status?.state === 'connected-outside' || status?.state === 'check-mark-only') {
    problems.push({
      code: status.state,
      message:
        status.state === 'connected-outside'
          ? l10n.t('{0} exists in this workspace without a connection record: it was connected outside this extension (e.g. on Databricks’ Partner Connect page).', status.servicePrincipal?.displayName ?? '')
          : l10n.t('{0} has a connection record but its service principal was deleted.', p.displayName),
    });
  }
  const incomplete = status?.record?.state === 'connecting' ? status.record : null;
  if (incomplete) {
    const age = { minutes: minutesSince(incomplete), stale: isStaleConnecting(incomplete), staleAfter: STALE_CONNECT_MINUTES };
    problems.push({ code: 'connect-in-progress', message: '', by: incomplete.connectedBy, since: incomplete.connectedAt, age });
  }
  if (needsCatalog(p) && catalogs.length > 0 && !catalogs.some((c) => c.allowed)) {
    const why = catalogs.find((c) => c.isDefault)?.reason ?? catalogs.find((c) => c.reason)?.reason ?? l10n.t('No catalog can be chosen.');
    problems.push({ code: 'default-catalog-not-owned', message: why });
  }
  return problems;
}

/**
 * How the plan is built for the form: the credential and warehouse type of the latest pre-flight,
 * else what the form was opened with — so that the plan names the real kind, lifetime cap and type.
 * A connection that acts as the user is recorded in their own folder.
 */
export function formPlanOptions(
  choices: ConnectChoices,
  o: {
    latestPreflight: Pick<PreflightResult, 'credential' | 'warehouseType'> | undefined;
    formOptions: ConnectFormOptions | undefined;
    actsAsUser: boolean;
    user: string | undefined;
    recordFolder: string;
  },
): BuildPlanOptions {
  const pf = o.latestPreflight;
  const cred = pf?.credential ?? o.formOptions?.credential ?? null;
  const offer: WarehouseTypeOffer | null | undefined = o.formOptions?.warehouseTypes;
  const wanted = choices.warehouse?.kind === 'create' ? (choices.warehouse.type ?? offer?.preferred) : undefined;
  const type =
    pf?.warehouseType && (!wanted || pf.warehouseType.type === wanted)
      ? { type: pf.warehouseType.type, fallback: pf.warehouseType.fallback }
      : wanted && offer && offer.offered.includes(wanted)
        ? { type: wanted, fallback: fallbackTypes(wanted, offer) }
        : undefined;
  return {
    recordFolder: o.actsAsUser && o.user ? userRecordFolder(o.user) : o.recordFolder,
    ...(o.actsAsUser ? { actingAsUser: true } : {}),
    ...(cred ? { credential: { kind: cred.kind, maxLifetimeDays: 'maxLifetimeDays' in cred ? cred.maxLifetimeDays : cred.cap.maxDays, fallbackToSecret: cred.fallbackToSecret, why: cred.why, cap: cred.cap } } : {}),
    ...(type ? { warehouseType: type } : {}),
  };
}

/** The plan names warehouses by id: add their names for the reader. */
export function withWarehouseNames(lines: readonly string[], warehouses: readonly { id: string; name: string }[]): string[] {
  return lines.map((l) => warehouses.reduce((acc, w) => acc.split(`SQL warehouse ${w.id}`).join(`SQL warehouse ${w.name} (${w.id})`), l));
}
