/**
 * A fleet bulk action (runs in the webview): for "connect one partner to N workspaces" a form with
 * one row per workspace (use it?, catalog, schemas, warehouse — defaults filled in); then for every
 * action the preview per workspace, one confirming button, progress per workspace as it runs, and
 * the result table (what happened where; credentials to copy once; what was left behind).
 * One state (`view`): what the host sent and what the user chose; `render` rebuilds a section when
 * what it shows changes and otherwise only updates it in place (keyboard focus stays).
 */
import * as z from 'zod/mini';
import { BULK_STRINGS, BulkToHost, HostToBulk, type BulkPhaseName, type BulkStringKey, type FormChoice, type FormWorkspace, type ResultItemView } from '../shared/protocol/bulk';
import { Channel } from './lib/vscodeApi';
import { byId, clear, h } from './lib/dom';
import { button, checkbox, select, table } from './lib/kit';
import { ViewState, format } from './lib/view';

const Saved = z.object({});
const channel = new Channel<HostToBulk, BulkToHost, z.infer<typeof Saved>>(HostToBulk, BulkToHost, Saved);

type Init = Extract<HostToBulk, { type: 'init' }>;
type Preview = Extract<HostToBulk, { type: 'preview' }>;
type Result = Extract<HostToBulk, { type: 'result' }>;
type Progress = Extract<HostToBulk, { type: 'progress' }>['items'][number];
type Choice = FormChoice & { use: boolean };

interface Bulk {
  strings: Record<string, string>;
  init?: Init;
  phase?: BulkPhaseName;
  /** what the view shows below the title: the form, the preview (with its progress), or the result */
  stage: { kind: 'none' } | { kind: 'form'; workspaces: FormWorkspace[] } | { kind: 'preview'; preview: Preview } | { kind: 'result'; result: Result };
  /** per workspace key */
  choices: Readonly<Record<string, Choice>>;
  schemaLists: Readonly<Record<string, string[]>>;
  progress: Readonly<Record<string, Progress>>;
  /** credentials copied already (`key \0 id`) */
  copied: readonly string[];
  /** a line for the status region that is not the phase's (choose a workspace, a schema list failed) */
  notice?: string;
  error?: string;
  lastRequestId: number;
}

const view = new ViewState<Bulk>({ strings: { ...BULK_STRINGS }, stage: { kind: 'none' }, choices: {}, schemaLists: {}, progress: {}, copied: [], lastRequestId: 0 }, render);

function t(key: BulkStringKey, ...args: Array<string | number>): string {
  return format(view.current.strings[key] ?? BULK_STRINGS[key], ...args);
}

const post = (m: BulkToHost): void => channel.post(m);

function choose(key: string, patch: Partial<Choice>): void {
  const c = view.current.choices[key];
  if (c) view.update({ choices: { ...view.current.choices, [key]: { ...c, ...patch } } });
}

// ---------------------------------------------------------------- the connect form
function formSection(s: Readonly<Bulk>, workspaces: FormWorkspace[]): HTMLElement | null {
  const p = s.init?.partner;
  if (!p) return null;
  const dash = (): HTMLElement => h('span', { class: 'muted' }, t('none'));
  const rows = workspaces.map((w) => {
    const c = s.choices[w.key];
    const use = checkbox({ 'data-testid': `use-${w.key}`, 'aria-label': `${t('use')} ${w.name}`, checked: c?.use ?? false, disabled: !w.selectable });
    use.input.addEventListener('change', () => choose(w.key, { use: use.input.checked }));
    let cat: HTMLElement = dash();
    if (w.selectable && p.needsCatalog) {
      const sel = select(
        { 'data-testid': `catalog-${w.key}`, 'aria-label': `${t('catalog')} ${w.name}` },
        w.catalogs.map((o) => h('option', { value: o.name, disabled: !o.selectable, selected: o.name === c?.catalog, title: o.reason ?? '' }, o.name + (o.isDefault ? ' *' : ''))),
      );
      sel.select.addEventListener('change', () => {
        const requestId = view.current.lastRequestId + 1;
        view.update({ lastRequestId: requestId });
        choose(w.key, { catalog: sel.select.value, schemas: [] });
        post({ type: 'loadSchemas', requestId, key: w.key, catalog: sel.select.value });
      });
      cat = sel.field;
    }
    let schemas: HTMLElement = dash();
    if (w.selectable && p.schemaSelection !== 'none') {
      const list = s.schemaLists[w.key] ?? w.schemas;
      const sel = select(
        { 'data-testid': `schemas-${w.key}`, 'aria-label': `${t('schemas')} ${w.name}`, multiple: p.schemaSelection === 'many' },
        list.map((n) => h('option', { value: n, selected: c?.schemas.includes(n) ?? false }, n)),
      );
      sel.select.addEventListener('change', () => choose(w.key, { schemas: Array.from(sel.select.selectedOptions).map((o) => o.value) }));
      schemas = sel.field;
    }
    let wh: HTMLElement = dash();
    if (w.selectable && p.usesWarehouse) {
      const NEW = '__new__';
      const sel = select(
        { 'data-testid': `warehouse-${w.key}`, 'aria-label': `${t('warehouse')} ${w.name}` },
        w.warehouses.map((o) => h('option', { value: o.id, selected: c?.warehouse?.mode === 'existing' && c.warehouse.id === o.id }, `${o.name} (${o.state})`)),
        h('option', { value: NEW, selected: c?.warehouse?.mode === 'new' }, t('newWarehouse', p.newWarehouseName)),
      );
      sel.select.addEventListener('change', () => choose(w.key, { warehouse: sel.select.value === NEW ? { mode: 'new', name: p.newWarehouseName } : { mode: 'existing', id: sel.select.value } }));
      wh = sel.field;
    }
    return h(
      'tr',
      { 'data-ws': w.key, class: w.selectable ? undefined : 'st-skipped' },
      h('td', {}, use.field),
      h('td', {}, h('strong', {}, w.name), h('div', { class: 'hint' }, w.host ?? ''), w.reason ? h('div', { class: 'hint', 'data-testid': `reason-${w.key}` }, w.reason) : null),
      h('td', { class: 'state' }, w.state),
      h('td', {}, cat),
      h('td', {}, schemas),
      h('td', {}, wh),
    );
  });
  const all = checkbox({ 'data-testid': 'use-all', 'aria-label': t('selectAll') });
  all.input.addEventListener('change', () => {
    const next = { ...view.current.choices };
    for (const w of workspaces) if (w.selectable && next[w.key]) next[w.key] = { ...next[w.key], use: all.input.checked };
    view.update({ choices: next });
  });
  const head = h('thead', {}, h('tr', {}, h('th', {}, all.field), [t('workspace'), t('state'), t('catalog'), t('schemas'), t('warehouse')].map((x) => h('th', {}, x))));
  return h(
    'section',
    { id: 'sec-form', 'data-testid': 'sec-form' },
    h('table', { class: 'vscode-table bordered-rows bulk', 'data-testid': 'form-table' }, head, h('tbody', {}, rows)),
    h('div', { class: 'actions' }, button('preview', t('preview'), sendPreview, { primary: true }), button('close', t('close'), () => post({ type: 'close' }))),
  );
}

