/**
 * `--journeys`: for every permission profile, a test partner of this run (manual hand-off: no
 * partner is called) is connected with the engine, its grants are read back with the client,
 * inspected, its token rotated, disconnected (reset), and the workspace checked for anything left.
 */
import type { AuthConfig, ServicePrincipal } from '../../src/client';
import {
  connect,
  disconnect,
  expectedGrants,
  FACTS,
  HIVE_METASTORE,
  inspectConnection,
  parseCatalogEntries,
  PROFILES,
  quoteIdentifier,
  recordPathFor,
  rotateToken,
  servicePrincipalNameFor,
  type CatalogPartner,
  type ConnectChoices,
  type DeliveredCredential,
  type EngineContext,
  type PermissionProfileName,
  type PartnerEntryInput,
} from '../../src/domain';
import { parseShowGrants } from '../../src/domain/state/grants';
import { directLevel, tokensOf } from '../../src/domain/util';
import { outcome, passed, type CheckDef, type Run } from '../check';
import { errorText, SkipCheck } from '../errors';
import { fileSpec, spSpec, warehouseSpec } from '../specs';

export const JOURNEY_PROFILES: PermissionProfileName[] = ['none', 'write', 'workspace', 'read', 'dataiku', 'read-many', 'cluster'];

/** Where the journeys keep their connection records: a folder of the run's own in the admin-only workspace root. */
export const journeyRecordFolder = (t: Pick<Run, 'names'>): string => `/${t.names.name('journeys')}`;

interface Journey {
  partner: CatalogPartner;
  choices: ConnectChoices;
  ctx: EngineContext;
  sp: ServicePrincipal | null;
  warehouseCreated: string | null;
  /** every credential the journey made (token or OAuth secret ids) */
  credentialIds: string[];
  /** the credential handed over last: kept in memory only, to sign in with it once */
  handedOver: { kind: DeliveredCredential['kind']; value: string } | null;
}
const journeys = new WeakMap<Run, Map<string, Journey>>();

export function journeyPartner(names: Run['names'], profile: PermissionProfileName): CatalogPartner {
  const displayName = `${names.prefix} ${profile}`;
  const p = PROFILES[profile];
  const compute = profile === 'read' || profile === 'read-many' ? 'existing-warehouse' : profile === 'write' || profile === 'dataiku' ? 'create-warehouse' : profile === 'cluster' ? 'cluster' : 'none';
  const entry: PartnerEntryInput = {
    id: names.name(profile),
    displayName,
    category: 'DATA_PREP_AND_TRANSFORM',
    profile,
    needsServicePrincipal: p.servicePrincipal,
    servicePrincipalName: p.servicePrincipal ? servicePrincipalNameFor(displayName) : null,
    compute,
    schemaSelection: profile === 'read' ? 'one' : profile === 'dataiku' || profile === 'read-many' ? 'many' : 'none',
    supportsUnityCatalog: true,
    signInStyle: 'none',
    website: 'https://example.invalid/pc-conformance',
    handoff: 'manual',
    source: 'conformance suite',
    provenance: Object.fromEntries(FACTS.map((f) => [f, { basis: 'inferred', note: 'a test partner of the conformance suite' }])),
  };
  return parseCatalogEntries([entry])[0];
}

/** UC (with --catalog and the run's schema), else Hive (with --warehouse and the run's Hive schema). */
function choicesFor(t: Run, partner: CatalogPartner): ConnectChoices {
  const p = PROFILES[partner.profile];
  const needsData = !!(p.unityCatalog || p.hive);
  const choices: ConnectChoices = {};
  if (needsData) {
    if (t.catalog && t.shared.ucSchema) choices.catalog = t.catalog;
    else if (t.warehouseId && t.shared.hiveSchema) choices.catalog = HIVE_METASTORE;
    else throw new SkipCheck('needs --catalog (Unity Catalog) or --warehouse (Hive metastore): the profile grants on a catalog and schema');
    const schema = choices.catalog === HIVE_METASTORE ? t.shared.hiveSchema : t.shared.ucSchema;
    choices.schemas = partner.schemaSelection === 'none' ? [] : [schema ?? ''];
  }
  if (partner.compute === 'existing-warehouse') {
    if (!t.warehouseId) throw new SkipCheck('needs --warehouse: the profile uses an existing SQL warehouse');
    choices.warehouse = { kind: 'existing', id: t.warehouseId };
  } else if (partner.compute === 'create-warehouse') {
    choices.warehouse = { kind: 'create', name: t.names.name(partner.profile) };
  }
  return choices;
}

