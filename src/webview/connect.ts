/**
 * The connect form (runs in the webview), on the controls of lib/kit.ts.
 * One state (`view`): what the host sent, what the user chose and touched, the session's phase.
 * Message handlers and controls change it only through `view.update`; `render` builds the form once
 * per `init` (so keyboard focus is kept) and then draws every other part from the state. The fields
 * themselves are connect/fields.ts; the progress list and the result connect/outcome.ts.
 */
import {
  CONNECT_STRINGS,
  ConnectToHost,
  ConnectViewState,
  HostToConnect,
  type ConnectForm,
  type ConnectStringKey,
  type ErrorView,
  type FieldProblem,
  type Phase,
  type ProgressStep,
  type ResultView,
} from '../shared/protocol/connect';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';
import { button, badge } from './lib/kit';
import { ViewState, format } from './lib/view';
import { catalogField, catalogFieldShown, credentialField, destinationField, schemaField, schemaFieldShown, warehouseField, type Field, type FieldHost, type Init } from './connect/fields';
import { DONE_BUTTON, renderNextDone, renderProgress, renderResult } from './connect/outcome';

const channel = new Channel<HostToConnect, ConnectToHost, ConnectViewState>(HostToConnect, ConnectToHost, ConnectViewState);

interface Connect {
  strings: Record<string, string>;
  /** the host's description of the form (absent until it arrives) */
  init?: Init;
  loadError?: ErrorView;
  phase: Phase;
  form: ConnectForm;
  /** schema names per catalog, as the host listed them (kept with setState) */
  schemaCache: Readonly<Record<string, string[]>>;
  /** the last schema list request, and its refusal */
  schemaRequest: number;
  schemaError?: string;
  /** the validate the form waits for; `fresh`: its answer is in */
  validation: { requestId: number; fresh: boolean; problems: FieldProblem[]; plan: string[] };
  blocker?: ErrorView;
  /** fields the user has changed: a missing value is reported only there (or after pressing Connect) */
  touched: readonly Field[];
  attempted: boolean;
  steps: ProgressStep[];
  result?: ResultView;
  /** next steps the host has carried out: their button id → the host's line */
  nextDone: Readonly<Record<string, string>>;
  nextRequestId: number;
}

const view = new ViewState<Connect>(
  {
    strings: { ...CONNECT_STRINGS },
    phase: 'loading',
    form: { schemas: [] },
    schemaCache: {},
    schemaRequest: 0,
    validation: { requestId: 0, fresh: false, problems: [], plan: [] },
    touched: [],
    attempted: false,
    steps: [],
    nextDone: {},
    nextRequestId: 1,
  },
  render,
);

function t(key: ConnectStringKey, ...args: string[]): string {
  return format(view.current.strings[key] ?? CONNECT_STRINGS[key], ...args);
}

const post = (m: ConnectToHost): void => channel.post(m);

// ------------------------------------------------------------------ what the user does

/** A field changed: the new form is saved (setState) and validated by the host. */
function edit(form: ConnectForm, touched?: Field): void {
  choose(form, touched);
  saveAndValidate();
}

function choose(form: ConnectForm, touched?: Field): void {
  const s = view.current;
  view.update({ form, touched: touched && !s.touched.includes(touched) ? [...s.touched, touched] : s.touched });
}

function saveAndValidate(): void {
  channel.setState({ form: view.current.form, schemaCache: view.current.schemaCache });
  validate();
}

function validate(): void {
  const s = view.current;
  const requestId = s.nextRequestId;
  view.update({ nextRequestId: requestId + 1, validation: { ...s.validation, requestId, fresh: false } });
  post({ type: 'validate', requestId, form: view.current.form });
}

/** Lists the schemas of a catalog (from the cache at once, then from the host). */
function requestSchemas(catalog: string): void {
  const s = view.current;
  if (!s.init || !schemaFieldShown(s.init)) return;
  const requestId = s.nextRequestId;
  view.update({ nextRequestId: requestId + 1, schemaRequest: requestId, schemaError: undefined, form: { ...s.form, schemas: keepKnown(s.form.schemas, s.schemaCache[catalog]) } });
  post({ type: 'loadSchemas', requestId, catalog });
}

/** The chosen schemas that are in the list (all of them while the list is unknown). */
function keepKnown(chosen: string[], names: string[] | undefined): string[] {
  return names ? chosen.filter((x) => names.includes(x)) : chosen;
}

