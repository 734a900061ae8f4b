/**
 * The connect form and inspect view hosts: CSP and resource roots, the zod-validated message
 * protocol, and the host's behaviour for every message (schemas, live validation with the plan,
 * connect with progress, cancellation with rollback, copy-once token, connection files, the seed's
 * default-catalog error, state kept for a reloaded webview), against the emulator.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HostToConnect } from '../../src/shared/protocol/connect';
import type { ConnectSession } from '../../src/vscode/webviews/connectPanel';
import { toInspectData } from '../../src/vscode/webviews/inspectPanel';
import { inspectConnection } from '../../src/domain';
import { adminClient, api, demoWorkspace, engineConnect, engineReset, freePartner, spByName, withPrompter } from './ui-support/env';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { waitUntil } from '../fixtures/wait';

const ws = (): string => demoWorkspace();

async function open(partnerId: string): Promise<ConnectSession> {
  const a = await api();
  const p = (await a.services.model.catalog()).require(partnerId);
  return a.services.connectPanels.open(ws(), p);
}

function close(partnerId: string): void {
  void api().then((a) => a.services.connectPanels.panel(ws(), partnerId)?.dispose());
}

/**
 * Sends a message as the webview would and waits for the first reply matching `pick`. The host answers
 * only the latest validate, and the real webview of the panel sends its own (e.g. when a schemas reply
 * reaches it): a validate of the test that such a later one replaced is sent again until answered.
 */
async function request<T extends HostToConnect>(s: ConnectSession, msg: unknown, pick: (m: HostToConnect) => m is T): Promise<T> {
  const from = s.sent.length;
  await s.receive(msg);
  const isValidate = (msg as { type?: unknown }).type === 'validate';
  let last = Date.now();
  await waitUntil(async () => {
    if (s.sent.slice(from).some(pick)) return true;
    if (isValidate && Date.now() - last > 3000) {
      last = Date.now();
      await s.receive(msg);
    }
    return false;
  }, `a reply to ${JSON.stringify(msg)}`);
  return s.sent.slice(from).find(pick) as T;
}

const isInit = (m: HostToConnect): m is Extract<HostToConnect, { type: 'init' }> => m.type === 'init';
const isValidation = (id: number) => (m: HostToConnect): m is Extract<HostToConnect, { type: 'validation' }> => m.type === 'validation' && m.requestId === id;
const isResult = (m: HostToConnect): m is Extract<HostToConnect, { type: 'result' }> => m.type === 'result';

