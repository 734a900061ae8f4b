/**
 * Bench workspaces, derived from the emulator's demo seed (test/emulator/seeds/demo.json):
 *
 * - `detectionSeed()`: the demo workspace with connection records for dbt Cloud (warehouse created
 *   for it) and Hex (existing warehouse, one schema), a check-mark-only Fivetran (record, principal
 *   gone) and a CENSUS_USER made outside the extension — so detection has real wave-2 work.
 * - `connectSeed()`: the demo workspace without any partner principal, token, grant or record, so
 *   dbt Cloud and Hex can be connected from scratch.
 *
 * Filler principals and tokens (the 10 / 1 000 / 10 000 sizes) are added by the emulator worker.
 */
import { readFileSync } from 'node:fs';
import { DEMO_SEED_PATH, Seed } from '../test/emulator';
import { serializeRecord, type ConnectionRecord } from '../src/domain';
import { ADMIN, DBT_CLOUD_SP, DBT_WAREHOUSE, HEX_SP, RECORD_FOLDER, STARTER_WAREHOUSE } from '../test/fixtures/seed';

const DBT_TOKEN = '5684c955822ac792a51ae2aeb80190f13457bab3e2e2934c133a08b38454816c';
const HEX_TOKEN = 'be0c4000000000000000000000000000000000000000000000000000000000a2';

function demo(): Seed {
  return Seed.parse(JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')));
}

function record(partial: Pick<ConnectionRecord, 'partner' | 'servicePrincipal' | 'tokenId' | 'compute' | 'catalog' | 'schemas'>): string {
  return serializeRecord({
    schemaVersion: 1,
    state: 'connected',
    attemptId: `bench-seed-${partial.partner}`,
    isHive: false,
    connectionId: null,
    connectedBy: ADMIN,
    partnerAccountAdministrator: null,
    connectedAt: '2025-01-15T10:00:00.000Z',
    extensionVersion: '0.1.0',
    ...partial,
  });
}

export function detectionSeed(): Seed {
  const s = demo();
  s.servicePrincipals = [...(s.servicePrincipals ?? []), { displayName: 'CENSUS_USER', entitlements: ['workspace-access', 'databricks-sql-access'] }];
  s.tokens = (s.tokens ?? []).map((t) => (t.owner === 'HEX_USER' ? { ...t, token_id: HEX_TOKEN } : t));
  s.workspaceFiles = {
    ...(s.workspaceFiles ?? {}),
    [`${RECORD_FOLDER}/`]: '',
    [`${RECORD_FOLDER}/dbt-cloud.json`]: record({
      partner: 'dbt-cloud',
      servicePrincipal: { ...DBT_CLOUD_SP },
      tokenId: DBT_TOKEN,
      compute: { kind: 'warehouse', id: DBT_WAREHOUSE, name: 'DBT_CLOUD_ENDPOINT', createdForPartner: true },
      catalog: 'analytics',
      schemas: [],
    }),
    [`${RECORD_FOLDER}/hex.json`]: record({
      partner: 'hex',
      servicePrincipal: { ...HEX_SP },
      tokenId: HEX_TOKEN,
      compute: { kind: 'warehouse', id: STARTER_WAREHOUSE, name: 'Starter Warehouse', createdForPartner: false },
      catalog: 'analytics',
      schemas: ['marketing'],
    }),
    [`${RECORD_FOLDER}/fivetran.json`]: record({
      partner: 'fivetran',
      servicePrincipal: { id: '4000000000000999', applicationId: '11111111-2222-4333-8444-000000000999', displayName: 'FIVETRAN_USER' },
      tokenId: null,
      compute: null,
      catalog: 'analytics',
      schemas: [],
    }),
  };
  return s;
}

const PARTNER_PRINCIPALS = new Set(['DBT_CLOUD_USER', 'HEX_USER']);

export function connectSeed(): Seed {
  const s = demo();
  const keep = (name: string | undefined): boolean => !name || !PARTNER_PRINCIPALS.has(name);
  s.servicePrincipals = (s.servicePrincipals ?? []).filter((p) => keep(p.displayName));
  s.tokens = (s.tokens ?? []).filter((t) => keep(t.owner));
  s.tokenAcl = (s.tokenAcl ?? []).filter((a) => keep(a.service_principal_name));
  s.warehouses = (s.warehouses ?? []).map((w) => ({ ...w, acl: (w.acl ?? []).filter((a) => keep(a.service_principal_name)) }));
  const dropGrants = <T extends { grants?: Record<string, string[]> }>(o: T): T => {
    if (!o.grants) return o;
    return { ...o, grants: Object.fromEntries(Object.entries(o.grants).filter(([k]) => keep(k))) };
  };
  s.catalogs = (s.catalogs ?? []).map(dropGrants);
  s.schemas = (s.schemas ?? []).map(dropGrants);
  return s;
}