/** The form's controls that follow the choices, without rebuilding it. */
function syncForm(s: Readonly<Bulk>): void {
  for (const [key, c] of Object.entries(s.choices)) {
    const box = document.querySelector<HTMLInputElement>(`[data-testid="use-${CSS.escape(key)}"]`);
    if (box) box.checked = c.use;
  }
  const b = byId<HTMLButtonElement>('preview');
  if (b) b.disabled = !Object.values(s.choices).some((c) => c.use);
}

function sendPreview(): void {
  const chosen = Object.values(view.current.choices)
    .filter((c) => c.use)
    .map(({ key, catalog, schemas, warehouse }) => ({ key, catalog, schemas, warehouse }));
  if (chosen.length === 0) {
    view.update({ notice: t('chooseOne') });
    return;
  }
  post({ type: 'preview', choices: chosen });
}

// ---------------------------------------------------------------- preview, progress, result
function previewSection(s: Readonly<Bulk>, msg: Preview): HTMLElement {
  const ready = msg.items.filter((i) => i.status === 'ready').length;
  const running = s.phase === 'running';
  return h(
    'section',
    { id: 'sec-preview', 'data-testid': 'sec-preview' },
    h('p', { 'data-testid': 'preview-summary' }, t('willRun', ready, msg.items.length - ready)),
    msg.notes.length ? h('ul', { class: 'plain', 'data-testid': 'preview-notes' }, msg.notes.map((n) => h('li', {}, n))) : null,
    table(
      { class: 'bulk', 'data-testid': 'preview-table' },
      [t('workspace'), t('status'), t('what')],
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
    h(
      'div',
      { class: 'actions' },
      running ? button('cancel', t('cancel'), () => post({ type: 'cancel' })) : null,
      !running && ready > 0 ? button('run', msg.confirmLabel, () => post({ type: 'run' }), { primary: true }) : null,
      !running && s.init?.action === 'connect' ? button('back', t('back'), () => post({ type: 'back' })) : null,
      button('close', t('close'), () => post({ type: 'close' })),
    ),
  );
}

/** Each workspace's progress, in its preview row. */
function syncProgress(progress: Bulk['progress']): void {
  for (const p of Object.values(progress)) {
    const cell = document.querySelector<HTMLElement>(`[data-testid="progress-${CSS.escape(p.key)}"]`);
    if (!cell) continue;
    cell.className = `phase-${p.phase}`;
    cell.setAttribute('data-phase', p.phase);
    cell.textContent = `${t(`phase.${p.phase}` as BulkStringKey)}${p.phase === 'running' && p.message ? `: ${p.message}` : ''}`;
  }
}

function resultRow(i: ResultItemView, copied: readonly string[]): HTMLTableRowElement {
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
        const done = copied.includes(`${i.key}\u0000${sec.id}`);
        const b = button(`copy-${i.key}-${sec.id}`, done ? t('copied') : t('copy', sec.label), () => post({ type: 'copySecret', key: i.key, id: sec.id }), { primary: true });
        b.disabled = done;
        return b;
      }),
    ),
    h('td', {}, `${i.seconds.toFixed(1)} s`),
  );
}

