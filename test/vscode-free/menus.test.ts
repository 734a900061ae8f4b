/**
 * The `when` clauses of the manifest's menus against the contextValues the tree produces for each
 * engine state: only the entries that make sense in a state are offered.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { partnerContextValue } from '../../src/vscode/tree/presentation';
import { INSPECT_STRINGS } from '../../src/shared/protocol/inspect';
import { CONNECT_STRINGS } from '../../src/shared/protocol/connect';
import { BULK_STRINGS } from '../../src/shared/protocol/bulk';
import { MATRIX_STRINGS } from '../../src/shared/protocol/matrix';
import { evaluateWhen, type Context } from './whenClause';
import { degradedWithDrift, status } from './fixtures';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string; title: string; category?: string }>; menus: Record<string, MenuItem[]> };
};
const itemMenu = manifest.contributes.menus['view/item/context'];

function visible(viewItem: string, extra: Context = {}): { inline: string[]; menu: string[] } {
  const ctx: Context = { view: 'partnerConnect.partners', viewItem, ...extra };
  const shown = itemMenu.filter((m) => evaluateWhen(m.when ?? 'true', ctx));
  const short = (c: string) => c.replace('partnerConnect.', '');
  return {
    inline: [...new Set(shown.filter((m) => m.group?.startsWith('inline')).map((m) => short(m.command)))].sort(),
    menu: [...new Set(shown.filter((m) => !m.group?.startsWith('inline')).map((m) => short(m.command)))].sort(),
  };
}

const LINKS = ['openDocumentation', 'openSupport', 'openWebsite'];
const ADMIN = { isWorkspaceAdmin: true };
/** history, audit and Terraform export of a partner that has a service principal */
const ACCOUNTABLE = ['exportTerraform', 'showAuditEvents'];
const HISTORY = ['showHistory'];

test('not connected: Connect… (inline) and the partner links only', () => {
  const cv = partnerContextValue(status('hex', 'not-connected'), status('hex', 'not-connected').partner, ADMIN);
  assert.equal(cv, 'partner.not-connected.web.admin');
  const v = visible(cv);
  assert.deepEqual(v.inline, ['connect']);
  assert.deepEqual(v.menu, ['connect', ...HISTORY, ...LINKS].sort());
});

test('connected with a service principal: Inspect inline; Disconnect, Delete service principal, Rotate token; no Connect', () => {
  const s = status('dbt-cloud', 'connected');
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.equal(cv, 'partner.connected.sp.token.record.compute.web.admin');
  const v = visible(cv);
  assert.deepEqual(v.inline, ['inspect']);
  assert.deepEqual(v.menu, ['deleteServicePrincipal', 'disconnect', 'inspect', 'rotateToken', ...ACCOUNTABLE, ...HISTORY, ...LINKS].sort());
});

test('connected outside this extension: inspect and disconnect, delete the principal, but no rotation or connect', () => {
  const s = status('hex', 'connected-outside', { record: null });
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.match(cv, /^partner\.connected-outside\.sp\.token/);
  const v = visible(cv);
  assert.deepEqual(v.inline, ['inspect']);
  assert.deepEqual(v.menu, ['deleteServicePrincipal', 'disconnect', 'inspect', ...ACCOUNTABLE, ...HISTORY, ...LINKS].sort());
});

test('a principal the partner does not need (FIVETRAN_USER): inspect, disconnect and delete it; no token rotation', () => {
  const sp = { id: '7000000000000009', applicationId: '5d1e6f2a-7b3c-4d8e-9f0a-1b2c3d4e5f60', displayName: 'FIVETRAN_USER', active: true, entitlements: [], groups: [] };
  const tokens = [{ tokenId: 't1', comment: '', createdAt: null, expiry: 'never', createdBy: null, ownerId: sp.id }];
  const outside = status('fivetran', 'connected-outside', { servicePrincipal: sp, tokens, record: null });
  const cv = partnerContextValue(outside, outside.partner, ADMIN);
  assert.match(cv, /^partner\.connected-outside\.sp\.extra\.token/);
  const v = visible(cv);
  assert.deepEqual(v.inline, ['inspect']);
  assert.deepEqual(v.menu, ['deleteServicePrincipal', 'disconnect', 'inspect', 'managePartnerUsers', ...ACCOUNTABLE, ...HISTORY, ...LINKS].sort());
  const connected = status('power-bi', 'connected', { servicePrincipal: { ...sp, displayName: 'POWER_BI_USER' }, tokens });
  const m = visible(partnerContextValue(connected, connected.partner, ADMIN)).menu;
  assert.ok(m.includes('deleteServicePrincipal') && !m.includes('rotateToken'), m.join(', '));
});

