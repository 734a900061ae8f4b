/**
 * The fleet matrix (runs in the webview): one row per partner, one column per workspace of the
 * account, each cell the partner's state there. Sticky header row and partner column, filters,
 * a roving-tabindex grid (arrow keys, Home/End, Ctrl+Home/End; Enter or a click shows the partner
 * in the tree). Columns that failed to load say why in their header.
 * One state (`view`): what the host sent and the grid's focused cell; `render` redraws the page when
 * the content changes and only moves the roving tab stop when the focus does.
 */
import * as z from 'zod/mini';
import { HostToMatrix, MATRIX_STRINGS, MatrixToHost, STATE_NAMES, type CellView, type ColumnView, type MatrixData, type MatrixFilterView, type MatrixStringKey } from '../shared/protocol/matrix';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';
import { button, checkbox, select } from './lib/kit';
import { ViewState, format } from './lib/view';

const Focus = z.object({ row: z._default(z.number(), 0), col: z._default(z.number(), 0) });
type Focus = z.infer<typeof Focus>;
const channel = new Channel<HostToMatrix, MatrixToHost, Focus>(HostToMatrix, MatrixToHost, Focus);

interface Matrix {
  strings: Record<string, string>;
  content: { kind: 'loading' } | { kind: 'data'; data: MatrixData } | { kind: 'error'; message: string };
  /** the grid's one tab stop (kept with setState when the panel is hidden) */
  focus: Focus;
}

const view = new ViewState<Matrix>({ strings: { ...MATRIX_STRINGS }, content: { kind: 'loading' }, focus: channel.getState() ?? { row: 0, col: 0 } }, render);

function t(key: MatrixStringKey, ...args: Array<string | number>): string {
  return format(view.current.strings[key] ?? MATRIX_STRINGS[key], ...args);
}

function shown(): MatrixData | undefined {
  const c = view.current.content;
  return c.kind === 'data' ? c.data : undefined;
}

const GLYPH: Record<CellView['state'], string> = {
  connected: '●',
  'connected-outside': '↗',
  'check-mark-only': '✓',
  degraded: '⚠',
  'not-connected': '○',
  unknown: '?',
};

function stateLabel(s: CellView['state']): string {
  return t(`state.${s}` as MatrixStringKey);
}

function setFilter(f: MatrixFilterView): void {
  channel.post({ type: 'setFilter', filter: f });
}

function filters(d: MatrixData): HTMLElement {
  const f = d.filter;
  const states = h(
    'span',
    { class: 'filter-states', role: 'group', 'aria-label': t('state') },
    STATE_NAMES.map((s) => {
      const box = checkbox({ 'data-testid': `filter-state-${s}`, checked: f.states.includes(s) }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[s]), ' ', stateLabel(s));
      box.input.addEventListener('change', () => setFilter({ ...f, states: box.input.checked ? [...f.states, s] : f.states.filter((x) => x !== s) }));
      box.field.classList.add('chip', `st-${s}`);
      return box.field;
    }),
  );
  const cat = select({ 'data-testid': 'filter-category', 'aria-label': t('category') }, h('option', { value: '' }, t('allCategories')), d.categories.map((c) => h('option', { value: c.id, selected: f.categories[0] === c.id }, c.label)));
  cat.select.addEventListener('change', () => setFilter({ ...f, categories: cat.select.value ? [cat.select.value] : [] }));
  const exp = select(
    { 'data-testid': 'filter-expiring', 'aria-label': t('expiring') },
    h('option', { value: '' }, t('anyExpiry')),
    [7, 30, 90].map((n) => h('option', { value: String(n), selected: f.expiringWithinDays === n }, t('days', n))),
  );
  exp.select.addEventListener('change', () => setFilter({ ...f, expiringWithinDays: exp.select.value ? Number(exp.select.value) : null }));
  return h('fieldset', { class: 'filters', 'data-testid': 'filters' }, h('legend', { class: 'sr-only' }, t('filters')), states, h('label', { class: 'inline' }, t('category'), ' ', cat.field), h('label', { class: 'inline' }, t('expiring'), ' ', exp.field));
}

/** A short word for why a column is not (fully) loaded; the whole reason is in its title and the list below the table. */
function shortReason(c: ColumnView): string {
  if (c.status === 'loading' || c.status === 'pending') return t('loading');
  if (!c.reasonCode) return '';
  return t(`reason.${c.reasonCode}` as MatrixStringKey) || t('failed');
}

