/**
 * Which kind of SQL warehouse a connect creates for a partner: Serverless where the workspace has
 * it, else Pro, else Classic — limited to the types Partner Connect offers that partner (Databricks
 * configures the supported SKUs per partner: partner-connect-api TechnicalFAQ).
 *
 * How the engine knows what the workspace has (either answer works):
 * - `GET /api/2.0/sql/config/warehouses` (workspace admins): `enable_serverless_compute` and
 *   `enabled_warehouse_types` (sdk-go `GetWorkspaceWarehouseConfigResponse`). Not every workspace
 *   answers every field, and a non-admin may not read it at all;
 * - a create refused with a 400 that names the type: the next type of the list is tried (a refusal
 *   created nothing, so nothing is sent twice). Serverless needs `warehouse_type: PRO` +
 *   `enable_serverless_compute: true` (sdk-go `sql/model.go`).
 */
import type { CallOptions, CreateWarehouseSpec, WarehouseConfig, WorkspaceClient } from '../../client/api';
import { errorStatus, isNotFound, isPermissionDenied } from '../util';

export const WAREHOUSE_TYPES = ['serverless', 'pro', 'classic'] as const;
export type WarehouseType = (typeof WAREHOUSE_TYPES)[number];

export const WAREHOUSE_TYPE_WORDS: Record<WarehouseType, string> = { serverless: 'Serverless', pro: 'Pro', classic: 'Classic' };

/** What the workspace says about one type: offered, not offered, or not said. */
export type TypeAvailability = 'available' | 'unavailable' | 'unknown';

export interface WarehouseTypeSupport {
  /** per type, as the workspace's settings say */
  byType: Record<WarehouseType, TypeAvailability>;
  /** 'config': read from the warehouse settings; 'unknown': not readable (not an admin, or absent) */
  source: 'config' | 'unknown';
}

export function supportFromConfig(cfg: WarehouseConfig): WarehouseTypeSupport {
  const enabled = (t: 'PRO' | 'CLASSIC'): TypeAvailability => {
    const e = cfg.enabled_warehouse_types?.find((x) => x.warehouse_type.toUpperCase() === t);
    if (!cfg.enabled_warehouse_types) return 'unknown';
    return e ? (e.enabled === false ? 'unavailable' : 'available') : 'unavailable';
  };
  const pro = enabled('PRO');
  const serverless: TypeAvailability = pro === 'unavailable' ? 'unavailable' : cfg.enable_serverless_compute === undefined ? 'unknown' : cfg.enable_serverless_compute ? 'available' : 'unavailable';
  return { byType: { serverless, pro, classic: enabled('CLASSIC') }, source: 'config' };
}

const UNKNOWN: WarehouseTypeSupport = { byType: { serverless: 'unknown', pro: 'unknown', classic: 'unknown' }, source: 'unknown' };

/** The workspace's warehouse types; every type 'unknown' when the settings cannot be read. */
export async function readWarehouseTypeSupport(client: WorkspaceClient, o?: CallOptions): Promise<WarehouseTypeSupport> {
  try {
    return supportFromConfig(await client.getWarehouseConfig(o));
  } catch (e) {
    if (isPermissionDenied(e) || isNotFound(e)) return UNKNOWN;
    throw e;
  }
}

export interface WarehouseTypeOffer {
  /** the types that may be chosen, best first (Serverless, Pro, Classic): supported by the partner, not refused by the workspace */
  offered: WarehouseType[];
  /** the type used when the form does not choose one */
  preferred: WarehouseType | null;
  /** why each type that is not offered is not */
  notOffered: { type: WarehouseType; reason: string }[];
  support: WarehouseTypeSupport;
}

export function offerWarehouseTypes(partnerName: string, partnerTypes: readonly WarehouseType[] | undefined, support: WarehouseTypeSupport): WarehouseTypeOffer {
  const supported = new Set(partnerTypes ?? WAREHOUSE_TYPES);
  const offered: WarehouseType[] = [];
  const notOffered: WarehouseTypeOffer['notOffered'] = [];
  for (const t of WAREHOUSE_TYPES) {
    if (!supported.has(t)) notOffered.push({ type: t, reason: `Partner Connect does not offer ${partnerName} ${WAREHOUSE_TYPE_WORDS[t]} warehouses.` });
    else if (support.byType[t] === 'unavailable') notOffered.push({ type: t, reason: `This workspace does not offer ${WAREHOUSE_TYPE_WORDS[t]} SQL warehouses.` });
    else offered.push(t);
  }
  return { offered, preferred: offered[0] ?? null, notOffered, support };
}

/** The types to try, in order, for a chosen one: it, then the offered types after it whose availability the workspace did not confirm. */
export function fallbackTypes(chosen: WarehouseType, offer: WarehouseTypeOffer): WarehouseType[] {
  const after = offer.offered.slice(offer.offered.indexOf(chosen) + 1);
  // once a type is known to be available there is no reason to go further down
  const out: WarehouseType[] = [];
  for (const t of after) {
    out.push(t);
    if (offer.support.byType[t] === 'available') break;
  }
  return offer.support.byType[chosen] === 'available' ? [] : out;
}

/** The create request's type fields for a warehouse type. */
export function specForType(base: Omit<CreateWarehouseSpec, 'warehouse_type' | 'enable_serverless_compute'>, type: WarehouseType): CreateWarehouseSpec {
  if (type === 'serverless') return { ...base, warehouse_type: 'PRO', enable_serverless_compute: true };
  return { ...base, warehouse_type: type === 'pro' ? 'PRO' : 'CLASSIC', enable_serverless_compute: false };
}

/** The type a created or listed warehouse is. */
export function typeOfWarehouse(w: { warehouse_type?: string; enable_serverless_compute?: boolean }): WarehouseType | null {
  if (w.enable_serverless_compute) return 'serverless';
  const t = w.warehouse_type?.toUpperCase();
  return t === 'PRO' ? 'pro' : t === 'CLASSIC' ? 'classic' : null;
}

/**
 * A create refused because the workspace does not offer that type: a 400 (or 403) whose message names
 * it (the refusal texts are not documented, so any message naming serverless for a serverless create,
 * or the warehouse type for Pro/Classic). A refusal created nothing.
 */
export function isWarehouseTypeRefusal(e: unknown, type: WarehouseType): boolean {
  const s = errorStatus(e);
  if (s !== 400 && s !== 403) return false;
  const m = (e as { serverMessage?: unknown; message?: unknown } | null) ?? {};
  const text = `${typeof m.serverMessage === 'string' ? m.serverMessage : ''} ${typeof m.message === 'string' ? m.message : ''}`;
  if (type === 'serverless') return /serverless/i.test(text);
  return /warehouse[_ ]?type|\b(PRO|CLASSIC)\b/i.test(text) && !/serverless/i.test(text);
}
