/**
 * The inspect view (runs in the webview): everything the engine's inspect returns.
 * One state (`view`), changed only by the host's messages; `render` draws it: the whole page when
 * what is shown changes, only the repair button and its status otherwise (keyboard focus stays).
 */
import * as z from 'zod/mini';
import { HostToInspect, INSPECT_STRINGS, InspectToHost, type InspectData, type InspectStringKey, type Row } from '../shared/protocol/inspect';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';
import { button, table } from './lib/kit';
import { ViewState, format } from './lib/view';

const Saved = z.object({ scrollY: z._default(z.number(), 0) });
const channel = new Channel<HostToInspect, InspectToHost, z.infer<typeof Saved>>(HostToInspect, InspectToHost, Saved);

interface Inspect {
  strings: Record<string, string>;
  content: { kind: 'loading' } | { kind: 'data'; data: InspectData; inspectedAt: string } | { kind: 'error'; message: string; whatToDo?: string };
  /** a reload is on its way (what is shown stays until it arrives) */
  busy: boolean;
  /** the last repair: kept across the reload that follows it, cleared by Refresh */
  repair: { kind: 'idle' } | { kind: 'running' } | { kind: 'done'; ok: boolean; message: string };
}

const view = new ViewState<Inspect>({ strings: { ...INSPECT_STRINGS }, content: { kind: 'loading' }, busy: true, repair: { kind: 'idle' } }, render);

function t(key: InspectStringKey, ...args: string[]): string {
  return format(view.current.strings[key] ?? INSPECT_STRINGS[key], ...args);
}

const post = (m: InspectToHost): void => channel.post(m);
const command = (c: Extract<InspectToHost, { type: 'command' }>['command']) => (): void => post({ type: 'command', command: c });

function link(href: string, text: string, testid: string): HTMLElement {
  const a = h('a', { href: '#', 'data-testid': testid, title: href }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'openLink', href });
  });
  return a;
}

function kvTable(rows: Row[], testid: string): HTMLElement {
  return table(
    { 'data-testid': testid },
    null,
    rows.map((r) => h('tr', {}, h('td', { class: 'k' }, r.label), h('td', {}, r.href ? link(r.href, r.value, `${testid}-link`) : r.value))),
  );
}

function historySection(hist: NonNullable<InspectData['history']>): HTMLElement {
  const outcomeClass = (o: string): string => (o === 'succeeded' ? 'ok' : o === 'cancelled' ? 'warn' : 'bad');
  return h(
    'section',
    { id: 'history', 'data-testid': 'history' },
    h('h2', {}, t('history')),
    h('div', { class: 'actions' }, button('show-history', t('showHistory'), command('showHistory'))),
    hist.warning ? h('p', { class: 'warn', 'data-testid': 'history-untrusted' }, hist.warning) : null,
    hist.error
      ? h('p', { class: 'warn', 'data-testid': 'history-error' }, t('historyUnreadable', hist.error))
      : hist.items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-history' }, t('noHistory'))
        : table(
            { 'data-testid': 'history-table' },
            [t('when'), t('action'), t('outcome'), t('by'), t('what')],
            hist.items.map((e) =>
              h(
                'tr',
                { 'data-testid': 'history-entry', 'data-outcome': e.outcome },
                h('td', { class: 'nowrap' }, e.when),
                h('td', { class: 'nowrap' }, e.action),
                h('td', { class: `nowrap ${outcomeClass(e.outcome)}` }, e.outcomeLabel),
                h('td', { class: 'by' }, e.by),
                h('td', { class: 'what' }, e.details.length ? h('ul', { class: 'plain' }, e.details.map((d) => h('li', {}, d))) : '—'),
              ),
            ),
          ),
    hist.truncated ? h('p', { class: 'muted' }, t('historyTruncated')) : null,
  );
}