function ready(s: Readonly<Connect>): boolean {
  return s.phase === 'editing' && !s.blocker && s.validation.fresh && s.validation.problems.length === 0;
}

function onConnect(): void {
  const s = view.current;
  if (!ready(s)) return;
  view.update({ phase: 'connecting' });
  post({ type: 'connect', form: s.form });
}

// ------------------------------------------------------------------ building the form (once per init)

const fieldHost: FieldHost = { t, form: () => view.current.form, edit, choose, saveAndValidate, requestSchemas };

/** The page for an init: built once, then kept (render updates its parts). Returns the form as its controls start. */
function build(app: HTMLElement, msg: Init, form: ConnectForm): ConnectForm {
  const p = msg.partner;
  const warehouse = p.compute === 'existing-warehouse' || p.compute === 'create-warehouse' ? warehouseField(fieldHost, msg, form) : undefined;
  const fields: Array<HTMLElement | null> = [
    catalogFieldShown(msg) ? catalogField(fieldHost, msg, form) : null,
    schemaFieldShown(msg) ? schemaField(fieldHost, msg) : null,
    warehouse?.field ?? null,
    credentialField(fieldHost, msg, form),
    p.destinationLocation ? destinationField(fieldHost, form) : null,
  ];
  const website = p.website ? h('a', { href: '#', id: 'open-website', 'data-testid': 'open-website' }, t('openWebsite')) : null;
  website?.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'openWebsite' });
  });
  const formEl = h('form', { id: 'connect-form', novalidate: true }, fields);
  formEl.addEventListener('submit', (e) => {
    e.preventDefault();
    onConnect();
  });
  clear(app);
  appendAll(
    app,
    h('h1', { id: 'title' }, t('connectTo', p.name)),
    // When the connect cannot happen, that is the first thing the form says.
    h('div', { id: 'blocker', 'data-testid': 'blocker', class: 'callout error', role: 'alert', hidden: true }),
    h('p', { id: 'partner-summary', 'data-testid': 'partner-summary' }, badge(p.category, 'badge-category'), badge(p.access, 'badge-access'), p.description, ' ', website),
    h('p', { class: 'muted', id: 'workspace-line' }, `${t('workspace')}: ${msg.workspace.name} (${msg.workspace.host})`, msg.workspace.user ? ` — ${t('signedInAs', msg.workspace.user)}` : ''),
    h(
      'div',
      { id: 'editing' },
      msg.alreadyConnected ? h('div', { class: 'callout warning', id: 'already-connected', role: 'note' }, t('alreadyConnected')) : null,
      p.inferredNote ? h('p', { class: 'hint', id: 'inferred', 'data-testid': 'inferred' }, p.inferredNote) : null,
      formEl,
      h(
        'section',
        { id: 'plan-section', 'data-testid': 'plan-section' },
        h('h2', {}, t('whatHappens')),
        h('ul', { class: 'plan', id: 'plan', 'data-testid': 'plan', 'aria-live': 'polite' }),
      ),
      h('div', { id: 'general-error', class: 'error-text', role: 'alert', 'data-testid': 'general-error' }),
    ),
    h('section', { id: 'progress-section', hidden: true }, h('h2', {}, t('progress')), h('ul', { class: 'steps', id: 'progress', 'data-testid': 'progress', 'aria-live': 'polite' })),
    h('section', { id: 'result', 'data-testid': 'result', hidden: true, 'aria-live': 'assertive' }),
    // the primary action stays on screen (sticky footer), whatever the length of the form
    h(
      'div',
      { class: 'actions sticky', id: 'actions', 'data-testid': 'actions' },
      button(
        'connect',
        t('connect'),
        () => {
          view.update({ attempted: true });
          onConnect();
        },
        { primary: true },
      ),
      button('cancel', t('cancel'), () => post({ type: view.current.phase === 'connecting' ? 'cancel' : 'close' })),
      h('span', { id: 'connect-hint', class: 'muted', 'data-testid': 'connect-hint', 'aria-live': 'polite' }),
    ),
  );
  // what the controls start with: a catalog shown selected is chosen; the warehouse as the radios say
  const catalog = byId<HTMLSelectElement>('catalog');
  const shownCatalog = catalog?.selectedOptions[0] && !catalog.selectedOptions[0].disabled ? catalog.value || undefined : undefined;
  return { ...form, catalog: form.catalog ?? shownCatalog, ...(warehouse ? { warehouse: warehouse.choice } : {}) };
}

