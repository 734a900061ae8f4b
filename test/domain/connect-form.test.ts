/**
 * The connect form's rules (src/domain/connect/form.ts), without VS Code and without requests:
 * conversion to choices, local checks, defaults, the plan's options and words, what blocks a connect.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  alreadyConnected,
  buildPlan,
  describePlan,
  formDefaults,
  formPlanOptions,
  formProblems,
  formToChoices,
  initialProblems,
  lifetimeProblem,
  loadBuiltinCatalog,
  offersCatalog,
  withWarehouseNames,
  type ConnectFormOptions,
  type ConnectFormValues,
  type PartnerStatus,
  type WarehouseTypeOffer,
} from '../../src/domain';

const catalog = loadBuiltinCatalog();
const hex = catalog.require('hex'); // read: one schema, an existing warehouse
const dbt = catalog.require('dbt-cloud'); // write: a catalog, no schema
const dataiku = catalog.require('dataiku'); // several schemas, creates a warehouse
const powerBi = catalog.require('power-bi'); // desktop file: no service principal
const fivetran = catalog.require('fivetran'); // no data grants

const options = (o: Partial<ConnectFormOptions> = {}): ConnectFormOptions => ({
  credential: { kind: 'pat', why: 'on behalf of the service principal', fallbackToSecret: true, cap: { maxDays: 90, source: 'admin' }, capWords: 'at most 90 days' },
  warehouseTypes: null,
  ...o,
});
const offer: WarehouseTypeOffer = { offered: ['serverless', 'pro'], preferred: 'serverless', notOffered: [], support: { byType: { serverless: 'unknown', pro: 'unknown', classic: 'unavailable' }, source: 'config' } };
const form = (v: Partial<ConnectFormValues> = {}): ConnectFormValues => ({ schemas: [], ...v });
const fields = (ps: { field: string }[]): string[] => ps.map((p) => p.field);

describe('formToChoices', () => {
  it('an existing warehouse, a catalog and the typed lifetime', () => {
    assert.deepEqual(formToChoices(form({ catalog: 'main', schemas: ['sales'], warehouse: { mode: 'existing', id: 'w1' }, credentialLifetimeDays: 30 })), {
      catalog: 'main',
      isHive: false,
      schemas: ['sales'],
      warehouse: { kind: 'existing', id: 'w1' },
      destinationLocation: undefined,
      credentialLifetimeDays: 30,
    });
  });
  it('a new warehouse: the name trimmed, the type only when chosen; hive_metastore is Hive; no lifetime = none asked', () => {
    const c = formToChoices(form({ catalog: 'hive_metastore', warehouse: { mode: 'new', name: '  NEW_WH ' } }));
    assert.deepEqual(c.warehouse, { kind: 'create', name: 'NEW_WH' });
    assert.equal(c.isHive, true);
    assert.ok(!('credentialLifetimeDays' in c));
    assert.deepEqual(formToChoices(form({ warehouse: { mode: 'new', name: 'X', type: 'pro' } })).warehouse, { kind: 'create', name: 'X', type: 'pro' });
    assert.deepEqual(formToChoices(form()), { catalog: null, isHive: false, schemas: [], warehouse: undefined, destinationLocation: undefined });
  });
});

describe('local checks', () => {
  it('the lifetime: a whole number from 1 to the cap, nothing to check without a value or a cap', () => {
    assert.equal(lifetimeProblem(undefined, 90), null);
    assert.equal(lifetimeProblem(30, undefined), null);
    assert.equal(lifetimeProblem(90, 90), null);
    for (const bad of [0, 91, 1.5]) assert.match(lifetimeProblem(bad, 90)?.message ?? '', /whole number of days from 1 to 90/, String(bad));
  });

  it('an empty form says what is still needed, as hints (required) until touched', () => {
    const ps = formProblems(hex, form(), { catalogs: [{ name: 'main', isDefault: true, selectable: true }] });
    assert.deepEqual(fields(ps), ['catalog', 'schemas', 'warehouse']);
    assert.ok(ps.every((p) => p.required === true));
    assert.match(ps[1].message, /Choose the schema Hex may read/);
  });

  it('a complete form has no problem; no catalog field means no catalog problem', () => {
    assert.deepEqual(formProblems(hex, form({ catalog: 'main', schemas: ['s'], warehouse: { mode: 'existing', id: 'w' } }), { catalogs: [{ name: 'main', isDefault: true, selectable: true }] }), []);
    assert.deepEqual(fields(formProblems(hex, form({ schemas: ['s'], warehouse: { mode: 'existing', id: 'w' } }), { catalogs: [] })), []);
  });

  it('too many schemas, a nameless or too long new warehouse, a lifetime over the cap, a destination that is no URL', () => {
    const ps = formProblems(hex, form({ catalog: 'main', schemas: ['a', 'b'], warehouse: { mode: 'new', name: 'x'.repeat(100) }, credentialLifetimeDays: 91, destinationLocation: 'bucket' }), {
      catalogs: [{ name: 'main', isDefault: true, selectable: true }],
      maxLifetimeDays: 90,
    });
    assert.deepEqual(fields(ps), ['credentialLifetime', 'schemas', 'warehouse', 'destinationLocation']);
    assert.ok(ps.every((p) => p.required === undefined));
    assert.match(ps[1].message, /Hex reads exactly one schema/);
    assert.match(ps[2].message, /fewer than 100 characters/);
    assert.equal(formProblems(dataiku, form({ warehouse: { mode: 'new', name: '   ' } }), { catalogs: [] }).find((p) => p.field === 'warehouse')?.message, 'Give the new SQL warehouse a name.');
    assert.deepEqual(formProblems(fivetran, form({ warehouse: { mode: 'existing', id: 'w' }, destinationLocation: 's3://bucket/path' }), { catalogs: [] }), []);
  });

  it('no catalog may be chosen: the form says why (and that nothing was created) instead of "choose one"; a chosen catalog that may not be, first', () => {
    const catalogs = [{ name: 'main', isDefault: true, selectable: false, reason: 'You do not own the default catalog main.' }];
    const [p] = formProblems(dbt, form({ warehouse: { mode: 'existing', id: 'w' } }), { catalogs });
    assert.deepEqual(p, { field: 'catalog', message: 'You do not own the default catalog main. Nothing was created.' });
    const chosen = formProblems(dbt, form({ catalog: 'other', warehouse: { mode: 'existing', id: 'w' } }), { catalogs: [{ name: 'other', isDefault: false, selectable: false, reason: 'not yours' }] });
    assert.deepEqual(chosen[0], { field: 'catalog', message: 'not yours' });
  });
});

describe('formDefaults', () => {
  const catalogs = [
    { name: 'other', isDefault: false, allowed: true },
    { name: 'main', isDefault: true, allowed: true },
  ];
  it('the default catalog, a running warehouse, the longest lifetime', () => {
    const d = formDefaults(hex, { catalogs, warehouses: [{ id: 'w1', state: 'STOPPED' }, { id: 'w2', state: 'RUNNING' }], asUser: false, options: options() });
    assert.deepEqual(d.defaults, { catalog: 'main', schemas: [], warehouse: { mode: 'existing', id: 'w2' }, credentialLifetimeDays: 90 });
    assert.equal(d.proposedWarehouseName, 'HEX_ENDPOINT');
  });
  it('the first allowed catalog when the default may not be chosen; the first warehouse when none runs; a new one when there is none', () => {
    const d = formDefaults(hex, { catalogs: [{ name: 'main', isDefault: true, allowed: false }, ...catalogs.slice(0, 1)], warehouses: [{ id: 'w1', state: 'STOPPED' }], asUser: false, options: options() });
    assert.equal(d.defaults.catalog, 'other');
    assert.deepEqual(d.defaults.warehouse, { mode: 'existing', id: 'w1' });
    assert.deepEqual(formDefaults(hex, { catalogs, warehouses: [], asUser: false, options: options() }).defaults.warehouse, { mode: 'new', name: 'HEX_ENDPOINT' });
  });
  it('a create-warehouse partner proposes a new warehouse of the preferred type (not when acting as the user)', () => {
    const o = options({ warehouseTypes: offer });
    assert.deepEqual(formDefaults(dataiku, { catalogs, warehouses: [{ id: 'w', state: 'RUNNING' }], asUser: false, options: o }).defaults.warehouse, { mode: 'new', name: 'DATAIKU_ENDPOINT', type: 'serverless' });
    assert.deepEqual(formDefaults(dataiku, { catalogs, warehouses: [{ id: 'w', state: 'RUNNING' }], asUser: true, options: o }).defaults.warehouse, { mode: 'existing', id: 'w' });
  });
  it('a desktop file starts without a catalog; no credential, no lifetime', () => {
    const d = formDefaults(powerBi, { catalogs, warehouses: [], asUser: false, options: options({ credential: null }) });
    assert.equal(d.defaults.catalog, undefined);
    assert.ok(!('credentialLifetimeDays' in d.defaults));
    assert.equal(offersCatalog(powerBi), true);
    assert.equal(offersCatalog(fivetran), false);
  });
});

describe('the plan the form shows', () => {
  const base = { latestPreflight: undefined, formOptions: options({ warehouseTypes: offer }), actsAsUser: false, user: 'ava@example.com', recordFolder: '/.partner-connect' };
  it('before a pre-flight: the credential and type the form was opened with', () => {
    const o = formPlanOptions(formToChoices(form({ warehouse: { mode: 'new', name: 'WH' } })), base);
    assert.deepEqual(o, {
      recordFolder: '/.partner-connect',
      credential: { kind: 'pat', maxLifetimeDays: 90, fallbackToSecret: true, why: 'on behalf of the service principal', cap: { maxDays: 90, source: 'admin' } },
      warehouseType: { type: 'serverless', fallback: ['pro'] },
    });
  });
  it('after a pre-flight: what it worked out, unless another type is chosen now; acting as the user: their own folder', () => {
    const latestPreflight = {
      credential: { kind: 'oauth-secret' as const, maxLifetimeDays: 30, fallbackToSecret: false, why: 'OAuth', cap: { maxDays: 30, source: 'admin' as const }, lifetimeDays: 30 },
      warehouseType: { type: 'pro' as const, fallback: [], offer },
    };
    const o = formPlanOptions(formToChoices(form({ warehouse: { mode: 'new', name: 'WH', type: 'pro' } })), { ...base, latestPreflight });
    assert.deepEqual([o.credential, o.warehouseType], [{ kind: 'oauth-secret', maxLifetimeDays: 30, fallbackToSecret: false, why: 'OAuth', cap: { maxDays: 30, source: 'admin' } }, { type: 'pro', fallback: [] }]);
    const other = formPlanOptions(formToChoices(form({ warehouse: { mode: 'new', name: 'WH', type: 'serverless' } })), { ...base, latestPreflight });
    assert.deepEqual(other.warehouseType, { type: 'serverless', fallback: ['pro'] });
    const asUser = formPlanOptions(formToChoices(form()), { ...base, actsAsUser: true });
    assert.equal(asUser.recordFolder, '/Users/ava@example.com/.partner-connect');
    assert.equal(asUser.actingAsUser, true);
  });
  it('the plan names warehouses by name and id', () => {
    const lines = describePlan(buildPlan(hex, formToChoices(form({ catalog: 'main', schemas: ['s'], warehouse: { mode: 'existing', id: 'w9' } }))));
    const named = withWarehouseNames(lines, [{ id: 'w9', name: 'Shared' }]);
    assert.ok(named.some((l) => l.includes('SQL warehouse Shared (w9)')), named.join('\n'));
    assert.ok(!named.some((l) => l.includes('SQL warehouse w9')));
  });
});

describe('what blocks a connect before any request', () => {
  const admin = { userName: 'ava@example.com', isWorkspaceAdmin: true };
  const allowed = [{ isDefault: true, allowed: true, reason: null }];
  it('nothing for an admin with a catalog', () => {
    assert.deepEqual(initialProblems(hex, { workspace: 'prod', identity: admin, status: undefined, catalogs: allowed }), []);
  });
  it('not an admin; no catalog may be chosen (with the reason)', () => {
    const ps = initialProblems(hex, { workspace: 'prod', identity: { userName: 'bo@example.com', isWorkspaceAdmin: false }, status: undefined, catalogs: [{ isDefault: true, allowed: false, reason: 'not owned' }] });
    assert.deepEqual(
      ps.map((p) => [p.code, p.message]),
      [
        [
          'not-workspace-admin',
          'bo@example.com is not a workspace admin: connecting Hex needs one (creating the service principal HEX_USER and its credential, giving it CAN USE on tokens, granting it data access). Ask a workspace admin to connect it, or to add you to the admins group.',
        ],
        ['default-catalog-not-owned', 'not owned'],
      ],
    );
  });
  it('a non-admin is not refused up front for a NON_ADMIN partner (the connection acts as them), as the engine allows', () => {
    const bo = { userName: 'bo@example.com', isWorkspaceAdmin: false };
    assert.deepEqual(initialProblems({ ...hex, nonAdmin: true }, { workspace: 'prod', identity: bo, status: undefined, catalogs: allowed }), []);
  });
  it('connected outside, or a check mark whose principal is gone; connected counts, an interrupted connect does not', () => {
    const outside = { partnerId: 'hex', state: 'connected-outside', servicePrincipal: { displayName: 'HEX_USER' } } as unknown as PartnerStatus;
    assert.match(initialProblems(hex, { workspace: 'prod', identity: admin, status: outside, catalogs: allowed })[0]?.message ?? '', /HEX_USER exists in this workspace without a connection record/);
    assert.equal(alreadyConnected({ state: 'connected' } as unknown as PartnerStatus), true);
    assert.equal(alreadyConnected({ state: 'degraded', reasons: [{ code: 'connect-incomplete' }] } as unknown as PartnerStatus), false);
    assert.equal(alreadyConnected({ state: 'degraded', reasons: [{ code: 'missing-grants' }] } as unknown as PartnerStatus), true);
    assert.equal(alreadyConnected(undefined), false);
  });
});