test('check mark only: inspect or reset (the engine refuses to connect before a reset); no service-principal entries', () => {
  const s = status('dbt-cloud', 'check-mark-only');
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.equal(cv, 'partner.check-mark-only.record.compute.web.admin');
  const v = visible(cv);
  assert.deepEqual(v.inline, []);
  assert.deepEqual(v.menu, ['disconnect', 'inspect', ...HISTORY, ...LINKS].sort());
});

test('degraded with drift: Inspect and Repair grants inline', () => {
  const s = degradedWithDrift('hex');
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.equal(cv, 'partner.degraded.sp.record.compute.drift.web.admin');
  const v = visible(cv);
  assert.deepEqual(v.inline, ['inspect', 'repairGrants']);
  assert.deepEqual(v.menu, ['deleteServicePrincipal', 'disconnect', 'inspect', 'repairGrants', 'rotateToken', ...ACCOUNTABLE, ...HISTORY, ...LINKS].sort());
});

test('an unfinished connect (record connecting): Take Over Interrupted Connect… beside Disconnect', () => {
  const base = status('hex', 'degraded');
  const s = { ...base, reasons: [{ code: 'connect-incomplete' as const, message: 'A connect … has not finished.' }], record: base.record ? { ...base.record, state: 'connecting' as const } : null };
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.match(cv, /\.record\.connecting(\.|$)/);
  const v = visible(cv);
  assert.ok(v.menu.includes('takeOverConnect'), v.menu.join(', '));
  assert.ok(v.menu.includes('disconnect'));
  assert.ok(!visible(partnerContextValue(base, base.partner, ADMIN)).menu.includes('takeOverConnect'), 'offered for a finished connect');
});

test('a signed-in user who is not a workspace admin is offered no entry that changes the workspace', () => {
  const who = { isWorkspaceAdmin: false };
  for (const [id, state] of [
    ['hex', 'not-connected'],
    ['dbt-cloud', 'connected'],
    ['hex', 'connected-outside'],
    ['dbt-cloud', 'check-mark-only'],
  ] as const) {
    const s = state === 'connected-outside' ? status(id, state, { record: null }) : status(id, state);
    const cv = partnerContextValue(s, s.partner, who);
    assert.doesNotMatch(cv, /admin/);
    const v = visible(cv);
    for (const c of ['connect', 'disconnect', 'deleteServicePrincipal', 'repairGrants', 'rotateToken']) {
      assert.ok(!v.menu.includes(c) && !v.inline.includes(c), `${id} ${state}: ${c} is not offered to a non-admin`);
    }
  }
  const d = degradedWithDrift('hex');
  assert.deepEqual(visible(partnerContextValue(d, d.partner, who)).inline, ['inspect'], 'inspect (read-only) stays');
});

test('sign-in partners offer "Manage partner account users"; protocol partners "Set partner credentials"', () => {
  const s = status('fivetran', 'connected');
  const cv = partnerContextValue(s, s.partner, ADMIN);
  assert.match(cv, /\.signin(\.|$)/);
  assert.ok(visible(cv).menu.includes('managePartnerUsers'));
  const proto = partnerContextValue(s, { ...s.partner, handoff: 'protocol' }, ADMIN);
  assert.ok(visible(proto).menu.includes('setPartnerCredentials'));
  assert.ok(!visible(partnerContextValue(status('hex', 'connected'), status('hex', 'connected').partner, ADMIN)).menu.includes('managePartnerUsers'));
});

test('workspace, error and detail nodes', () => {
  assert.deepEqual(visible('workspace.ready').inline, ['refreshWorkspace']);
  assert.deepEqual(visible('workspace.ready').menu, ['checkNow', 'exportReport', 'exportTerraformFleet', 'findOrphans', 'refreshWorkspace', 'removeWorkspace', 'showHistory']);
  assert.deepEqual(visible('workspace.error').menu, ['refreshWorkspace', 'removeWorkspace']);
  assert.deepEqual(visible('error.forbidden').inline, ['retry']);
  assert.deepEqual(visible('error').menu, ['retry', 'showLog']);
  assert.deepEqual(visible('detail.sp.link').inline, ['openInWorkspace']);
  assert.deepEqual(visible('detail.warehouse.link').inline, ['openInWorkspace']);
  assert.deepEqual(visible('detail.token'), { inline: [], menu: [] });
  assert.deepEqual(visible('message.loading'), { inline: [], menu: [] });
});