// ------------------------------------------------------------------ drawing the state

/** A missing value is an error only once the user touched the field or pressed Connect; until then it is a hint. */
function shownProblem(s: Readonly<Connect>, p: FieldProblem): boolean {
  return !p.required || s.attempted || s.touched.includes(p.field);
}

function renderProblems(s: Readonly<Connect>): void {
  const fields: Field[] = ['catalog', 'schemas', 'warehouse', 'destinationLocation', 'credentialLifetime', 'general'];
  const inputOf: Partial<Record<Field, string>> = { destinationLocation: 'destination', warehouse: 'warehouse-fieldset', credentialLifetime: 'credential-lifetime' };
  const problems = s.validation.problems;
  for (const f of fields) {
    const el = byId(f === 'general' ? 'general-error' : `${f}-error`);
    const msgs = problems.filter((p) => p.field === f && shownProblem(s, p)).map((p) => p.message);
    if (el && !(f === 'schemas' && s.schemaError)) el.textContent = msgs.join(' ');
    byId(inputOf[f] ?? f)?.setAttribute('aria-invalid', msgs.length > 0 ? 'true' : 'false');
  }
  const schemasError = byId('schemas-error');
  if (schemasError && s.schemaError) schemasError.textContent = s.schemaError;
  const hint = byId('connect-hint');
  if (hint) {
    const pending = s.phase === 'editing' && !s.blocker ? problems.filter((p) => !shownProblem(s, p)).map((p) => p.message) : [];
    hint.textContent = pending.length > 0 ? t('stillToChoose', pending.join(' ')) : '';
  }
}

/** The connect cannot happen: say why first, hide the choices and the plan. */
function renderBlocker(s: Readonly<Connect>): void {
  const el = byId('blocker');
  if (!el) return;
  clear(el);
  const b = s.phase === 'editing' ? s.blocker : undefined;
  el.hidden = !b;
  const editing = byId('editing');
  if (editing) editing.hidden = !!b;
  if (b) {
    appendAll(
      el,
      h('strong', { 'data-testid': 'blocker-title' }, b.title),
      h('p', { 'data-testid': 'blocker-message' }, b.message),
      b.whatToDo ? h('p', { 'data-testid': 'blocker-what-to-do' }, h('strong', {}, `${t('whatToDo')}: `), b.whatToDo) : null,
    );
  }
}

function renderPlan(lines: string[]): void {
  const ul = byId('plan');
  if (!ul) return;
  clear(ul);
  if (lines.length === 0) ul.append(h('li', { class: 'muted' }, t('planPending')));
  for (const l of lines) ul.append(h('li', {}, l));
}

function renderSchemas(s: Readonly<Connect>): void {
  const sel = byId<HTMLSelectElement>('schemas');
  if (!sel) return;
  const names = s.form.catalog ? s.schemaCache[s.form.catalog] : [];
  clear(sel);
  if (!names) {
    sel.append(h('option', { disabled: true, value: '' }, t('schemaLoading')));
    return;
  }
  if (!sel.multiple) sel.append(h('option', { value: '', selected: s.form.schemas.length === 0 }, '—'));
  for (const n of names) sel.append(h('option', { value: n, selected: s.form.schemas.includes(n), 'data-testid': `schema-option-${n}` }, n));
}

/** What may be changed in this phase, and the buttons' words. */
function renderPhase(s: Readonly<Connect>): void {
  const editable = s.phase === 'editing';
  const existingChosen = s.form.warehouse?.mode === 'existing';
  const noWarehouses = (s.init?.warehouses.length ?? 0) === 0;
  const disabled: Record<string, boolean> = {
    catalog: !editable,
    schemas: !editable,
    'warehouse-mode-existing': !editable || noWarehouses,
    'warehouse-mode-new': !editable,
    destination: !editable,
    'credential-lifetime': !editable,
    warehouse: !editable || !existingChosen,
    'warehouse-name': !editable || existingChosen,
    'warehouse-type': !editable || existingChosen,
  };
  for (const [id, off] of Object.entries(disabled)) {
    const el = byId<HTMLInputElement | HTMLSelectElement>(id);
    if (el) el.disabled = off;
  }
  const connect = byId<HTMLButtonElement>('connect');
  if (connect) {
    connect.textContent = s.phase === 'connecting' ? t('connecting') : t('connect');
    connect.disabled = !ready(s);
  }
  const cancel = byId<HTMLButtonElement>('cancel');
  if (cancel) {
    cancel.textContent = s.phase === 'cancelling' ? t('cancelling') : s.phase === 'connecting' || s.phase === 'editing' ? t('cancel') : t('close');
    cancel.disabled = s.phase === 'cancelling';
  }
  document.body.dataset.phase = s.phase;
}