function resultCounts(msg: Result): string {
  return Object.entries(msg.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${t(`phase.${k}` as BulkStringKey)}`)
    .join(', ');
}

function resultSection(s: Readonly<Bulk>, msg: Result): HTMLElement {
  return h(
    'section',
    { id: 'sec-result', 'data-testid': 'sec-result' },
    h('h2', {}, t('result')),
    h('p', { 'data-testid': 'result-summary' }, resultCounts(msg)),
    table({ class: 'bulk', 'data-testid': 'result-table' }, [t('workspace'), t('status'), t('what'), t('time')], msg.items.map((i) => resultRow(i, s.copied))),
    h('div', { class: 'actions' }, button('close', t('close'), () => post({ type: 'close' })), button('show-log', t('showLog'), () => post({ type: 'showLog' }))),
  );
}

// ---------------------------------------------------------------- the page
function statusText(s: Readonly<Bulk>): string {
  if (s.notice) return s.notice;
  switch (s.phase) {
    case 'loading':
      return t('loading');
    case 'previewing':
      return t('previewing');
    case 'running': {
      const n = Object.values(s.progress).filter((p) => p.phase === 'running' || p.phase === 'queued').length;
      return t('running', n > 0 ? n : '');
    }
    default:
      return '';
  }
}

function stageSection(s: Readonly<Bulk>): HTMLElement | null {
  switch (s.stage.kind) {
    case 'form':
      return formSection(s, s.stage.workspaces);
    case 'preview':
      return previewSection(s, s.stage.preview);
    case 'result':
      return resultSection(s, s.stage.result);
    case 'none':
      return null;
  }
}

function render(s: Readonly<Bulk>, previous: Readonly<Bulk>): void {
  const app = byId('app');
  if (!app || !s.init) return;
  const rebuilt = s.init !== previous.init || s.strings !== previous.strings || !byId('sec-top');
  if (rebuilt) {
    clear(app);
    app.classList.add('wide');
    app.append(h('section', { id: 'sec-top', 'data-testid': 'sec-top' }, h('h1', { id: 'title' }, s.init.title), h('p', { class: 'muted' }, s.init.account), h('p', { role: 'status', id: 'status', 'data-testid': 'status' })));
  }
  const stageChanged = rebuilt || s.stage !== previous.stage || s.schemaLists !== previous.schemaLists || s.copied !== previous.copied || (s.stage.kind === 'preview' && s.phase !== previous.phase);
  if (stageChanged) {
    for (const id of ['sec-form', 'sec-preview', 'sec-result']) byId(id)?.remove();
    const sec = stageSection(s);
    if (sec) byId('sec-top')?.after(sec);
  }
  syncForm(s);
  syncProgress(s.progress);
  const status = byId('status');
  if (status) status.textContent = statusText(s);
  if (s.error !== previous.error || rebuilt) {
    byId('sec-error')?.remove();
    if (s.error) app.append(h('section', { id: 'sec-error', 'data-testid': 'sec-error' }, h('div', { class: 'callout error', 'data-testid': 'error' }, s.error), button('show-log', t('showLog'), () => post({ type: 'showLog' }))));
  }
}

channel.onMessage((msg) => {
  const s = view.current;
  switch (msg.type) {
    case 'init':
      view.update({ init: msg, strings: { ...BULK_STRINGS, ...msg.strings } });
      break;
    case 'phase':
      view.update({ phase: msg.phase, notice: undefined });
      break;
    case 'form': {
      const choices = { ...s.choices };
      for (const w of msg.workspaces) choices[w.key] ??= { key: w.key, use: false, catalog: w.defaults.catalog, schemas: w.defaults.schemas, warehouse: w.defaults.warehouse };
      view.update({ stage: { kind: 'form', workspaces: msg.workspaces }, choices });
      break;
    }
    case 'schemas': {
      const c = s.choices[msg.key];
      const choices = c && c.catalog === msg.catalog ? { ...s.choices, [msg.key]: { ...c, schemas: msg.schemas.includes('default') ? ['default'] : msg.schemas.slice(0, 1) } } : s.choices;
      view.update({ schemaLists: { ...s.schemaLists, [msg.key]: msg.schemas }, choices, ...(msg.error ? { notice: msg.error } : {}) });
      break;
    }
    case 'preview':
      view.update({ stage: { kind: 'preview', preview: msg }, progress: {} });
      break;
    case 'progress':
      view.update({ progress: Object.fromEntries(msg.items.map((p) => [p.key, p])) });
      break;
    case 'result':
      view.update({ stage: { kind: 'result', result: msg } });
      break;
    case 'copied':
      view.update({ copied: [...s.copied, `${msg.key}\u0000${msg.id}`] });
      break;
    case 'error':
      view.update({ error: msg.message });
      break;
  }
});
post({ type: 'ready' });