test('every menu entry names a contributed command; item-only commands are hidden from the palette', () => {
  const ids = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const m of items) assert.ok(ids.has(m.command), `${menu}: ${m.command} is not a contributed command`);
  }
  const palette = manifest.contributes.menus.commandPalette;
  for (const id of ['partnerConnect.retry', 'partnerConnect.openInWorkspace']) {
    assert.equal(palette.find((p) => p.command === id)?.when, 'false', `${id} must be hidden from the palette`);
  }
  for (const c of manifest.contributes.commands) {
    assert.match(c.command, /^partnerConnect\.[a-zA-Z]+$/);
    assert.equal(c.category, '%category%');
    assert.match(c.title, /^%command\.[a-zA-Z]+%$/);
  }
});

test('view/title entries depend on context keys', () => {
  const title = manifest.contributes.menus['view/title'];
  const shown = (ctx: Context) => title.filter((m) => evaluateWhen(m.when ?? 'true', { view: 'partnerConnect.partners', ...ctx })).map((m) => m.command.replace('partnerConnect.', ''));
  assert.ok(shown({ 'partnerConnect.hasWorkspaces': true, 'partnerConnect.filterActive': false }).includes('filter'));
  assert.ok(!shown({ 'partnerConnect.hasWorkspaces': false }).includes('filter'), 'nothing to filter without a workspace');
  assert.ok(!shown({ 'partnerConnect.filterActive': false }).includes('clearFilter'));
  assert.ok(shown({ 'partnerConnect.filterActive': true }).includes('clearFilter'));
  assert.ok(!shown({ 'partnerConnect.hasWorkspaces': false }).includes('removeWorkspace'));
  assert.ok(shown({ 'partnerConnect.hasWorkspaces': true }).includes('exportReport'));
});

test('the evaluator itself rejects what it does not understand', () => {
  assert.throws(() => evaluateWhen('a || b', {}));
  assert.throws(() => evaluateWhen('a in b', {}));
  assert.equal(evaluateWhen('viewItem =~ /^partner\\.x/', { viewItem: 'partner.x.y' }), true);
  assert.equal(evaluateWhen('viewItem =~ /^partner\\.x/ && !k', { viewItem: 'partner.x.y', k: true }), false);
});