/** Everything a connect of this partner may create, entered before the connect runs. */
function enterJourney(t: Run, j: Journey): void {
  const folder = journeyRecordFolder(t);
  const record = recordPathFor(folder, j.partner.id);
  if (j.partner.servicePrincipalName) t.ledger.adopt(spSpec(t.client, j.partner.servicePrincipalName), null);
  if (j.choices.warehouse?.kind === 'create') t.ledger.adopt(warehouseSpec(t.client, j.choices.warehouse.name), null);
  t.ledger.adopt(fileSpec(t.client, record), null);
}

/** Grants on securables that existed before the run (the catalog, hive_metastore): revoked if they outlive the principal. */
function enterOutsideGrants(t: Run, j: Journey, sp: ServicePrincipal): void {
  const target = { catalog: j.choices.catalog ?? null, schemas: j.choices.schemas ?? [], isHive: j.choices.catalog === HIVE_METASTORE };
  const exp = expectedGrants(j.partner.profile, target);
  const catalogPrivs = target.isHive ? exp.hive.get('CATALOG') : target.catalog ? exp.uc.get(`catalog:${target.catalog}`) : undefined;
  if (!catalogPrivs?.length) return;
  const name = `${catalogPrivs.join(', ')} on catalog ${target.catalog} for ${sp.displayName}`;
  if (target.isHive) {
    const revoke = `REVOKE ${catalogPrivs.map((p) => p.replace(/_/g, ' ')).join(', ')} ON CATALOG ${quoteIdentifier(HIVE_METASTORE)} FROM ${quoteIdentifier(sp.applicationId)}`;
    t.ledger.adopt(
      {
        kind: 'hive-grant',
        name,
        goesWith: `the service principal ${sp.displayName}`,
        exists: async (_id, signal) => {
          const r = await t.client.executeStatement({ warehouseId: t.warehouseId ?? '', statement: `SHOW GRANTS ${quoteIdentifier(sp.applicationId)} ON CATALOG ${quoteIdentifier(HIVE_METASTORE)}` }, { signal });
          return parseShowGrants(r.result?.data_array ?? [], sp.applicationId).length > 0;
        },
        manual: `Run ${revoke} on a SQL warehouse`,
      },
      'CATALOG',
    );
  } else {
    const cat = target.catalog ?? '';
    t.ledger.adopt(
      {
        kind: 'uc-grant',
        name,
        goesWith: `the service principal ${sp.displayName}`,
        remove: async (_id, signal) => {
          await t.client.updateGrants('catalog', cat, [{ principal: sp.applicationId, remove: catalogPrivs }], { signal });
        },
        exists: async (_id, signal) => (await t.client.getGrants('catalog', cat, { signal })).some((a) => a.principal.toLowerCase() === sp.applicationId.toLowerCase() && a.privileges.length > 0),
        manual: `REVOKE ${catalogPrivs.join(', ').replace(/_/g, ' ')} ON CATALOG ${cat} FROM \`${sp.applicationId}\``,
      },
      `catalog:${cat}`,
    );
  }
}

