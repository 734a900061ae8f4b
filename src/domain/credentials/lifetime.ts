/**
 * How long a new partner credential lives. Since Dec 2024 a new personal access token cannot be
 * "never": at most 730 days, or less where a workspace admin set `maxTokenLifetimeDays` (workspace-conf;
 * a request above it is refused). OAuth secrets default to, and are capped at, 730 days too. The
 * connect form may choose a shorter lifetime; the engine always sends an explicit one.
 */
import type { CallOptions, WorkspaceClient } from '../../client/api';
import { isNotFound, isPermissionDenied } from '../util';

export const DEFAULT_MAX_LIFETIME_DAYS = 730;
export const MIN_LIFETIME_DAYS = 1;

export interface LifetimeCap {
  /** the longest lifetime a new token may have, in days */
  maxDays: number;
  /** 'admin': maxTokenLifetimeDays is set; 'default': not set (730); 'unknown': not readable by the caller (730 assumed) */
  source: 'admin' | 'default' | 'unknown';
}

/** `"90"` → 90; absent / empty / null / out of range → null (no admin setting). */
export function parseMaxTokenLifetimeDays(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const n = Number(value.trim());
  return Number.isInteger(n) && n >= MIN_LIFETIME_DAYS && n <= DEFAULT_MAX_LIFETIME_DAYS ? n : null;
}

export async function readLifetimeCap(client: WorkspaceClient, o?: CallOptions): Promise<LifetimeCap> {
  try {
    const conf = await client.getWorkspaceConf(['maxTokenLifetimeDays'], o);
    const days = parseMaxTokenLifetimeDays(conf.maxTokenLifetimeDays);
    return days === null ? { maxDays: DEFAULT_MAX_LIFETIME_DAYS, source: 'default' } : { maxDays: days, source: 'admin' };
  } catch (e) {
    if (isPermissionDenied(e) || isNotFound(e)) return { maxDays: DEFAULT_MAX_LIFETIME_DAYS, source: 'unknown' };
    throw e;
  }
}

/** The cap in words, for the form and errors. */
export function describeCap(cap: LifetimeCap): string {
  if (cap.source === 'admin') return `at most ${cap.maxDays} days (the workspace's maxTokenLifetimeDays)`;
  if (cap.source === 'unknown') {
    return `at most ${cap.maxDays} days, the longest Databricks allows for a new token (the workspace's own limit, maxTokenLifetimeDays, could not be read: it may be readable by workspace admins only; if an admin set a shorter one, a longer token is refused - choose fewer days)`;
  }
  return `at most ${cap.maxDays} days (the longest lifetime Databricks allows for a new token)`;
}