function dataPage(data: InspectData, inspectedAt: string): Array<HTMLElement | null> {
  const sp = data.servicePrincipal;
  const stateClass = data.state.kind === 'connected' ? 'success' : data.state.kind === 'degraded' ? 'error' : 'warning';
  return [
    h('h1', { id: 'title' }, t('title', data.partner.name, data.workspace.name)),
    h('p', { class: 'muted', 'data-testid': 'inspected-at' }, t('inspectedAt', inspectedAt), ' — ', data.workspace.host),
    h(
      'div',
      { class: 'actions' },
      button('refresh', t('refresh'), refresh),
      data.drift.canRepair ? button('repair', t('repair'), () => post({ type: 'repair' }), { primary: true }) : null,
      sp && !sp.notRequired && data.state.kind !== 'not-connected' ? button('rotate', t(data.credentialKind === 'oauth-secret' ? 'rotateSecret' : 'rotate'), command('rotateToken')) : null,
      sp ? button('delete-sp', t('deleteSp'), command('deleteServicePrincipal')) : null,
      data.state.kind !== 'not-connected' ? button('disconnect', t('disconnect'), command('disconnect')) : null,
      sp ? button('audit-events', t('showAuditEvents'), command('showAuditEvents')) : null,
      sp ? button('export-terraform', t('exportTerraform'), command('exportTerraform')) : null,
    ),
    h('div', { id: 'repair-status', role: 'status', 'data-testid': 'repair-status' }),
    h('h2', {}, t('state')),
    h(
      'div',
      { class: `callout ${stateClass}`, 'data-testid': 'state', 'data-state': data.state.kind },
      h('strong', {}, data.state.label),
      data.state.reasons.length > 0 ? h('ul', { class: 'plain', 'data-testid': 'state-reasons' }, data.state.reasons.map((r) => h('li', {}, r))) : null,
    ),
    h('h2', {}, t('servicePrincipal')),
    sp
      ? h(
          'div',
          { 'data-testid': 'service-principal' },
          sp.notRequired ? h('div', { class: 'callout warning', 'data-testid': 'sp-not-required', role: 'note' }, sp.notRequired) : null,
          kvTable(
            [
              { label: t('displayName'), value: sp.displayName },
              { label: t('applicationId'), value: sp.applicationId },
              { label: t('scimId'), value: sp.id },
              { label: t('active'), value: sp.active ? t('yes') : t('no') },
              { label: t('entitlements'), value: sp.entitlements.join(', ') || t('none') },
              { label: t('groups'), value: sp.groups.join(', ') || t('none') },
            ],
            'sp-table',
          ),
          h('p', {}, link(sp.url, t('openInWorkspace'), 'sp-link')),
        )
      : data.actsAsUser
        ? h('p', { class: 'muted', 'data-testid': 'acts-as-user' }, data.actsAsUser)
        : h('p', { class: 'muted', 'data-testid': 'no-service-principal' }, t('noServicePrincipal')),
    h('h2', {}, t('tokens')),
    data.tokens.length === 0
      ? h('p', { class: 'muted' }, t('noTokens'))
      : table(
          { 'data-testid': 'tokens' },
          [t('tokenId'), t('comment'), t('created'), t('expires'), t('creator')],
          data.tokens.map((tk) => h('tr', { 'data-testid': `token-${tk.id}` }, h('td', {}, h('code', {}, tk.id)), h('td', {}, tk.comment), h('td', {}, tk.created), h('td', {}, tk.expires), h('td', {}, tk.creator))),
        ),
    h('h2', {}, t('grants')),
    data.grants.length === 0
      ? h('p', { class: 'muted' }, t('noGrants'))
      : table(
          { 'data-testid': 'grants' },
          [t('securable'), t('privileges')],
          data.grants.map((g) => h('tr', {}, h('td', {}, h('code', {}, g.securable)), h('td', {}, g.privileges.join(', ')))),
        ),
    data.permissions.length > 0 ? h('h2', {}, t('permissions')) : null,
    data.permissions.length > 0 ? kvTable(data.permissions, 'permissions') : null,
    data.compute.length > 0 ? h('h2', {}, t('compute')) : null,
    data.compute.length > 0 ? kvTable(data.compute, 'compute') : null,
    h('h2', {}, t('record')),
    data.record.length > 0 ? kvTable(data.record, 'record') : h('p', { class: 'muted', 'data-testid': 'no-record' }, t('noRecord')),
    h('h2', {}, t('drift')),
    data.drift.items.length === 0
      ? h('p', { class: 'ok', 'data-testid': 'no-drift' }, t('noDrift'))
      : h(
          'div',
          { 'data-testid': 'drift' },
          h('ul', { class: 'plain' }, data.drift.items.map((d) => h('li', { class: d.kind === 'missing' ? 'bad' : d.kind === 'extra' ? 'warn' : '' }, d.text))),
          data.drift.repairPlan.length > 0 ? h('div', {}, h('strong', {}, t('repairPlan')), h('ul', { class: 'plain', 'data-testid': 'repair-plan' }, data.drift.repairPlan.map((l) => h('li', {}, l)))) : null,
        ),
    data.history ? historySection(data.history) : null,
  ];
}