function columnHeader(c: ColumnView, i: number): HTMLElement {
  const status = shortReason(c);
  return h(
    'th',
    {
      scope: 'col',
      class: `col col-${c.status}${c.reasonCode ? ` reason-${c.reasonCode}` : ''}`,
      'data-testid': `col-${i}`,
      'data-ws': c.key,
      'data-status': c.status,
      title: [c.name, c.host ?? '', c.reason ?? ''].filter(Boolean).join('\n'),
      'aria-description': c.reason ?? undefined,
    },
    h('span', { class: 'col-name' }, c.name),
    status ? h('span', { class: `col-status ${c.status === 'failed' ? 'bad' : 'warn'}`, 'data-testid': `col-status-${i}` }, status) : null,
  );
}

/** Every column that is not (fully) loaded, with its whole reason. */
function reasons(d: MatrixData): HTMLElement | null {
  const cols = d.columns.filter((c) => c.reason);
  if (cols.length === 0) return null;
  return h('ul', { class: 'plain col-reasons', 'data-testid': 'column-reasons' }, cols.map((c) => h('li', { 'data-ws': c.key }, h('strong', { class: c.status === 'failed' ? 'bad' : 'warn' }, c.name), ': ', c.reason ?? '')));
}

function cellTitle(rowName: string, col: ColumnView, c: CellView): string {
  const parts = [`${rowName} — ${col.name}: ${stateLabel(c.state)}`];
  if (c.reasons.length) parts.push(c.reasons.join(', '));
  if (c.principal) parts.push(c.principal);
  if (c.expires) parts.push(t('expires', c.expires.slice(0, 10)));
  if (c.state === 'unknown' && col.reason) parts.push(col.reason);
  return parts.join('\n');
}

function dataPage(d: MatrixData, focus: Focus): HTMLElement[] {
  const table = h('table', { class: 'matrix', role: 'grid', 'aria-label': t('title', d.account.name), 'aria-describedby': 'matrix-help', 'data-testid': 'matrix' });
  const head = h('thead', {}, h('tr', {}, h('th', { class: 'corner', scope: 'col' }, t('partner')), d.columns.map(columnHeader)));
  const body = h(
    'tbody',
    {},
    d.rows.map((r, ri) =>
      h(
        'tr',
        { 'data-partner': r.partnerId },
        h(
          'th',
          { scope: 'row', class: 'rowhead', title: [r.categoryLabel, t('connectedIn', r.connectedIn), r.accountPrincipals !== null ? t('principals', r.accountPrincipals) : ''].filter(Boolean).join('\n') },
          h('span', { class: 'row-name' }, r.name),
          h('span', { class: 'row-cat' }, r.categoryLabel),
        ),
        r.cells.map((c, ci) => {
          const col = d.columns[ci];
          const td = h(
            'td',
            {
              role: 'gridcell',
              class: `cell st-${c.state}${c.match ? '' : ' dim'}${c.expiring ? ' expiring' : ''}`,
              tabindex: ri === focus.row && ci === focus.col ? 0 : -1,
              'data-testid': `cell-${r.partnerId}-${ci}`,
              'data-row': ri,
              'data-col': ci,
              'data-state': c.state,
              'aria-label': cellTitle(r.name, col, c),
              title: cellTitle(r.name, col, c),
            },
            h('span', { class: 'glyph', 'aria-hidden': 'true' }, GLYPH[c.state]),
            c.expiring ? h('span', { class: 'exp', 'aria-hidden': 'true' }, '⏱') : null,
          );
          td.addEventListener('click', () => {
            moveTo(ri, ci);
            reveal(ri, ci);
          });
          return td;
        }),
      ),
    ),
  );
  appendAll(table, head, body);
  return [
    h('h1', { id: 'title' }, t('title', d.account.name)),
    h('p', { class: 'muted' }, t('subtitle', d.account.host, d.account.accountId)),
    h(
      'div',
      { class: 'actions' },
      button('refresh', t('refresh'), () => channel.post({ type: 'refresh' })),
      button('action-connect', t('connect'), () => channel.post({ type: 'action', action: 'connect' }), { primary: true }),
      button('action-rotate', t('rotate'), () => channel.post({ type: 'action', action: 'rotate' })),
      button('action-offboard', t('offboard'), () => channel.post({ type: 'action', action: 'offboard' })),
      button('action-report', t('report'), () => channel.post({ type: 'action', action: 'report' })),
    ),
    h('p', { role: 'status', 'data-testid': 'progress', class: d.progress.loaded < d.progress.total ? 'warn' : 'muted' }, t('loaded', d.progress.loaded, d.progress.total)),
    d.listNote ? h('div', { class: 'callout warning', 'data-testid': 'list-note' }, d.listNote) : null,
    filters(d),
    d.rows.length === 0 ? h('p', { class: 'muted', 'data-testid': 'no-rows' }, t('noRows')) : h('div', { class: 'matrix-wrap' }, table),
    d.hidden > 0 ? h('p', { class: 'muted', 'data-testid': 'hidden' }, t('hidden', d.hidden)) : null,
    reasons(d),
    h('p', { class: 'hint', id: 'matrix-help' }, t('keyboard')),
  ].filter((x): x is HTMLElement => x !== null);
}