describe('Connect form host', function () {
  this.timeout(120_000);
  const used: string[] = [];
  after(async () => {
    for (const id of used) await engineReset(id);
  });

  it('serves the form with a strict CSP, a fresh nonce and resources limited to the bundle and media', async () => {
    const id = await freePartner();
    await open(id);
    const a = await api();
    const panel = a.services.connectPanels.panel(ws(), id);
    assert.ok(panel);
    const html = panel.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'a nonce of at least 16 characters');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}" src="[^"]+/dist/webview/connect\\.js"`));
    const roots = (panel.webview.options.localResourceRoots ?? []).map((u) => u.path.replace(/\/+$/, ''));
    assert.equal(roots.length, 2);
    assert.ok(roots[0].endsWith('/dist/webview') && roots[1].endsWith('/media'), roots.join(', '));
    assert.ok(!panel.options.retainContextWhenHidden, 'state is kept with getState/setState, not retainContextWhenHidden');
    panel.dispose();
    // a second panel gets another nonce
    await open(id);
    const html2 = a.services.connectPanels.panel(ws(), id)?.webview.html ?? '';
    assert.notEqual(/nonce-([^']+)'/.exec(html2)?.[1], nonce);
    close(id);
  });

  it('answers ready with the partner, the catalogs (saying why one cannot be chosen) and the warehouses', async () => {
    const id = await freePartner();
    const s = await open(id);
    try {
      const init = await request(s, { type: 'ready' }, isInit);
      assert.equal(init.partner.id, id);
      assert.equal(init.partner.schemaSelection, 'one');
      const analytics = init.catalogs.find((c) => c.name === 'analytics');
      assert.equal(analytics?.selectable, true, 'the admin owns analytics');
      const blocked = init.catalogs.filter((c) => !c.selectable);
      assert.ok(blocked.length > 0, 'some catalogs are not selectable for a non-metastore-admin');
      for (const b of blocked) assert.ok((b.reason ?? '').length > 10, `${b.name} says why: ${b.reason}`);
      const starter = init.warehouses.find((w) => w.id === STARTER_WAREHOUSE);
      assert.equal(starter?.state, 'RUNNING');
      assert.deepEqual(init.defaults.warehouse, { mode: 'existing', id: STARTER_WAREHOUSE });
      assert.equal(init.phase, 'editing');
      assert.equal(init.workspace.user, 'ava.admin@acme.example');
    } finally {
      close(id);
    }
  });

  it('lists schemas, validates live and describes the plan; ignores malformed messages', async () => {
    const id = await freePartner();
    const s = await open(id);
    try {
      const schemas = await request(s, { type: 'loadSchemas', requestId: 9001, catalog: 'analytics' }, (m): m is Extract<HostToConnect, { type: 'schemas' }> => m.type === 'schemas' && m.requestId === 9001);
      assert.ok(schemas.schemas.includes('marketing'), schemas.schemas.join(', '));
      const missing = await request(s, { type: 'validate', requestId: 9002, form: { catalog: 'analytics', schemas: [], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isValidation(9002));
      assert.deepEqual(missing.problems.map((p) => p.field), ['schemas']);
      const ok = await request(s, { type: 'validate', requestId: 9003, form: { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isValidation(9003));
      assert.deepEqual(ok.problems, []);
      const sp = (await (await api()).services.model.catalog()).require(id).servicePrincipalName ?? '';
      assert.ok(ok.plan.some((l) => l.includes(`service principal ${sp}`)), ok.plan.join('\n'));
      assert.ok(ok.plan.some((l) => l.includes('Starter Warehouse')), 'warehouses are named in the plan');
      assert.ok(ok.plan.some((l) => /SELECT/.test(l) && /analytics\.marketing/.test(l)));
      const before = s.sent.length;
      await s.receive({ type: 'connect', form: { catalog: 42 } });
      await s.receive({ type: 'runShell', command: 'rm -rf /' });
      assert.equal(s.sent.length, before, 'nothing is done for an invalid message');
      assert.equal(await spByName(sp), undefined);
    } finally {
      close(id);
    }
  });

  it('shows the credential kind, why, and the workspace’s lifetime cap as default and maximum; refuses a longer or unreadable lifetime', async () => {
    const id = await freePartner();
    const s = await open(id);
    try {
      const init = await request(s, { type: 'ready' }, isInit);
      const conf = await adminClient().getWorkspaceConf(['maxTokenLifetimeDays']);
      const cap = Number(conf.maxTokenLifetimeDays ?? '') || 730;
      assert.equal(init.credential?.kind, 'pat');
      assert.match(init.credential?.why ?? '', /on behalf of a service principal/);
      // where the workspace refuses on-behalf-of tokens (Azure), a manual partner gets an OAuth secret; a
      // protocol partner without AUTH_OAUTH_M2M cannot take one, so nothing is promised for it
      const handoff = (await (await api()).services.model.catalog()).require(id).handoff;
      if (handoff === 'manual') assert.match(init.credential?.fallback ?? '', /OAuth secret is created instead/, 'says what happens where tokens are refused (Azure)');
      else assert.equal(init.credential?.fallback, undefined, handoff);
      assert.equal(init.credential?.maxDays, cap);
      assert.match(init.credential?.capNote ?? '', new RegExp(`at most ${cap} days`));
      assert.equal(init.defaults.credentialLifetimeDays, cap, 'the default is the cap');
      const form = { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing' as const, id: STARTER_WAREHOUSE } };
      const full = await request(s, { type: 'validate', requestId: 9201, form: { ...form, credentialLifetimeDays: cap } }, isValidation(9201));
      assert.deepEqual(full.problems, []);
      assert.ok(full.plan.some((l) => l.includes(`valid for ${cap} days (the longest this workspace allows)`)), full.plan.join('\n'));
      for (const [rid, days] of [[9202, cap + 1], [9203, 0], [9204, 1.5]] as const) {
        const v = await request(s, { type: 'validate', requestId: rid, form: { ...form, credentialLifetimeDays: days } }, isValidation(rid));
        assert.deepEqual(v.problems.map((p) => p.field), ['credentialLifetime'], `${days} days: ${JSON.stringify(v.problems)}`);
        assert.match(v.problems[0].message, new RegExp(`from 1 to ${cap}`));
      }
      const week = await request(s, { type: 'validate', requestId: 9205, form: { ...form, credentialLifetimeDays: 7 } }, isValidation(9205));
      assert.deepEqual(week.problems, []);
      assert.ok(week.plan.some((l) => /personal access token for it, valid for 7 days \(/.test(l)), week.plan.join('\n'));
    } finally {
      close(id);
    }
  });

  it('connects with progress step by step, with the lifetime chosen in the form; a reloaded webview gets the finished session back', async () => {
    const id = await freePartner();
    used.push(id);
    const s = await open(id);
    try {
      await request(s, { type: 'ready' }, isInit);
      const result = await request(s, { type: 'connect', form: { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE }, credentialLifetimeDays: 7 } }, isResult);
      assert.equal(result.result.ok, true, JSON.stringify(result.result));
      const displayName = (await (await api()).services.model.catalog()).require(id).displayName;
      const token = (await adminClient().listTokens()).find((t) => t.comment === `Partner Connect: ${displayName}`);
      assert.ok(token, 'the partner’s token exists');
      assert.equal(Number(token.expiry_time) - Number(token.creation_time), 7 * 86_400_000, 'it lives the 7 days chosen in the form');
      const progress = s.sent.filter((m): m is Extract<HostToConnect, { type: 'progress' }> => m.type === 'progress');
      const last = progress.at(-1)?.steps ?? [];
      assert.ok(last.length >= 5);
      assert.ok(last.every((st) => st.status === 'done' || st.status === 'skipped'), JSON.stringify(last));
      assert.ok(progress.some((p) => p.steps.some((st) => st.status === 'running')), 'steps were shown running');
      assert.equal(s.phase, 'done');
      const sp = (await (await api()).services.model.catalog()).require(id).servicePrincipalName ?? '';
      assert.ok(await spByName(sp), 'the principal exists in the emulator');
      const again = await request(s, { type: 'ready' }, isInit);
      assert.equal(again.phase, 'done');
      assert.deepEqual(again.result, result.result);
      assert.deepEqual(again.steps, last);
      assert.equal((await (await api()).services.model.status(ws(), id)).state, 'connected', 'the tree was refreshed');
    } finally {
      close(id);
    }
  });

  it('cancels a running connect: everything created is rolled back', async () => {
    const id = await freePartner();
    const sp = (await (await api()).services.model.catalog()).require(id).servicePrincipalName ?? '';
    const s = await open(id);
    try {
      await request(s, { type: 'ready' }, isInit);
      const sub = s.onDidPost((m) => {
        if (m.type === 'progress' && m.steps.some((st) => st.id === 'create-sp' && st.status === 'done')) void s.receive({ type: 'cancel' });
      });
      let result: Extract<HostToConnect, { type: 'result' }>;
      try {
        result = await request(s, { type: 'connect', form: { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isResult);
      } finally {
        sub.dispose();
      }
      assert.equal(s.phase, 'cancelled', JSON.stringify(result.result));
      assert.equal(result.result.ok, false);
      assert.ok(s.sent.some((m) => m.type === 'phase' && m.phase === 'cancelling'));
      assert.ok(s.steps.some((st) => st.status === 'rolled-back'), JSON.stringify(s.steps));
      assert.equal(await spByName(sp), undefined, 'the principal was removed again');
      assert.equal((await (await api()).services.model.status(ws(), id)).state, 'not-connected');
    } finally {
      close(id);
    }
  });

  it('refuses a partner without Unity Catalog support when the default catalog is not owned: the seed’s error, nothing created', async () => {
    const id = 'preset';
    const s = await open(id);
    try {
      const init = await request(s, { type: 'ready' }, isInit);
      assert.match(init.catalogNote ?? '', /only use the workspace default catalog/);
      assert.equal(init.catalogs.filter((c) => c.selectable).length, 0, 'no catalog can be chosen');
      // the form's first words say why, not "choose a catalog", and no plan is listed under an empty drop-down
      assert.equal(init.blocker?.title, 'The workspace default catalog cannot be used');
      assert.match(init.blocker?.message ?? '', /can only use the workspace default catalog/);
      assert.match(init.blocker?.message ?? '', /isn't hive_metastore and you don't own it/);
      const empty = await request(s, { type: 'validate', requestId: 9100, form: { schemas: [], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isValidation(9100));
      assert.deepEqual([empty.problems, empty.plan], [[], []], 'no field problems and no plan: the blocker says it all');
      assert.equal(empty.blocker?.title, init.blocker?.title);
      const form = { catalog: init.defaults.catalog ?? 'acme_prod', schemas: ['default'], warehouse: { mode: 'existing' as const, id: STARTER_WAREHOUSE } };
      const v = await request(s, { type: 'validate', requestId: 9101, form }, isValidation(9101));
      assert.ok(v.blocker, 'validation reports it before connecting');
      const result = await request(s, { type: 'connect', form }, isResult);
      assert.equal(result.result.ok, false);
      if (!result.result.ok) {
        assert.match(`${result.result.error.title} ${result.result.error.message}`, /default catalog/i);
        assert.ok((result.result.error.whatToDo ?? '').length > 0, 'says what to do');
      }
      assert.equal(await spByName('PRESET_USER'), undefined, 'nothing was created');
    } finally {
      close(id);
    }
  });

  it('offers a manual partner’s token exactly once, on the clipboard, never in the log', async () => {
    const a = await api();
    const id = await freePartner();
    used.push(id);
    const saved = process.env.PC_PARTNER_SIM_PARTNERS;
    process.env.PC_PARTNER_SIM_PARTNERS = 'dbt-cloud'; // every other partner hands off manually
    await a.services.model.refresh();
    try {
      const p = (await a.services.model.catalog()).require(id);
      assert.equal(p.handoff, 'manual');
      const s = a.services.connectPanels.open(ws(), p);
      await withPrompter(async (pr) => {
        await request(s, { type: 'ready' }, isInit);
        const result = await request(s, { type: 'connect', form: { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isResult);
        assert.equal(result.result.ok, true, JSON.stringify(result.result));
        if (!result.result.ok) return;
        const kinds = result.result.nextSteps.map((n) => n.kind);
        assert.ok(kinds.includes('copy-token'), kinds.join(', '));
        assert.ok(result.result.nextSteps.some((n) => /HTTP path: \/sql\/1\.0\/warehouses\//.test(n.text)));
        const done = await request(s, { type: 'nextStep', kind: 'copy-token' }, (m): m is Extract<HostToConnect, { type: 'nextStepDone' }> => m.type === 'nextStepDone');
        assert.equal(done.kind, 'token-copied');
        const token = pr.clipboard ?? '';
        assert.ok(token.length >= 8, 'a token was copied');
        const second = await request(s, { type: 'nextStep', kind: 'copy-token' }, (m): m is Extract<HostToConnect, { type: 'nextStepDone' }> => m.type === 'nextStepDone' && m.kind === 'info');
        assert.match(second.text, /already copied/);
        assert.equal(pr.of('clipboard').length, 1, 'copied once');
        assert.ok(!a.services.log.lines().join('\n').includes(token), 'the token is not in the log');
        assert.ok(!JSON.stringify(s.sent).includes(token), 'the token never went to the webview');
        // the copied token works for the service principal
        const me = await (await import('../../src/client')).createWorkspaceClient({ host: process.env.PC_EMULATOR_URL ?? '', auth: { type: 'pat', token }, env: {} }).me();
        assert.equal(me.userName, (await spByName(p.servicePrincipalName ?? ''))?.applicationId, 'the token authenticates as the partner’s principal');
      });
    } finally {
      if (saved === undefined) delete process.env.PC_PARTNER_SIM_PARTNERS;
      else process.env.PC_PARTNER_SIM_PARTNERS = saved;
      await a.services.model.refresh();
      close(id);
    }
  });

  it('saves a Power BI connection file through the save dialog', async () => {
    const a = await api();
    const id = 'power-bi';
    used.push(id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-pbids-'));
    const target = vscode.Uri.file(path.join(dir, 'acme.pbids'));
    const p = (await a.services.model.catalog()).require(id);
    const s = a.services.connectPanels.open(ws(), p);
    try {
      await withPrompter(async (pr) => {
        pr.answer('connectionFile', target);
        const init = await request(s, { type: 'ready' }, isInit);
        assert.equal(init.partner.needsServicePrincipal, false);
        // Power BI users pick the catalog and schema the file opens on: any catalog they may read (it signs in as them)
        assert.equal(init.desktopDefaults, true);
        const main = init.catalogs.find((c) => c.name === 'main');
        assert.equal(main?.selectable, true, 'a catalog the admin does not own is fine: nothing is granted, Power BI signs in as the user');
        assert.equal(init.defaults.catalog, undefined, 'no catalog is forced on the file');
        const form = { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing' as const, id: STARTER_WAREHOUSE } };
        const v = await request(s, { type: 'validate', requestId: 9300, form }, isValidation(9300));
        assert.deepEqual(v.problems, []);
        assert.ok(v.plan.some((l) => /Power BI Desktop connection file \(\.pbids\) with the server hostname, HTTP path, catalog and schema/.test(l)), v.plan.join('\n'));
        const wrong = await request(s, { type: 'validate', requestId: 9301, form: { ...form, schemas: ['no_such_schema'] } }, isValidation(9301));
        assert.ok(wrong.problems.some((pr) => pr.field === 'schemas'), 'a schema that does not exist is reported');
        const result = await request(s, { type: 'connect', form }, isResult);
        assert.equal(result.result.ok, true, JSON.stringify(result.result));
        if (result.result.ok) {
          assert.ok(result.result.nextSteps.some((n) => n.kind === 'save-file'));
          assert.ok(result.result.nextSteps.some((n) => /Catalog: analytics · schemas: marketing/.test(n.text)), JSON.stringify(result.result.nextSteps));
          assert.ok(!result.result.nextSteps.some((n) => /JDBC/.test(n.text)), 'only what the file holds');
        }
        await request(s, { type: 'nextStep', kind: 'save-file' }, (m): m is Extract<HostToConnect, { type: 'nextStepDone' }> => m.type === 'nextStepDone' && m.kind === 'file-saved');
        const saved = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as { connections: Array<{ details: { protocol: string; address: { host: string; path: string } }; options: Record<string, string> }> };
        assert.equal(saved.connections[0].details.protocol, 'databricks');
        assert.match(saved.connections[0].details.address.path, new RegExp(STARTER_WAREHOUSE));
        assert.deepEqual(saved.connections[0].options, { Catalog: 'analytics', Database: 'marketing' }, 'the Databricks connector’s Catalog and Database options');
        assert.equal((await a.services.model.status(ws(), id)).record?.catalog, 'analytics', 'the record keeps the catalog');
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      close(id);
    }
  });
});

describe('Connect form: what a first-time admin sees', function () {
  this.timeout(120_000);

  it('a concurrent connect gets one clear message (who, when, what to do), the same in the form and as the result', async () => {
    const a = await api();
    const id = await freePartner();
    const p = (await a.services.model.catalog()).require(id);
    const { serializeRecord, recordPathFor } = await import('../../src/domain');
    const path = recordPathFor(a.services.model.recordFolder(), id);
    // five minutes ago: still running (older than 30 minutes it would be offered for taking over)
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    const record = {
      schemaVersion: 1 as const,
      partner: id,
      partnerName: p.displayName,
      state: 'connecting' as const,
      attemptId: 'another-admins-attempt',
      servicePrincipal: null,
      tokenId: null,
      compute: null,
      catalog: 'analytics',
      schemas: ['marketing'],
      isHive: false,
      connectionId: null,
      connectedBy: 'mia.meta@acme.example',
      partnerAccountAdministrator: null,
      connectedAt: since,
      extensionVersion: '0.1.0',
    };
    await adminClient().writeWorkspaceFile(path, serializeRecord(record), { overwrite: true });
    await a.services.model.refresh(ws());
    const s = a.services.connectPanels.open(ws(), p);
    try {
      const init = await request(s, { type: 'ready' }, isInit);
      const b = init.blocker;
      assert.equal(b?.title, `mia.meta@acme.example is already connecting ${p.displayName}`);
      assert.match(b?.message ?? '', /started connecting .* at .*\d{4}.* and that connect has not finished\. Nothing was created by this attempt\./);
      assert.doesNotMatch(`${b?.title} ${b?.message} ${b?.whatToDo}`, /fix the problems|\d{4}-\d\d-\d\dT/i, 'not a form problem; a localized time');
      assert.match(b?.whatToDo ?? '', /Wait for it to finish, then refresh/);
      const form = { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing' as const, id: STARTER_WAREHOUSE } };
      const v = await request(s, { type: 'validate', requestId: 9400, form }, isValidation(9400));
      assert.deepEqual(v.blocker, b, 'pre-flight says the same');
      assert.deepEqual([v.problems, v.plan], [[], []]);
      const result = await request(s, { type: 'connect', form }, isResult);
      assert.equal(result.result.ok, false);
      if (!result.result.ok) assert.deepEqual(result.result.error, b, 'the connect itself says the same, once');
      assert.ok(!s.sent.some((m) => m.type === 'validation' && m.problems.some((pr) => /connecting/.test(pr.message))), 'never as a field problem');
    } finally {
      await adminClient().deleteWorkspaceFile(path).catch(() => undefined);
      close(id);
      await a.services.model.refresh(ws());
    }
  });

  it('a non-admin is refused up front: the form’s first words, no plan, no Connect', async () => {
    const a = await api();
    const host = process.env.PC_EMULATOR_URL ?? '';
    const name = 'Non-admin form';
    await a.services.store.add({ name, host, authType: 'pat' }, { token: (await import('./ui-support/env')).seedToken('noah.user@acme.example') }, { session: true });
    try {
      const p = (await a.services.model.catalog()).require('hex');
      const s = a.services.connectPanels.open(name, p);
      const init = await request(s, { type: 'ready' }, isInit);
      assert.equal(init.blocker?.title, 'Workspace admin role needed');
      assert.match(init.blocker?.message ?? '', /noah\.user@acme\.example is not a workspace admin/);
      const v = await request(s, { type: 'validate', requestId: 9500, form: { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isValidation(9500));
      assert.deepEqual([v.plan, v.problems], [[], []], 'no plan for a connect that cannot happen');
      assert.equal(v.blocker?.title, 'Workspace admin role needed');
      a.services.connectPanels.panel(name, 'hex')?.dispose();
    } finally {
      await a.services.store.remove(name);
      await a.services.model.forget(name);
    }
  });

  it('speaks the admin’s language: badges, what this partner gets, no internal words; a warehouse name is proposed; missing choices are hints until touched', async () => {
    const id = await freePartner();
    const s = await open(id);
    try {
      const init = await request(s, { type: 'ready' }, isInit);
      assert.equal(init.partner.access, 'reads one schema');
      assert.match(init.partner.description, new RegExp(`^${init.partner.name} gets a service principal`));
      assert.doesNotMatch(JSON.stringify(init.partner), /profile|compute, unityCatalog|signInStyle/);
      assert.equal(init.proposedWarehouseName, `${init.partner.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_ENDPOINT`);
      const v = await request(s, { type: 'validate', requestId: 9600, form: { catalog: 'analytics', schemas: [], warehouse: { mode: 'existing', id: STARTER_WAREHOUSE } } }, isValidation(9600));
      assert.deepEqual(v.problems.map((pr) => [pr.field, pr.required]), [['schemas', true]], 'a missing schema is a hint until the field is touched');
      const dbt = (await (await api()).services.model.catalog()).require('dbt-cloud');
      const d = (await api()).services.connectPanels.open(ws(), dbt);
      const dInit = await request(d, { type: 'ready' }, isInit);
      assert.equal(dInit.proposedWarehouseName, 'DBT_CLOUD_ENDPOINT', 'dbt Cloud proposes a name for a new warehouse too');
      assert.equal(dInit.partner.access, 'writes to a catalog');
      assert.ok(dInit.partner.inferredNote === undefined || !/compute|unityCatalog|signInStyle|handoff/.test(dInit.partner.inferredNote));
      const preset = (await (await api()).services.model.catalog()).require('thoughtspot');
      const t = (await api()).services.connectPanels.open(ws(), preset);
      const tInit = await request(t, { type: 'ready' }, isInit);
      assert.match(tInit.partner.inferredNote ?? '', /^Not documented by Databricks for this partner, so assumed by this extension: .*whether it supports Unity Catalog/);
      close('dbt-cloud');
      close('thoughtspot');
    } finally {
      close(id);
    }
  });

  it('Labelbox’s result delivers what its plan promised; results name resources without internal ids', async () => {
    const a = await api();
    const saved = process.env.PC_PARTNER_SIM_PARTNERS;
    process.env.PC_PARTNER_SIM_PARTNERS = 'dbt-cloud';
    await a.services.model.refresh();
    const id = (await freePartner(['labelbox', 'privacera', 'immuta'])) as string;
    try {
      const p = (await a.services.model.catalog()).require(id);
      const s = a.services.connectPanels.open(ws(), p);
      await request(s, { type: 'ready' }, isInit);
      const v = await request(s, { type: 'validate', requestId: 9700, form: { schemas: [] } }, isValidation(9700));
      const promise = v.plan.find((l) => l.startsWith('Show the connection details')) ?? '';
      assert.equal(promise, 'Show the connection details (server hostname and service principal) and let you copy its credential exactly once.');
      const result = await request(s, { type: 'connect', form: { schemas: [] } }, isResult);
      assert.equal(result.result.ok, true, JSON.stringify(result.result));
      if (!result.result.ok) return;
      const texts = result.result.nextSteps.map((n) => n.text);
      assert.ok(texts.some((x) => x.startsWith('Server hostname: ')), texts.join(' | '));
      assert.ok(texts.some((x) => x === `Service principal: ${p.servicePrincipalName}`), texts.join(' | '));
      assert.ok(result.result.nextSteps.some((n) => n.kind === 'copy-token'));
      assert.ok(!texts.some((x) => /HTTP path|JDBC|Catalog/.test(x)), 'nothing the plan did not promise');
      for (const r of result.result.resources) assert.doesNotMatch(r, /USE_CATALOG|CREATE_SCHEMA|USE_SCHEMA|CAN_USE|[a-z]+-grant:|\((catalog|schema):/, r);
      await engineReset(id);
    } finally {
      if (saved === undefined) delete process.env.PC_PARTNER_SIM_PARTNERS;
      else process.env.PC_PARTNER_SIM_PARTNERS = saved;
      await a.services.model.refresh();
      close(id);
    }
  });
});

describe('Inspect view host', function () {
  this.timeout(120_000);
  let id = '';
  before(async () => {
    id = await freePartner();
    await engineConnect(id);
  });
  after(async () => {
    await engineReset(id);
    (await api()).services.inspectPanels.dispose();
  });

  it('shows everything inspect returns, opens only the workspace’s own pages, and repairs drift', async () => {
    const a = await api();
    const p = (await a.services.model.catalog()).require(id);
    const s = a.services.inspectPanels.open(ws(), p);
    await waitUntil(() => s.sent.some((m) => m.type === 'data'), 'inspect data');
    const first = s.sent.find((m) => m.type === 'data');
    assert.ok(first && first.type === 'data');
    const d = first.data;
    assert.equal(d.state.kind, 'connected');
    assert.equal(d.servicePrincipal?.displayName, p.servicePrincipalName);
    assert.equal(d.tokens.length, 1);
    assert.equal(d.credentialKind, 'pat', 'the rotate button says Rotate Token…');
    assert.equal(first.strings.rotate, 'Rotate Token…');
    assert.equal(first.strings.rotateSecret, 'Rotate OAuth Secret…');
    // the same connection holding an OAuth secret (as on Azure): the button names the secret
    const i = await inspectConnection(await a.services.model.client(ws()), p);
    const secret = { kind: 'oauth-secret' as const, id: 'sec-1', expiresAt: null, lifetimeDays: 730 };
    const asSecret = toInspectData(ws(), d.workspace.host, { ...i, credentials: i.credentials.map((c) => ({ ...c, kind: 'oauth-secret' as const })), record: i.record && { ...i.record, tokenId: null, credential: secret } });
    assert.equal(asSecret.credentialKind, 'oauth-secret');
    assert.match(d.tokens[0].expires, /^never$|\d{4}/, d.tokens[0].expires);
    assert.doesNotMatch(d.tokens[0].created, /\d{4}-\d{2}-\d{2}T/, 'a localized time, not ISO');
    assert.ok(d.grants.some((g) => g.securable === 'catalog analytics' && g.privileges.includes('USE_CATALOG')), JSON.stringify(d.grants));
    assert.ok(d.compute.some((r) => r.href?.endsWith(`/sql/warehouses/${STARTER_WAREHOUSE}`)));
    assert.ok(d.record.some((r) => r.label === 'Connected by' && r.value === 'ava.admin@acme.example'));
    assert.equal(d.drift.items.length, 0);

    await withPrompter(async (pr) => {
      await s.receive({ type: 'openLink', href: 'https://evil.example/phish' });
      await s.receive({ type: 'openLink', href: d.servicePrincipal?.url ?? '' });
      assert.deepEqual(pr.of('open').map((o) => o.url), [d.servicePrincipal?.url]);

      // drift, then Repair from the view
      await adminClient().updateGrants('schema', 'analytics.marketing', [{ principal: d.servicePrincipal?.applicationId ?? '', remove: ['USE_SCHEMA'] }]);
      const n = s.sent.length;
      await s.receive({ type: 'refresh' });
      await waitUntil(() => s.sent.slice(n).some((m) => m.type === 'data'), 'refreshed data');
      const drifted = s.sent.slice(n).find((m) => m.type === 'data');
      assert.ok(drifted && drifted.type === 'data');
      assert.equal(drifted.data.drift.canRepair, true);
      assert.ok(drifted.data.drift.items.some((i) => i.kind === 'missing' && /USE SCHEMA/.test(i.text)), JSON.stringify(drifted.data.drift));
      pr.answer('repair', true);
      const m = s.sent.length;
      await s.receive({ type: 'repair' });
      const res = s.sent.slice(m).find((x) => x.type === 'repairResult');
      assert.ok(res && res.type === 'repairResult' && res.ok, JSON.stringify(res));
      const after = s.sent.slice(m).filter((x) => x.type === 'data').at(-1);
      assert.ok(after && after.type === 'data');
      assert.equal(after.data.drift.items.length, 0, 'no drift after the repair');
    });
  });
});

describe('Connect form and inspect as a non-admin (user mode)', function () {
  this.timeout(120_000);
  const NOAH = 'noah.user@acme.example';
  const MIA = 'mia.meta@acme.example';
  const asNoah = 'As a non-admin (noah)';
  const asMia = 'As a non-admin (mia)';
  const name = 'Self-Service Simulator';
  let file = '';
  let partner: import('../../src/domain').CatalogPartner | undefined;
  const config = vscode.workspace.getConfiguration('partnerConnect');

  before(async () => {
    const a = await api();
    const { requireEnv, seedToken } = await import('./ui-support/env');
    // a PartnerConfig of the partner simulator that lets non-admins connect (supported_features NON_ADMIN)
    const base = JSON.parse(fs.readFileSync(requireEnv('PC_PARTNER_SIM_CONFIG'), 'utf8')) as Record<string, unknown>;
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pc-nonadmin-')), 'self-service.partner-config.json');
    fs.writeFileSync(file, JSON.stringify({ ...base, name, supported_features: ['NON_ADMIN'] }), { mode: 0o600 });
    await config.update('partnerConfigFiles', [file], vscode.ConfigurationTarget.Global);
    await waitUntil(async () => (await a.services.model.catalog()).partners.some((p) => p.displayName === name), 'the NON_ADMIN partner in the catalog');
    partner = (await a.services.model.catalog()).partners.find((p) => p.displayName === name);
    assert.equal(partner?.nonAdmin, true);
    await a.services.store.setPartnerCredential(partner.id, { username: requireEnv('PC_PARTNER_SIM_USERNAME'), password: requireEnv('PC_PARTNER_SIM_PASSWORD') });
    const host = requireEnv('PC_EMULATOR_URL');
    await a.services.store.add({ name: asNoah, host, authType: 'pat' }, { token: seedToken(NOAH) }, { session: true });
    await a.services.store.add({ name: asMia, host, authType: 'pat' }, { token: seedToken(MIA) }, { session: true });
  });
  after(async () => {
    const a = await api();
    for (const ws of [asNoah, asMia]) {
      if (partner) a.services.connectPanels.panel(ws, partner.id)?.dispose();
      await a.services.store.remove(ws);
      await a.services.model.forget(ws);
    }
    a.services.connectPanels.panel(asNoah, 'hex')?.dispose();
    a.services.inspectPanels.dispose();
    await config.update('partnerConfigFiles', undefined, vscode.ConfigurationTarget.Global);
    if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  const form = { catalog: 'analytics', schemas: ['marketing'], warehouse: { mode: 'existing' as const, id: STARTER_WAREHOUSE } };

  it('offers a non-admin only what they may connect: a NON_ADMIN partner as themselves (no principal, their own token, the cap they cannot read said so); the others refused naming the admin role; without CAN USE on tokens, the refusal names it', async () => {
    const a = await api();
    assert.ok(partner);
    const s = a.services.connectPanels.open(asNoah, partner);
    const init = await request(s, { type: 'ready' }, isInit);
    assert.equal(init.blocker, undefined, 'a NON_ADMIN partner is not refused up front');
    assert.equal(init.workspace.user, NOAH);
    assert.equal(init.partner.needsServicePrincipal, false, 'no service principal for a connection that acts as the user');
    assert.match(init.partner.description, /not a workspace admin .* allows non-admins: the connection acts as you/);
    assert.equal(init.credential?.kind, 'pat');
    assert.equal(init.credential?.actsAsUser, true);
    assert.equal(init.credential?.maxDays, 730);
    assert.match(init.credential?.capNote ?? '', /could not be read/, 'the workspace limit a non-admin cannot read is said so');
    // noah has no CAN USE on tokens in the seed: the refusal names what is missing, and there is nothing to connect
    const v = await request(s, { type: 'validate', requestId: 9800, form }, isValidation(9800));
    const problems = v.problems.map((p) => p.message).join(' | ');
    assert.match(problems, /CAN USE on tokens/, problems);
    // a partner that needs an admin: refused up front, naming the role and what it would create
    const hex = (await a.services.model.catalog()).require('hex');
    const h = a.services.connectPanels.open(asNoah, hex);
    const hInit = await request(h, { type: 'ready' }, isInit);
    assert.equal(hInit.blocker?.title, 'Workspace admin role needed');
    assert.match(hInit.blocker?.message ?? '', /noah\.user@acme\.example is not a workspace admin: connecting Hex needs one \(creating the service principal HEX_USER/);
  });

  it('a non-admin with CAN USE on tokens connects it from the form with their own token; inspect shows their token (kind, id, expiry), that the connection acts as them and no service principal; disconnect removes it', async () => {
    const a = await api();
    assert.ok(partner);
    await adminClient().patchTokenPermissions([{ user_name: MIA, permission_level: 'CAN_USE' }]);
    const s = a.services.connectPanels.open(asMia, partner);
    await request(s, { type: 'ready' }, isInit);
    const v = await request(s, { type: 'validate', requestId: 9810, form: { ...form, credentialLifetimeDays: 30 } }, isValidation(9810));
    assert.deepEqual(v.problems, []);
    assert.ok(v.plan.some((l) => /^Create a personal access token of yours\b.*30 days/.test(l)), v.plan.join(' | '));
    assert.ok(!v.plan.some((l) => /^(Create the service principal|Grant|Give it)/.test(l)), `no principal or grant in the plan: ${v.plan.join(' | ')}`);
    const result = await request(s, { type: 'connect', form: { ...form, credentialLifetimeDays: 30 } }, isResult);
    assert.equal(result.result.ok, true, JSON.stringify(result.result));
    try {
      const i = a.services.inspectPanels.open(asMia, partner);
      await waitUntil(() => i.sent.some((m) => m.type === 'data'), 'inspect data');
      const first = i.sent.find((m) => m.type === 'data');
      assert.ok(first && first.type === 'data');
      const d = first.data;
      assert.equal(d.state.kind, 'connected');
      assert.equal(d.servicePrincipal, undefined);
      assert.match(d.actsAsUser ?? '', /acts as mia\.meta@acme\.example, with their own personal access token/);
      assert.equal(d.tokens.length, 1);
      assert.match(d.tokens[0].comment, /^personal access token · Partner Connect: Self-Service Simulator/);
      assert.match(d.tokens[0].expires, /\d{4}/, 'an expiry date, not "never"');
      assert.equal(d.tokens[0].creator, MIA);
      assert.deepEqual([d.grants, d.permissions, d.drift.items], [[], [], []]);
      assert.ok(d.record.some((r) => r.label === 'Connected by' && r.value === MIA));
    } finally {
      const { disconnect } = await import('../../src/domain');
      await disconnect(await a.services.model.engineContext(asMia), partner, 'reset', { partnerCredentials: await a.services.store.getPartnerCredential(partner.id) });
    }
    const own = await (await a.services.model.client(asMia)).listOwnTokens();
    assert.deepEqual(own.filter((t) => t.comment === `Partner Connect: ${name}`), [], 'their token is deleted');
  });
});
