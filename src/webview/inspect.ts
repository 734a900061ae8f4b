/** The inspect view (runs in the webview): everything the engine's inspect returns. */
import { HostToInspect, INSPECT_STRINGS, InspectToHost, type InspectData, type InspectStringKey, type Row } from './protocol/inspect';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';
import * as z from 'zod';

const ViewState = z.object({ scrollY: z.number().default(0) });
const channel = new Channel<HostToInspect, InspectToHost, z.infer<typeof ViewState>>(HostToInspect, InspectToHost, ViewState);
const app = byId('app') as HTMLElement;
let strings: Record<string, string> = { ...INSPECT_STRINGS };

function t(key: InspectStringKey, ...args: string[]): string {
  let s = strings[key] ?? INSPECT_STRINGS[key];
  args.forEach((a, i) => (s = s.split(`{${i}}`).join(a)));
  return s;
}

function link(href: string, text: string, testid: string): HTMLElement {
  const a = h('a', { href: '#', 'data-testid': testid, title: href }, text);
  a.addEventListener('click', (e) => {
    e.preventDefault();
    channel.post({ type: 'openLink', href });
  });
  return a;
}

function kvTable(rows: Row[], testid: string): HTMLElement {
  return h(
    'table',
    { 'data-testid': testid },
    h(
      'tbody',
      {},
      rows.map((r) => h('tr', {}, h('td', { class: 'k' }, r.label), h('td', {}, r.href ? link(r.href, r.value, `${testid}-link`) : r.value))),
    ),
  );
}

function button(id: string, label: string, onClick: () => void, secondary = true): HTMLButtonElement {
  const b = h('button', { id, 'data-testid': id, type: 'button', class: secondary ? 'secondary' : undefined }, label);
  b.addEventListener('click', onClick);
  return b;
}

function historySection(hist: NonNullable<InspectData['history']>): HTMLElement {
  const outcomeClass = (o: string): string => (o === 'succeeded' ? 'ok' : o === 'cancelled' ? 'warn' : 'bad');
  return h(
    'section',
    { id: 'history', 'data-testid': 'history' },
    h('h2', {}, t('history')),
    h('div', { class: 'actions' }, button('show-history', t('showHistory'), () => channel.post({ type: 'command', command: 'showHistory' }))),
    hist.warning ? h('p', { class: 'warn', 'data-testid': 'history-untrusted' }, hist.warning) : null,
    hist.error
      ? h('p', { class: 'warn', 'data-testid': 'history-error' }, t('historyUnreadable', hist.error))
      : hist.items.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'no-history' }, t('noHistory'))
        : h(
            'table',
            { 'data-testid': 'history-table' },
            h('thead', {}, h('tr', {}, h('th', {}, t('when')), h('th', {}, t('action')), h('th', {}, t('outcome')), h('th', {}, t('by')), h('th', {}, t('what')))),
            h(
              'tbody',
              {},
              hist.items.map((e) =>
                h(
                  'tr',
                  { 'data-testid': 'history-entry', 'data-outcome': e.outcome },
                  h('td', { class: 'nowrap' }, e.when),
                  h('td', { class: 'nowrap' }, e.action),
                  h('td', { class: `nowrap ${outcomeClass(e.outcome)}` }, e.outcomeLabel),
                  h('td', {}, e.by),
                  h('td', { class: 'what' }, e.details.length ? h('ul', { class: 'plain' }, e.details.map((d) => h('li', {}, d))) : '—'),
                ),
              ),
            ),
          ),
    hist.truncated ? h('p', { class: 'muted' }, t('historyTruncated')) : null,
  );
}