function errorPage(message: string): HTMLElement[] {
  return [h('div', { class: 'callout error', 'data-testid': 'error' }, message), button('show-log', t('showLog'), () => channel.post({ type: 'showLog' }))];
}

function cellAt(row: number, col: number): HTMLElement | null {
  return document.querySelector<HTMLElement>(`td.cell[data-row="${row}"][data-col="${col}"]`);
}

/** Moves the grid's tab stop (and keyboard focus) to a cell, clamped to the grid. */
function moveTo(row: number, col: number): void {
  const data = shown();
  if (!data || data.rows.length === 0) return;
  view.update({ focus: { row: Math.max(0, Math.min(data.rows.length - 1, row)), col: Math.max(0, Math.min(data.columns.length - 1, col)) } });
  cellAt(view.current.focus.row, view.current.focus.col)?.focus();
}

function render(s: Readonly<Matrix>, previous: Readonly<Matrix>): void {
  const app = byId('app');
  if (!app) return;
  if (s.content !== previous.content || s.strings !== previous.strings) {
    const c = s.content;
    const keepFocus = document.activeElement?.classList.contains('cell') ?? false;
    clear(app);
    app.classList.add('wide');
    if (c.kind === 'loading') app.append(h('p', { class: 'muted' }, t('loading')));
    else if (c.kind === 'error') appendAll(app, errorPage(c.message));
    else appendAll(app, dataPage(c.data, s.focus));
    if (keepFocus) cellAt(s.focus.row, s.focus.col)?.focus();
  } else if (s.focus !== previous.focus) {
    cellAt(previous.focus.row, previous.focus.col)?.setAttribute('tabindex', '-1');
    cellAt(s.focus.row, s.focus.col)?.setAttribute('tabindex', '0');
  }
  if (s.focus !== previous.focus) channel.setState(s.focus);
}

function reveal(row: number, col: number): void {
  const data = shown();
  if (!data) return;
  const r = data.rows[row];
  const c = data.columns[col];
  if (r && c && c.status === 'ready') channel.post({ type: 'reveal', key: c.key, partnerId: r.partnerId });
}

document.addEventListener('keydown', (e: KeyboardEvent) => {
  const target = e.target as HTMLElement | null;
  const data = shown();
  if (!target?.classList.contains('cell') || !data) return;
  const row = Number(target.dataset.row);
  const col = Number(target.dataset.col);
  const last = { row: data.rows.length - 1, col: data.columns.length - 1 };
  const moves: Record<string, [number, number]> = {
    ArrowUp: [row - 1, col],
    ArrowDown: [row + 1, col],
    ArrowLeft: [row, col - 1],
    ArrowRight: [row, col + 1],
    Home: e.ctrlKey ? [0, 0] : [row, 0],
    End: e.ctrlKey ? [last.row, last.col] : [row, last.col],
    PageUp: [row - 10, col],
    PageDown: [row + 10, col],
  };
  const m = moves[e.key];
  if (m) {
    e.preventDefault();
    moveTo(m[0], m[1]);
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    reveal(row, col);
  }
});

channel.onMessage((msg) => {
  switch (msg.type) {
    case 'data':
      view.update({ strings: { ...MATRIX_STRINGS, ...msg.strings }, content: { kind: 'data', data: msg.data } });
      break;
    case 'loading':
      // a reload keeps the matrix on screen until the new data is there
      if (!shown()) view.update({ content: { kind: 'loading' } });
      break;
    case 'error':
      view.update({ content: { kind: 'error', message: msg.message } });
      break;
  }
});
channel.post({ type: 'ready' });