function loadErrorPage(app: HTMLElement, e: ErrorView): void {
  clear(app);
  app.append(
    h(
      'div',
      { class: 'callout error', role: 'alert', 'data-testid': 'load-error' },
      h('strong', {}, e.title),
      h('p', {}, e.message),
      e.whatToDo ? h('p', {}, e.whatToDo) : null,
      button('show-log', t('showLog'), () => post({ type: 'showLog' })),
    ),
  );
}

function render(s: Readonly<Connect>, previous: Readonly<Connect>): void {
  const app = byId('app');
  if (!app) return;
  if (s.loadError !== previous.loadError && s.loadError) {
    loadErrorPage(app, s.loadError);
    return;
  }
  if (!s.init || !byId('connect-form')) return;
  renderBlocker(s);
  renderPhase(s);
  renderProblems(s);
  if (s.validation.plan !== previous.validation.plan || !byId('plan')?.firstChild) renderPlan(s.validation.plan);
  if (s.schemaCache !== previous.schemaCache || s.form.catalog !== previous.form.catalog || s.init !== previous.init) renderSchemas(s);
  if (s.steps !== previous.steps || s.init !== previous.init) renderProgress(s.steps);
  if (s.result !== previous.result || s.init !== previous.init) renderResult(s.result, s.phase, t, post);
  renderNextDone(s.nextDone);
}

// ------------------------------------------------------------------ messages

function onInit(msg: Init): void {
  const saved = channel.getState();
  let form: ConnectForm = saved ? saved.form : { ...msg.defaults, schemas: [...msg.defaults.schemas] };
  // A saved catalog that is no longer selectable falls back to the default.
  if (form.catalog && !msg.catalogs.some((c) => c.name === form.catalog && c.selectable)) form = { ...form, catalog: msg.defaults.catalog };
  if (!form.warehouse && msg.defaults.warehouse) form = { ...form, warehouse: msg.defaults.warehouse };
  // a saved lifetime above the cap (the cap was lowered since) comes back as the cap
  if (msg.credential && (form.credentialLifetimeDays === undefined || form.credentialLifetimeDays > msg.credential.maxDays)) form = { ...form, credentialLifetimeDays: msg.credential.maxDays };
  const strings = { ...CONNECT_STRINGS, ...msg.strings };
  // the strings first: the page is built with them
  view.update({ strings, loadError: undefined });
  const app = byId('app');
  if (app) form = build(app, msg, form);
  view.update({ init: msg, phase: msg.phase, blocker: msg.blocker, form, schemaCache: saved?.schemaCache ?? {}, steps: msg.steps, result: msg.result, nextDone: {} });
  if (form.catalog) requestSchemas(form.catalog);
  validate();
}

channel.onMessage((msg) => {
  const s = view.current;
  switch (msg.type) {
    case 'init':
      onInit(msg);
      break;
    case 'loadError':
      view.update({ loadError: msg.error });
      break;
    case 'schemas':
      if (msg.catalog !== s.form.catalog) break;
      if (msg.error) {
        view.update({ schemaError: msg.error });
        break;
      }
      view.update({ schemaCache: { ...s.schemaCache, [msg.catalog]: msg.schemas }, form: { ...s.form, schemas: keepKnown(s.form.schemas, msg.schemas) }, schemaError: undefined });
      channel.setState({ form: view.current.form, schemaCache: view.current.schemaCache });
      validate();
      break;
    case 'validation':
      if (msg.requestId !== s.validation.requestId) break;
      view.update({ validation: { requestId: msg.requestId, fresh: true, problems: msg.problems, plan: msg.plan }, blocker: msg.blocker });
      break;
    case 'phase':
      view.update({ phase: msg.phase });
      if (msg.phase === 'connecting') byId('progress-section')?.scrollIntoView({ block: 'start' });
      break;
    case 'progress':
      view.update({ steps: msg.steps });
      break;
    case 'result':
      view.update({ result: msg.result });
      break;
    case 'nextStepDone': {
      const id = DONE_BUTTON[msg.kind];
      if (id) view.update({ nextDone: { ...s.nextDone, [id]: msg.text } });
      break;
    }
  }
});

post({ type: 'ready' });
