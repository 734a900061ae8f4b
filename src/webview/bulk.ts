/**
 * A fleet bulk action (runs in the webview): for "connect one partner to N workspaces" a form with
 * one row per workspace (use it?, catalog, schemas, warehouse — defaults filled in); then for every
 * action the preview per workspace, one confirming button, progress per workspace as it runs, and
 * the result table (what happened where; credentials to copy once; what was left behind).
 */
import * as z from 'zod';
import { BULK_STRINGS, BulkToHost, HostToBulk, type BulkStringKey, type FormChoice, type FormWorkspace, type ResultItemView } from './protocol/bulk';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';

const ViewState = z.object({});
const channel = new Channel<HostToBulk, BulkToHost, z.infer<typeof ViewState>>(HostToBulk, BulkToHost, ViewState);
const app = byId('app') as HTMLElement;
app.classList.add('wide');
let strings: Record<string, string> = { ...BULK_STRINGS };
let init: Extract<HostToBulk, { type: 'init' }> | undefined;
let form: FormWorkspace[] = [];
const choices = new Map<string, FormChoice & { use: boolean }>();
const schemaLists = new Map<string, string[]>();
let requestId = 0;
const copied = new Set<string>();

function t(key: BulkStringKey, ...args: Array<string | number>): string {
  let s = strings[key] ?? BULK_STRINGS[key];
  args.forEach((a, i) => (s = s.split(`{${i}}`).join(String(a))));
  return s;
}

function button(id: string, label: string, onClick: () => void, secondary = true): HTMLButtonElement {
  const b = h('button', { id, 'data-testid': id, type: 'button', class: secondary ? 'secondary' : undefined }, label);
  b.addEventListener('click', onClick);
  return b;
}

function section(id: string): HTMLElement {
  let el = byId(id);
  if (!el) {
    el = h('section', { id, 'data-testid': id });
    app.append(el);
  }
  clear(el);
  return el;
}

function header(): void {
  if (!init) return;
  const top = section('sec-top');
  appendAll(top, h('h1', { id: 'title' }, init.title), h('p', { class: 'muted' }, init.account), h('p', { role: 'status', id: 'status', 'data-testid': 'status' }));
}

function setStatus(text: string): void {
  const el = byId('status');
  if (el) el.textContent = text;
}

// ---------------------------------------------------------------- the connect form
function renderForm(): void {
  const p = init?.partner;
  if (!p) return;
  const el = section('sec-form');
  const rows = form.map((w) => {
    const c = choices.get(w.key)!;
    const use = h('input', { type: 'checkbox', 'data-testid': `use-${w.key}`, 'aria-label': `${t('use')} ${w.name}`, checked: c.use, disabled: !w.selectable });
    use.addEventListener('change', () => {
      c.use = use.checked;
      updatePreviewButton();
    });
    const dash = (): HTMLElement => h('span', { class: 'muted' }, t('none'));
    const cat = !w.selectable
      ? dash()
      : p.needsCatalog
      ? (() => {
          const sel = h('select', { 'data-testid': `catalog-${w.key}`, 'aria-label': `${t('catalog')} ${w.name}`, disabled: !w.selectable }, w.catalogs.map((o) => h('option', { value: o.name, disabled: !o.selectable, selected: o.name === c.catalog, title: o.reason ?? '' }, o.name + (o.isDefault ? ' *' : ''))));
          sel.addEventListener('change', () => {
            c.catalog = sel.value;
            c.schemas = [];
            const id = ++requestId;
            channel.post({ type: 'loadSchemas', requestId: id, key: w.key, catalog: sel.value });
          });
          return sel;
        })()
      : h('span', { class: 'muted' }, t('none'));
    const schemas =
      !w.selectable || p.schemaSelection === 'none'
        ? h('span', { class: 'muted' }, t('none'))
        : (() => {
            const list = schemaLists.get(w.key) ?? w.schemas;
            const sel = h('select', { 'data-testid': `schemas-${w.key}`, 'aria-label': `${t('schemas')} ${w.name}`, multiple: p.schemaSelection === 'many', disabled: !w.selectable }, list.map((n) => h('option', { value: n, selected: c.schemas.includes(n) }, n)));
            sel.addEventListener('change', () => {
              c.schemas = Array.from(sel.selectedOptions).map((o) => o.value);
            });
            return sel;
          })();
    const wh = w.selectable && p.usesWarehouse
      ? (() => {
          const NEW = '__new__';
          const sel = h(
            'select',
            { 'data-testid': `warehouse-${w.key}`, 'aria-label': `${t('warehouse')} ${w.name}`, disabled: !w.selectable },
            w.warehouses.map((o) => h('option', { value: o.id, selected: c.warehouse?.mode === 'existing' && c.warehouse.id === o.id }, `${o.name} (${o.state})`)),
            h('option', { value: NEW, selected: c.warehouse?.mode === 'new' }, t('newWarehouse', p.newWarehouseName)),
          );
          sel.addEventListener('change', () => {
            c.warehouse = sel.value === NEW ? { mode: 'new', name: p.newWarehouseName } : { mode: 'existing', id: sel.value };
          });
          return sel;
        })()
      : h('span', { class: 'muted' }, t('none'));
    return h(
      'tr',
      { 'data-ws': w.key, class: w.selectable ? undefined : 'st-skipped' },
      h('td', {}, use),
      h('td', {}, h('strong', {}, w.name), h('div', { class: 'hint' }, w.host ?? ''), w.reason ? h('div', { class: 'hint', 'data-testid': `reason-${w.key}` }, w.reason) : null),
      h('td', {}, w.state),
      h('td', {}, cat),
      h('td', {}, schemas),
      h('td', {}, wh),
    );
  });
  const all = h('input', { type: 'checkbox', 'data-testid': 'use-all', 'aria-label': t('selectAll') });
  all.addEventListener('change', () => {
    for (const w of form) if (w.selectable) choices.get(w.key)!.use = all.checked;
    renderForm();
  });
  appendAll(
    el,
    h('table', { class: 'bulk', 'data-testid': 'form-table' }, h('thead', {}, h('tr', {}, h('th', {}, all), h('th', {}, t('workspace')), h('th', {}, t('state')), h('th', {}, t('catalog')), h('th', {}, t('schemas')), h('th', {}, t('warehouse')))), h('tbody', {}, rows)),
    h('div', { class: 'actions' }, button('preview', t('preview'), () => sendPreview(), false), button('close', t('close'), () => channel.post({ type: 'close' }))),
  );
  updatePreviewButton();
}