function render(data: InspectData, inspectedAt: string): void {
  clear(app);
  const sp = data.servicePrincipal;
  const stateClass = data.state.kind === 'connected' ? 'success' : data.state.kind === 'degraded' ? 'error' : 'warning';
  appendAll(
    app,
    h('h1', { id: 'title' }, t('title', data.partner.name, data.workspace.name)),
    h('p', { class: 'muted', 'data-testid': 'inspected-at' }, t('inspectedAt', inspectedAt), ' — ', data.workspace.host),
    h(
      'div',
      { class: 'actions' },
      button('refresh', t('refresh'), () => channel.post({ type: 'refresh' })),
      data.drift.canRepair ? button('repair', t('repair'), () => channel.post({ type: 'repair' }), false) : null,
      sp && !sp.notRequired && data.state.kind !== 'not-connected' ? button('rotate', t('rotate'), () => channel.post({ type: 'command', command: 'rotateToken' })) : null,
      sp ? button('delete-sp', t('deleteSp'), () => channel.post({ type: 'command', command: 'deleteServicePrincipal' })) : null,
      data.state.kind !== 'not-connected' ? button('disconnect', t('disconnect'), () => channel.post({ type: 'command', command: 'disconnect' })) : null,
      sp ? button('audit-events', t('showAuditEvents'), () => channel.post({ type: 'command', command: 'showAuditEvents' })) : null,
      sp ? button('export-terraform', t('exportTerraform'), () => channel.post({ type: 'command', command: 'exportTerraform' })) : null,
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
      : h('p', { class: 'muted', 'data-testid': 'no-service-principal' }, t('noServicePrincipal')),
    h('h2', {}, t('tokens')),
    data.tokens.length === 0
      ? h('p', { class: 'muted' }, t('noTokens'))
      : h(
          'table',
          { 'data-testid': 'tokens' },
          h('thead', {}, h('tr', {}, h('th', {}, t('tokenId')), h('th', {}, t('comment')), h('th', {}, t('created')), h('th', {}, t('expires')), h('th', {}, t('creator')))),
          h(
            'tbody',
            {},
            data.tokens.map((tk) => h('tr', { 'data-testid': `token-${tk.id}` }, h('td', {}, h('code', {}, tk.id)), h('td', {}, tk.comment), h('td', {}, tk.created), h('td', {}, tk.expires), h('td', {}, tk.creator))),
          ),
        ),
    h('h2', {}, t('grants')),
    data.grants.length === 0
      ? h('p', { class: 'muted' }, t('noGrants'))
      : h(
          'table',
          { 'data-testid': 'grants' },
          h('thead', {}, h('tr', {}, h('th', {}, t('securable')), h('th', {}, t('privileges')))),
          h('tbody', {}, data.grants.map((g) => h('tr', {}, h('td', {}, h('code', {}, g.securable)), h('td', {}, g.privileges.join(', '))))),
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
  );
  const saved = channel.getState();
  if (saved) window.scrollTo(0, saved.scrollY);
}

window.addEventListener('scroll', () => channel.setState({ scrollY: window.scrollY }), { passive: true });

channel.onMessage((msg) => {
  switch (msg.type) {
    case 'loading':
      if (!byId('title')) {
        clear(app);
        app.append(h('p', { class: 'muted', 'data-testid': 'loading' }, '…'));
      }
      document.body.dataset.busy = 'true';
      break;
    case 'data':
      strings = { ...INSPECT_STRINGS, ...msg.strings };
      document.body.dataset.busy = 'false';
      render(msg.data, msg.inspectedAt);
      break;
    case 'error':
      document.body.dataset.busy = 'false';
      clear(app);
      appendAll(
        app,
        h('div', { class: 'callout error', role: 'alert', 'data-testid': 'inspect-error' }, h('p', {}, msg.message), msg.whatToDo ? h('p', {}, msg.whatToDo) : null),
        h('div', { class: 'actions' }, button('refresh', t('refresh'), () => channel.post({ type: 'refresh' })), button('show-log', t('showLog'), () => channel.post({ type: 'showLog' }))),
      );
      break;
    case 'repairing': {
      const b = byId<HTMLButtonElement>('repair');
      if (b) {
        b.disabled = true;
        b.textContent = t('repairing');
      }
      break;
    }
    case 'repairResult': {
      const el = byId('repair-status');
      if (el) {
        clear(el);
        el.append(h('div', { class: `callout ${msg.ok ? 'success' : 'error'}` }, msg.message));
      }
      const b = byId<HTMLButtonElement>('repair');
      if (b) {
        b.disabled = false;
        b.textContent = t('repair');
      }
      break;
    }
  }
});

channel.post({ type: 'ready' });