/** Differences between what the profile grants and what the workspace shows for the principal. */
async function grantDifferences(t: Run, j: Journey, sp: ServicePrincipal): Promise<{ held: string[]; problems: string[] }> {
  const target = { catalog: j.choices.catalog ?? null, schemas: j.choices.schemas ?? [], isHive: j.choices.catalog === HIVE_METASTORE };
  const exp = expectedGrants(j.partner.profile, target);
  const problems: string[] = [];
  const held: string[] = [];
  const fresh = await t.client.getServicePrincipal(sp.id, t.o);
  const ents = fresh.entitlements.map((e) => e.value).sort();
  held.push(`entitlements [${ents.join(', ')}]`);
  if (ents.join() !== [...exp.entitlements].sort().join()) problems.push(`entitlements [${ents.join(', ')}], expected [${[...exp.entitlements].sort().join(', ')}]`);
  const tokenLevel = directLevel(await t.client.getTokenPermissions(t.o), sp.applicationId);
  held.push(`tokens ${tokenLevel ?? '-'}`);
  if ((tokenLevel === 'CAN_USE') !== exp.tokenUse) problems.push(`token permission ${tokenLevel ?? 'none'}`);
  const wh = j.warehouseCreated ?? (j.choices.warehouse?.kind === 'existing' ? j.choices.warehouse.id : null);
  if (wh) {
    const level = directLevel(await t.client.getWarehousePermissions(wh, t.o), sp.applicationId);
    held.push(`warehouse ${level ?? '-'}`);
    if ((level === 'CAN_USE') !== exp.warehouseUse) problems.push(`warehouse permission ${level ?? 'none'}`);
  }
  for (const [key, want] of exp.uc) {
    const [type, full] = key.split(/:(.*)/s) as ['catalog' | 'schema', string];
    const got = (await t.client.getGrants(type, full, t.o)).filter((a) => a.principal.toLowerCase() === sp.applicationId.toLowerCase()).flatMap((a) => a.privileges).sort();
    held.push(`${key} [${got.join(', ')}]`);
    if (got.join() !== [...want].sort().join()) problems.push(`${key}: [${got.join(', ')}], expected [${[...want].sort().join(', ')}]`);
  }
  for (const [key, want] of exp.hive) {
    const on = key === 'CATALOG' ? `CATALOG ${quoteIdentifier(HIVE_METASTORE)}` : `SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(key.slice('SCHEMA '.length))}`;
    const r = await t.client.executeStatement({ warehouseId: wh ?? t.warehouseId ?? '', statement: `SHOW GRANTS ${quoteIdentifier(sp.applicationId)} ON ${on}` }, t.o);
    const got = parseShowGrants(r.result?.data_array ?? [], sp.applicationId).sort();
    held.push(`hive ${key} [${got.join(', ')}]`);
    if (got.join() !== [...want].sort().join()) problems.push(`hive ${key}: [${got.join(', ')}], expected [${[...want].sort().join(', ')}]`);
  }
  return { held, problems };
}

const journeyOf = (t: Run, profile: string): Journey => {
  const j = journeys.get(t)?.get(profile);
  if (!j) throw new Error(`internal: the ${profile} journey did not connect`);
  return j;
};