test('every %key% of the manifest has an English string in package.nls.json', () => {
  const raw = readFileSync(join(__dirname, '../../../package.json'), 'utf8');
  const nls = JSON.parse(readFileSync(join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
  const keys = [...raw.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 20);
  for (const k of keys) assert.ok(typeof nls[k] === 'string' && nls[k].length > 0, `package.nls.json lacks "${k}"`);
  for (const c of manifest.contributes.commands) {
    const key = c.title.slice(1, -1);
    assert.ok(!nls[key].startsWith('Partner Connect:'), 'the category supplies the "Partner Connect:" prefix');
  }
});

test('the welcome view shows when no workspace is configured, with an Add Workspace link', () => {
  const welcome = (manifest.contributes as unknown as { viewsWelcome: Array<{ view: string; contents: string; when: string }> }).viewsWelcome;
  const nls = JSON.parse(readFileSync(join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<string, string>;
  const w = welcome.find((x) => x.view === 'partnerConnect.partners');
  assert.ok(w);
  assert.equal(evaluateWhen(w.when, { 'partnerConnect.state': 'noWorkspaces' }), true);
  assert.equal(evaluateWhen(w.when, { 'partnerConnect.state': 'ready' }), false);
  assert.match(nls[w.contents.slice(1, -1)], /\[Add Workspace\]\(command:partnerConnect\.addWorkspace\)/);
});

test('settings that decide where credentials go are application-scoped and restricted in untrusted workspaces', () => {
  const m = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
    activationEvents?: string[];
    capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations: string[] } };
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  };
  for (const key of ['partnerConnect.workspaces', 'partnerConnect.partnerConfigFiles', 'partnerConnect.recordFolder']) {
    assert.equal(m.contributes.configuration.properties[key]?.scope, 'application', key);
    assert.ok(m.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  }
  assert.ok(!(m.activationEvents ?? []).includes('*'), 'no start-up activation');
  assert.ok(!(m.activationEvents ?? []).includes('onStartupFinished'), 'no start-up activation');
});

test('a first-run walkthrough: add a workspace, read the states, connect, disconnect — images shipped in media/, linked from the welcome view', () => {
  const root = join(__dirname, '../../..');
  const m = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { walkthroughs: Array<{ id: string; steps: Array<{ id: string; description: string; media: { image: string }; completionEvents: string[] }> }>; commands: Array<{ command: string }> };
  };
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const w = m.contributes.walkthroughs.find((x) => x.id === 'partnerConnect.gettingStarted');
  assert.ok(w, 'the walkthrough is contributed');
  assert.deepEqual(w.steps.map((s) => s.id), ['addWorkspace', 'readStates', 'connect', 'disconnect']);
  const commands = new Set(m.contributes.commands.map((c) => c.command));
  for (const s of w.steps) {
    assert.match(s.media.image, /^media\/walkthrough\/[a-z-]+\.png$/, 'inside media/, which the VSIX ships');
    const file = join(root, s.media.image);
    assert.ok(existsSync(file), `${s.media.image} exists`);
    const size = statSync(file).size;
    assert.ok(size > 5_000 && size < 400_000, `${s.media.image}: ${size} bytes`);
    for (const e of s.completionEvents) {
      const cmd = /^onCommand:(.+)$/.exec(e)?.[1];
      if (cmd) assert.ok(commands.has(cmd), `${e} names a contributed command`);
    }
  }
  const addText = nls[w.steps[0].description.slice(1, -1)];
  for (const method of ['~/.databrickscfg profile', 'environment variables', 'personal access token', 'OAuth machine-to-machine', 'Databricks CLI', 'Azure CLI', 'Entra ID service principal']) assert.ok(addText.includes(method), `the first step names ${method}`);
  assert.match(nls['welcome.noWorkspaces'], /\[Get Started\]\(command:partnerConnect\.openWalkthrough\)/);
  assert.ok(commands.has('partnerConnect.openWalkthrough'));
});

test('the view is named like its container, so the side bar title is not "Partner Connect: Pa…"', () => {
  const root = join(__dirname, '../../..');
  const m = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { views: Record<string, Array<{ name: string }>>; viewsContainers: { activitybar: Array<{ title: string }> } } };
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const key = (s: string): string => nls[s.slice(1, -1)] ?? s;
  assert.equal(key(m.contributes.views.partnerConnect[0].name), key(m.contributes.viewsContainers.activitybar[0].title));
});

test('a button of the inspect view that runs a command is titled like that command (one casing)', () => {
  const root = join(__dirname, '../../..');
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const pairs: Array<[keyof typeof INSPECT_STRINGS, string]> = [
    ['disconnect', 'command.disconnect'],
    ['deleteSp', 'command.deleteServicePrincipal'],
    ['repair', 'command.repairGrants'],
    ['showHistory', 'command.showHistory'],
    ['showAuditEvents', 'command.showAuditEvents'],
    ['exportTerraform', 'command.exportTerraform'],
    ['showLog', 'command.showLog'],
  ];
  for (const [key, cmd] of pairs) assert.equal(INSPECT_STRINGS[key], nls[cmd], `${key} reads like ${cmd}`);
  // the rotate command is generic (a menu entry cannot change with the item); the view's button names the credential's kind
  assert.equal(nls['command.rotateToken'], 'Rotate Credential…');
  assert.deepEqual([INSPECT_STRINGS.rotate, INSPECT_STRINGS.rotateSecret], ['Rotate Token…', 'Rotate OAuth Secret…']);
  for (const t of [CONNECT_STRINGS.showLog, BULK_STRINGS.showLog, MATRIX_STRINGS.showLog]) assert.equal(t, nls['command.showLog']);
  // every command title is in Title Case (small words excepted)
  const small = new Set(['a', 'an', 'as', 'at', 'in', 'of', 'on', 'to', 'the', 'and', 'or', 'for']);
  for (const [k, v] of Object.entries(nls).filter(([k]) => k.startsWith('command.'))) {
    for (const w of v.replace(/[…()]/g, ' ').split(/[\s/]+/).filter(Boolean)) {
      if (!small.has(w)) assert.match(w, /^[A-Z0-9]/, `${k}: "${v}" — "${w}"`);
    }
  }
});