function errorPage(message: string, whatToDo: string | undefined): HTMLElement[] {
  return [
    h('div', { class: 'callout error', role: 'alert', 'data-testid': 'inspect-error' }, h('p', {}, message), whatToDo ? h('p', {}, whatToDo) : null),
    h('div', { class: 'actions' }, button('refresh', t('refresh'), refresh), button('show-log', t('showLog'), () => post({ type: 'showLog' }))),
  ];
}

function refresh(): void {
  view.update({ repair: { kind: 'idle' } });
  post({ type: 'refresh' });
}

/** The repair button and the line under the actions, from `repair`. */
function renderRepair(repair: Inspect['repair']): void {
  const b = byId<HTMLButtonElement>('repair');
  if (b) {
    b.disabled = repair.kind === 'running';
    b.textContent = repair.kind === 'running' ? t('repairing') : t('repair');
  }
  const status = byId('repair-status');
  if (status) {
    clear(status);
    if (repair.kind === 'done') status.append(h('div', { class: `callout ${repair.ok ? 'success' : 'error'}` }, repair.message));
  }
}

function render(s: Readonly<Inspect>, previous: Readonly<Inspect>): void {
  document.body.dataset.busy = String(s.busy);
  const app = byId('app');
  if (!app) return;
  if (s.content !== previous.content || s.strings !== previous.strings || !app.firstElementChild) {
    clear(app);
    const c = s.content;
    if (c.kind === 'loading') app.append(h('p', { class: 'muted', 'data-testid': 'loading' }, '…'));
    else if (c.kind === 'error') appendAll(app, errorPage(c.message, c.whatToDo));
    else {
      appendAll(app, dataPage(c.data, c.inspectedAt));
      const saved = channel.getState();
      if (saved) window.scrollTo(0, saved.scrollY);
    }
  }
  renderRepair(s.repair);
}

window.addEventListener('scroll', () => channel.setState({ scrollY: window.scrollY }), { passive: true });

channel.onMessage((msg) => {
  switch (msg.type) {
    case 'loading':
      // a reload keeps the page it replaces on screen until the new data is there
      view.update({ busy: true, content: view.current.content.kind === 'data' ? view.current.content : { kind: 'loading' } });
      break;
    case 'data':
      view.update({ busy: false, strings: { ...INSPECT_STRINGS, ...msg.strings }, content: { kind: 'data', data: msg.data, inspectedAt: msg.inspectedAt } });
      break;
    case 'error':
      view.update({ busy: false, content: { kind: 'error', message: msg.message, whatToDo: msg.whatToDo } });
      break;
    case 'repairing':
      view.update({ repair: { kind: 'running' } });
      break;
    case 'repairResult':
      view.update({ repair: { kind: 'done', ok: msg.ok, message: msg.message } });
      break;
  }
});

post({ type: 'ready' });