function journeyChecks(profile: PermissionProfileName): CheckDef[] {
  const id = (s: string): string => `journey.${profile}.${s}`;
  const hasSp = PROFILES[profile].servicePrincipal;
  const common = { area: 'journeys' as const, emulator: 'test/emulator (every route the engine uses)' };
  const checks: CheckDef[] = [
    {
      ...common,
      id: id('connect'),
      title: `Connect a ${profile}-profile partner (manual hand-off)`,
      expected: hasSp ? 'connected: the principal, its grants and its credential (a PAT on AWS/GCP, an OAuth secret on Azure) created; the credential handed over once; the record written' : 'connected: only the record (no principal for this profile)',
      reliedOnBy: 'src/domain/connect/connect.ts connect',
      async run(t) {
        const partner = journeyPartner(t.names, profile);
        const choices = choicesFor(t, partner);
        const ctx: EngineContext = { client: t.client, extensionVersion: 'conformance', recordFolder: journeyRecordFolder(t), logger: t.log };
        const j: Journey = { partner, choices, ctx, sp: null, warehouseCreated: null, credentialIds: [], handedOver: null };
        let map = journeys.get(t);
        if (!map) journeys.set(t, (map = new Map()));
        map.set(profile, j);
        enterJourney(t, j);
        const r = await connect(ctx, partner, choices, { signal: t.signal, deliverSecretOnce: (value, meta) => void (j.handedOver = { kind: meta?.kind ?? 'pat', value }) });
        const rec = r.record;
        if (rec.servicePrincipal) j.sp = await t.client.getServicePrincipal(rec.servicePrincipal.id, t.o);
        if (rec.compute?.createdForPartner) j.warehouseCreated = rec.compute.id;
        const credential = rec.credential?.id ?? rec.tokenId;
        if (credential) j.credentialIds.push(credential);
        if (j.sp) enterOutsideGrants(t, j, j.sp);
        const kinds = r.created.map((c) => c.kind);
        const handed: { kind: string; value: string } | null = j.handedOver;
        const ok = rec.state === 'connected' && (hasSp ? !!j.sp && !!handed && !!credential : !rec.servicePrincipal && !handed);
        return outcome(ok, `created ${kinds.join(', ')}; ${handed ? `${handed.kind} handed over once (${handed.value.length} characters)` : 'no credential'}; record ${rec.state}`);
      },
    },
    {
      ...common,
      id: id('grants'),
      title: `The ${profile} principal holds exactly its profile's grants`,
      expected: 'entitlements, token and warehouse permissions, UC or Hive privileges exactly as the profile table says; the handed-over token signs in',
      reliedOnBy: 'src/domain/profiles/profiles.ts (the seed permission table)',
      after: [id('connect')],
      async run(t) {
        const j = journeyOf(t, profile);
        if (!j.sp) return passed('no service principal (profile none)');
        const { held, problems } = await grantDifferences(t, j, j.sp);
        // the credential handed over signs in as the principal
        const h = j.handedOver;
        if (h) {
          const auth: AuthConfig = h.kind === 'pat' ? { type: 'pat', token: h.value } : { type: 'oauth-m2m', clientId: j.sp.applicationId, clientSecret: h.value };
          try {
            const me = await t.clientWith(auth).me(t.o);
            if (me.userName.toLowerCase() !== j.sp.applicationId.toLowerCase()) problems.push(`the ${h.kind} signs in as ${me.userName}`);
            else held.push(`the ${h.kind} signs in`);
          } catch (e) {
            problems.push(`the ${h.kind} handed over does not sign in: ${errorText(e)}`);
          }
        }
        return outcome(problems.length === 0, problems.length ? problems.join('; ') : held.join('; '));
      },
    },
    {
      ...common,
      id: id('inspect'),
      title: `Inspect the ${profile} connection`,
      expected: 'state connected, grants checked and in sync (no drift)',
      reliedOnBy: 'src/domain/inspect/inspect.ts inspectConnection',
      after: [id('connect')],
      async run(t) {
        const j = journeyOf(t, profile);
        const i = await inspectConnection(t.client, j.partner, { recordFolder: journeyRecordFolder(t), signal: t.signal, allowWarehouseStart: true });
        const sync = i.drift.inSync || (!hasSp && i.status.state === 'connected');
        return outcome(i.status.state === 'connected' && sync, `state ${i.status.state}; ${i.drift.inSync ? 'in sync' : i.drift.repairDescription.join('; ') || 'grants not checked'}`);
      },
    },
  ];
  if (hasSp) {
    checks.push({
      ...common,
      id: id('rotate'),
      title: `Rotate the ${profile} principal's credential`,
      expected: 'a new credential of the same kind handed over and recorded; the old one deleted',
      reliedOnBy: 'src/domain/housekeeping/rotateToken.ts',
      after: [id('connect')],
      async run(t) {
        const j = journeyOf(t, profile);
        let delivered = 0;
        const r = await rotateToken(j.ctx, j.partner, { signal: t.signal, deliverSecretOnce: (v) => void (delivered = v.length) });
        j.credentialIds.push(r.newCredentialId);
        const sp = j.sp;
        const owned = !sp ? [] : r.kind === 'pat' ? tokensOf(await t.client.listTokens({}, t.o), sp).map((x) => x.token_id) : (await t.client.listServicePrincipalSecrets(sp.id, t.o)).map((x) => x.id);
        const ok = delivered > 0 && owned.length === 1 && owned[0] === r.newCredentialId && r.deletedCredentialIds.length >= 1;
        return outcome(ok, `new ${r.kind} ${r.newCredentialId} (${delivered} characters handed over, ${r.lifetimeDays} days); deleted ${r.deletedCredentialIds.join(', ') || 'none'}; the principal holds ${owned.length} credential(s) of that kind`);
      },
    });
  }
  checks.push(
    {
      ...common,
      id: id('disconnect'),
      title: `Disconnect (reset) the ${profile} partner`,
      expected: 'everything the preview listed is deleted (or already gone)',
      reliedOnBy: 'src/domain/disconnect/disconnect.ts disconnect',
      after: [id('connect')],
      async run(t) {
        const j = journeyOf(t, profile);
        const r = await disconnect(j.ctx, j.partner, 'reset', { signal: t.signal });
        const done = [...r.deleted, ...r.alreadyGone];
        if (j.sp) t.ledger.deletedByCheck('service-principal', j.sp.id);
        return passed(`deleted ${r.deleted.map((x) => x.kind).join(', ') || 'nothing'}${r.alreadyGone.length ? `; already gone ${r.alreadyGone.map((x) => x.kind).join(', ')}` : ''} (${done.length} item(s))`);
      },
    },
    {
      ...common,
      id: id('nothing-left'),
      title: `Nothing of the ${profile} connection is left`,
      expected: 'no principal, token, created warehouse, record, token or warehouse permission entry, UC or Hive grant of the principal',
      reliedOnBy: 'disconnect leaves grants and permission entries to the principal\'s deletion (real-platform facts: unverified)',
      after: [id('disconnect')],
      async run(t) {
        const j = journeyOf(t, profile);
        const left: string[] = [];
        if (j.partner.servicePrincipalName) {
          const sps = await t.client.listServicePrincipals({ filter: `displayName eq "${j.partner.servicePrincipalName}"` }, t.o);
          if (sps.length) left.push(`principal ${sps.map((s) => s.id).join(', ')}`);
        }
        const tokens = (await t.client.listTokens({}, t.o)).filter((x) => j.credentialIds.includes(x.token_id) || (j.sp && tokensOf([x], j.sp).length));
        if (tokens.length) left.push(`tokens ${tokens.map((x) => x.token_id).join(', ')}`);
        if (j.warehouseCreated && (await t.client.listWarehouses(t.o)).some((w) => w.id === j.warehouseCreated && w.state !== 'DELETED')) left.push(`warehouse ${j.warehouseCreated}`);
        if ((await t.client.readWorkspaceFile(recordPathFor(journeyRecordFolder(t), j.partner.id), t.o)) !== null) left.push('the record');
        if (j.sp) {
          const app = j.sp.applicationId;
          if (directLevel(await t.client.getTokenPermissions(t.o), app)) left.push('token permission entry');
          if (j.choices.warehouse?.kind === 'existing' && directLevel(await t.client.getWarehousePermissions(j.choices.warehouse.id, t.o), app)) left.push(`CAN_USE on warehouse ${j.choices.warehouse.id}`);
          const target = { catalog: j.choices.catalog ?? null, schemas: j.choices.schemas ?? [], isHive: j.choices.catalog === HIVE_METASTORE };
          const exp = expectedGrants(j.partner.profile, target);
          for (const key of exp.uc.keys()) {
            const [type, full] = key.split(/:(.*)/s) as ['catalog' | 'schema', string];
            const got = (await t.client.getGrants(type, full, t.o)).filter((a) => a.principal.toLowerCase() === app.toLowerCase() && a.privileges.length);
            if (got.length) left.push(`${key} [${got.flatMap((a) => a.privileges).join(', ')}]`);
          }
          for (const key of exp.hive.keys()) {
            const on = key === 'CATALOG' ? `CATALOG ${quoteIdentifier(HIVE_METASTORE)}` : `SCHEMA ${quoteIdentifier(HIVE_METASTORE)}.${quoteIdentifier(key.slice('SCHEMA '.length))}`;
            try {
              const r = await t.client.executeStatement({ warehouseId: t.warehouseId ?? '', statement: `SHOW GRANTS ${quoteIdentifier(app)} ON ${on}` }, t.o);
              const got = parseShowGrants(r.result?.data_array ?? [], app);
              if (got.length) left.push(`hive ${key} [${got.join(', ')}]`);
            } catch (e) {
              left.push(`hive ${key}: could not read (${errorText(e)})`);
            }
          }
        }
        return outcome(left.length === 0, left.length ? `left: ${left.join('; ')}` : 'nothing left');
      },
    },
  );
  return checks;
}

export const journeyChecksAll: CheckDef[] = JOURNEY_PROFILES.flatMap(journeyChecks);
