/**
 * Names of everything a conformance run creates. One run = one random id; every object carries it:
 * `pc-conformance-<id>-…` (principals, warehouses, folders, token comments), `pc_conformance_<id>`
 * (SQL schema names, where a hyphen would need quoting) and, for the journeys' partners, the
 * engine's `<PARTNER-NAME>_USER` rule applied to `pc-conformance-<id> <profile>` →
 * `PC_CONFORMANCE_<ID>_<PROFILE>_USER`. Warehouses are also tagged `pc-conformance = <id>`.
 * The sweep at the end only ever touches names of this run.
 */
import { randomBytes } from 'node:crypto';

export const PREFIX = 'pc-conformance';
export const TAG_KEY = 'pc-conformance';

export interface Names {
  /** 6 lower-case hex digits */
  readonly runId: string;
  /** `pc-conformance-<id>` */
  readonly prefix: string;
  /** `pc_conformance_<id>` (a SQL identifier) */
  readonly sqlPrefix: string;
  /** `<prefix>-<suffix>` */
  name(suffix: string): string;
  /** `<sqlPrefix>` or `<sqlPrefix>_<suffix>` */
  sqlName(suffix?: string): string;
  /** Does a name belong to this run (any of the three spellings, any case)? */
  owns(name: string | undefined | null): boolean;
  /** SCIM filter matching every principal of this run (both spellings). */
  readonly principalFilter: string;
  readonly tag: { key: string; value: string };
}

export function newRunId(): string {
  return randomBytes(3).toString('hex');
}

export function namesFor(runId: string): Names {
  if (!/^[0-9a-f]{6}$/.test(runId)) throw new Error(`run id must be 6 lower-case hex digits, got "${runId}"`);
  const prefix = `${PREFIX}-${runId}`;
  const sqlPrefix = prefix.replace(/-/g, '_');
  const canonical = (n: string): string => n.toLowerCase().replace(/_/g, '-');
  return {
    runId,
    prefix,
    sqlPrefix,
    name: (suffix) => `${prefix}-${suffix}`,
    sqlName: (suffix) => (suffix ? `${sqlPrefix}_${suffix}` : sqlPrefix),
    owns: (n) => !!n && (canonical(n) === prefix || canonical(n).startsWith(`${prefix}-`) || canonical(n).startsWith(`${prefix} `)),
    principalFilter: `displayName sw "${prefix}" or displayName sw "${sqlPrefix.toUpperCase()}"`,
    tag: { key: TAG_KEY, value: runId },
  };
}