function updatePreviewButton(): void {
  const b = byId<HTMLButtonElement>('preview');
  if (b) b.disabled = ![...choices.values()].some((c) => c.use);
}

function sendPreview(): void {
  const chosen = [...choices.values()].filter((c) => c.use).map(({ key, catalog, schemas, warehouse }) => ({ key, catalog, schemas, warehouse }));
  if (chosen.length === 0) {
    setStatus(t('chooseOne'));
    return;
  }
  channel.post({ type: 'preview', choices: chosen });
}

// ---------------------------------------------------------------- preview, progress, result
function renderPreview(msg: Extract<HostToBulk, { type: 'preview' }>): void {
  byId('sec-form')?.remove();
  const el = section('sec-preview');
  const ready = msg.items.filter((i) => i.status === 'ready').length;
  appendAll(
    el,
    h('p', { 'data-testid': 'preview-summary' }, t('willRun', ready, msg.items.length - ready)),
    msg.notes.length ? h('ul', { class: 'plain', 'data-testid': 'preview-notes' }, msg.notes.map((n) => h('li', {}, n))) : null,
    h(
      'table',
      { class: 'bulk', 'data-testid': 'preview-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('workspace')), h('th', {}, t('status')), h('th', {}, t('what')))),
      h(
        'tbody',
        {},
        msg.items.map((i) =>
          h(
            'tr',
            { 'data-ws': i.key, 'data-status': i.status, 'data-testid': `preview-${i.key}` },
            h('td', {}, h('strong', {}, i.workspace), h('div', { class: 'hint' }, i.host ?? '')),
            h('td', { class: i.status === 'ready' ? 'ok' : 'st-skipped', 'data-testid': `progress-${i.key}` }, i.status === 'ready' ? '' : t('skipped')),
            h('td', { class: 'lines' }, i.reason ? h('p', { class: 'hint' }, i.reason) : null, i.lines.length ? h('ul', {}, i.lines.map((l) => h('li', {}, l))) : null),
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      ready > 0 ? button('run', msg.confirmLabel, () => channel.post({ type: 'run' }), false) : null,
      init?.action === 'connect' ? button('back', t('back'), () => channel.post({ type: 'back' })) : null,
      button('close', t('close'), () => channel.post({ type: 'close' })),
    ),
  );
}

function renderProgress(items: Extract<HostToBulk, { type: 'progress' }>['items']): void {
  for (const p of items) {
    const cell = app.querySelector<HTMLElement>(`[data-testid="progress-${CSS.escape(p.key)}"]`);
    if (!cell) continue;
    cell.className = `phase-${p.phase}`;
    cell.setAttribute('data-phase', p.phase);
    cell.textContent = `${t(`phase.${p.phase}` as BulkStringKey)}${p.phase === 'running' && p.message ? `: ${p.message}` : ''}`;
  }
  const running = items.filter((p) => p.phase === 'running' || p.phase === 'queued').length;
  if (running > 0) setStatus(t('running', running));
}

function resultRow(i: ResultItemView): HTMLElement {
  return h(
    'tr',
    { 'data-ws': i.key, 'data-status': i.status, 'data-testid': `result-${i.key}` },
    h('td', {}, h('strong', {}, i.workspace), h('div', { class: 'hint' }, i.host ?? '')),
    h('td', { class: `phase-${i.status}` }, t(`phase.${i.status}` as BulkStringKey)),
    h(
      'td',
      { class: 'lines' },
      h('p', {}, i.message),
      i.details.length ? h('ul', {}, i.details.map((d) => h('li', {}, d))) : null,
      i.leftovers.length ? h('div', { class: 'callout error' }, h('strong', {}, t('leftovers')), h('ul', {}, i.leftovers.map((l) => h('li', {}, `${l.kind} "${l.name}" (${l.id})`)))) : null,
      i.secrets.map((sec) => {
        const done = copied.has(`${i.key}\u0000${sec.id}`);
        const b = button(`copy-${i.key}-${sec.id}`, done ? t('copied') : t('copy', sec.label), () => channel.post({ type: 'copySecret', key: i.key, id: sec.id }), false);
        b.disabled = done;
        return b;
      }),
    ),
    h('td', {}, `${i.seconds.toFixed(1)} s`),
  );
}

function renderResult(msg: Extract<HostToBulk, { type: 'result' }>): void {
  byId('sec-form')?.remove();
  byId('sec-preview')?.remove();
  const el = section('sec-result');
  const counts = Object.entries(msg.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${t(`phase.${k}` as BulkStringKey)}`)
    .join(', ');
  setStatus(counts);
  appendAll(
    el,
    h('h2', {}, t('result')),
    h('p', { 'data-testid': 'result-summary' }, counts),
    h('table', { class: 'bulk', 'data-testid': 'result-table' }, h('thead', {}, h('tr', {}, h('th', {}, t('workspace')), h('th', {}, t('status')), h('th', {}, t('what')), h('th', {}, t('time')))), h('tbody', {}, msg.items.map(resultRow))),
    h('div', { class: 'actions' }, button('close', t('close'), () => channel.post({ type: 'close' })), button('show-log', t('showLog'), () => channel.post({ type: 'showLog' }))),
  );
}

channel.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
      init = msg;
      strings = { ...BULK_STRINGS, ...msg.strings };
      clear(app);
      header();
      break;
    case 'phase':
      if (msg.phase === 'loading') setStatus(t('loading'));
      else if (msg.phase === 'previewing') setStatus(t('previewing'));
      else if (msg.phase === 'running') {
        setStatus(t('running', ''));
        const run = byId<HTMLButtonElement>('run');
        if (run) run.remove();
        byId('back')?.remove();
        const actions = byId('sec-preview')?.querySelector('.actions');
        if (actions && !byId('cancel')) actions.prepend(button('cancel', t('cancel'), () => channel.post({ type: 'cancel' })));
      } else setStatus('');
      break;
    case 'form':
      form = msg.workspaces;
      for (const w of form) {
        if (!choices.has(w.key)) choices.set(w.key, { key: w.key, use: false, catalog: w.defaults.catalog, schemas: w.defaults.schemas, warehouse: w.defaults.warehouse });
      }
      byId('sec-preview')?.remove();
      renderForm();
      break;
    case 'schemas': {
      const c = choices.get(msg.key);
      schemaLists.set(msg.key, msg.schemas);
      if (c && c.catalog === msg.catalog) c.schemas = msg.schemas.includes('default') ? ['default'] : msg.schemas.slice(0, 1);
      if (msg.error) setStatus(msg.error);
      renderForm();
      break;
    }
    case 'preview':
      renderPreview(msg);
      break;
    case 'progress':
      renderProgress(msg.items);
      break;
    case 'result':
      renderResult(msg);
      break;
    case 'copied': {
      copied.add(`${msg.key}\u0000${msg.id}`);
      const b = byId<HTMLButtonElement>(`copy-${msg.key}-${msg.id}`);
      if (b) {
        b.textContent = t('copied');
        b.disabled = true;
      }
      break;
    }
    case 'error':
      appendAll(section('sec-error'), h('div', { class: 'callout error', 'data-testid': 'error' }, msg.message), button('show-log', t('showLog'), () => channel.post({ type: 'showLog' })));
      break;
  }
});
channel.post({ type: 'ready' });
