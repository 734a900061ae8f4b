/**
 * Compares the grants a partner's service principal holds with what its profile requires. Used by
 * state detection (degraded: grants different from the profile) and by inspect/drift.
 */
import type { ExpectedGrants } from '../profiles/profiles';
import type { GrantDifference } from './types';

export interface ActualGrants {
  /** the principal's own entitlements (not inherited from groups) */
  entitlements: string[];
  /** its direct level on the token permissions, or null */
  tokenUse: string | null;
  /** its direct level on the connection's warehouse; undefined = not checked */
  warehouseUse: string | null | undefined;
  /** 'catalog:<name>' / 'schema:<catalog>.<schema>' → privileges; only securables of the expected set are consulted */
  uc: Map<string, string[]>;
  /** 'CATALOG' / 'SCHEMA <schema>' → privileges; null = not checked */
  hive: Map<string, string[]> | null;
  /** UC securables whose grants the caller may not read (403): not compared */
  unreadable?: string[];
}

const norm = (p: string): string => p.trim().toUpperCase().replace(/\s+/g, '_');

export function compareGrants(expected: ExpectedGrants, actual: ActualGrants, warehouseId: string | null): GrantDifference[] {
  const diffs: GrantDifference[] = [];
  const ent = new Set(actual.entitlements);
  for (const e of expected.entitlements) if (!ent.has(e)) diffs.push({ kind: 'entitlement', change: 'missing', securable: 'workspace', privilege: e });
  for (const e of ent) if (!expected.entitlements.includes(e as never)) diffs.push({ kind: 'entitlement', change: 'extra', securable: 'workspace', privilege: e });

  if (expected.tokenUse && actual.tokenUse !== 'CAN_USE') {
    diffs.push({ kind: 'token-use', change: 'missing', securable: 'tokens', privilege: 'CAN_USE' });
    if (actual.tokenUse) diffs.push({ kind: 'token-use', change: 'extra', securable: 'tokens', privilege: actual.tokenUse });
  } else if (!expected.tokenUse && actual.tokenUse) {
    diffs.push({ kind: 'token-use', change: 'extra', securable: 'tokens', privilege: actual.tokenUse });
  }

  if (warehouseId && actual.warehouseUse !== undefined) {
    if (expected.warehouseUse && actual.warehouseUse !== 'CAN_USE') {
      diffs.push({ kind: 'warehouse-use', change: 'missing', securable: warehouseId, privilege: 'CAN_USE' });
      if (actual.warehouseUse) diffs.push({ kind: 'warehouse-use', change: 'extra', securable: warehouseId, privilege: actual.warehouseUse });
    } else if (!expected.warehouseUse && actual.warehouseUse) {
      diffs.push({ kind: 'warehouse-use', change: 'extra', securable: warehouseId, privilege: actual.warehouseUse });
    }
  }

  const readable = new Map([...expected.uc].filter(([k]) => !actual.unreadable?.includes(k)));
  diffMaps('uc', readable, actual.uc, diffs);
  if (actual.hive) diffMaps('hive', expected.hive, actual.hive, diffs);
  return diffs;
}

function diffMaps(kind: 'uc' | 'hive', expected: Map<string, string[]>, actual: Map<string, string[]>, out: GrantDifference[]): void {
  const keys = new Set([...expected.keys(), ...actual.keys()]);
  for (const k of keys) {
    const want = new Set((expected.get(k) ?? []).map(norm));
    const have = new Set((actual.get(k) ?? []).map(norm).filter((p) => p !== 'OWN'));
    for (const p of want) if (!have.has(p)) out.push({ kind, change: 'missing', securable: k, privilege: p });
    for (const p of have) if (!want.has(p)) out.push({ kind, change: 'extra', securable: k, privilege: p });
  }
}

/** "SELECT on schema analytics.marketing" (no missing/extra prefix) */
export function differenceWords(d: GrantDifference): string {
  return describeDifference(d).replace(/^(missing|extra): /, '');
}

export function describeDifference(d: GrantDifference): string {
  const what = d.privilege.replace(/_/g, ' ');
  const where =
    d.kind === 'entitlement'
      ? 'entitlement'
      : d.kind === 'token-use'
        ? 'on tokens'
        : d.kind === 'warehouse-use'
          ? `on warehouse ${d.securable}`
          : d.kind === 'uc'
            ? `on ${d.securable.replace(':', ' ')}`
            : `on ${d.securable === 'CATALOG' ? 'catalog hive_metastore' : `schema hive_metastore.${d.securable.slice('SCHEMA '.length)}`}`;
  return `${d.change === 'missing' ? 'missing' : 'extra'}: ${what} ${where}`;
}

export function heldWords(actual: ActualGrants): string[] {
  const out: string[] = [];
  if (actual.entitlements.length) out.push(`entitlements: ${actual.entitlements.join(', ')}`);
  if (actual.tokenUse) out.push(`${actual.tokenUse.replace(/_/g, ' ')} on tokens`);
  if (actual.warehouseUse) out.push(`${actual.warehouseUse.replace(/_/g, ' ')} on the warehouse`);
  for (const [k, v] of actual.uc) if (v.length) out.push(`${v.map((p) => p.replace(/_/g, ' ')).join(', ')} on ${k.replace(':', ' ')}`);
  for (const [k, v] of actual.hive ?? []) if (v.length) out.push(`${v.map((p) => p.replace(/_/g, ' ')).join(', ')} on ${k === 'CATALOG' ? 'hive_metastore' : `hive_metastore.${k.slice(7)}`}`);
  return out;
}

/** Parses SHOW GRANTS rows [principal, action, objectType, key] for one principal. */
export function parseShowGrants(rows: readonly (readonly (string | null)[])[], principal: string): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    if (!r[0] || r[0].toLowerCase() !== principal.toLowerCase()) continue;
    const a = norm(r[1] ?? '');
    if (a && a !== 'OWN') out.add(a);
  }
  return [...out];
}
