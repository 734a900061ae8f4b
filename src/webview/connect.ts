/**
 * The connect form (runs in the webview). Plain DOM on VS Code theme variables.
 * Builds the form once per `init` and then updates parts in place, so that keyboard focus is kept.
 */
import {
  CONNECT_STRINGS,
  ConnectToHost,
  ConnectViewState,
  HostToConnect,
  WarehouseTypeName,
  type ConnectForm,
  type ConnectStringKey,
  type ErrorView,
  type FieldProblem,
  type ProgressStep,
  type ResultView,
  type Phase,
} from './protocol/connect';
import { Channel } from './lib/vscodeApi';
import { appendAll, byId, clear, h } from './lib/dom';

type Init = Extract<HostToConnect, { type: 'init' }>;

const channel = new Channel<HostToConnect, ConnectToHost, ConnectViewState>(HostToConnect, ConnectToHost, ConnectViewState);
const app = byId('app') as HTMLElement;

let strings: Record<string, string> = { ...CONNECT_STRINGS };
let init: Init | undefined;
let form: ConnectForm = { schemas: [] };
let schemaCache: Record<string, string[]> = {};
let phase: Phase = 'loading';
let lastValidationId = 0;
let validationFresh = false;
let problems: FieldProblem[] = [];
let blocker: ErrorView | undefined;
/** fields the user has changed: a missing value is reported only there (or after pressing Connect) */
const touched = new Set<FieldProblem['field']>();
let attempted = false;
let nextRequestId = 1;
let pendingSchemaRequest = 0;

function t(key: ConnectStringKey, ...args: string[]): string {
  let s = strings[key] ?? CONNECT_STRINGS[key];
  args.forEach((a, i) => {
    s = s.split(`{${i}}`).join(a);
  });
  return s;
}

function saveState(): void {
  channel.setState({ form, schemaCache });
}

// ------------------------------------------------------------------ building the form

function build(msg: Init): void {
  init = msg;
  strings = { ...CONNECT_STRINGS, ...msg.strings };
  const saved = channel.getState();
  if (saved) {
    form = saved.form;
    schemaCache = saved.schemaCache;
  } else {
    form = { ...msg.defaults, schemas: [...msg.defaults.schemas] };
  }
  // A saved catalog that is no longer selectable falls back to the default.
  if (form.catalog && !msg.catalogs.some((c) => c.name === form.catalog && c.selectable)) form.catalog = msg.defaults.catalog;
  if (!form.warehouse && msg.defaults.warehouse) form.warehouse = msg.defaults.warehouse;
  phase = msg.phase;

  const p = msg.partner;
  blocker = msg.blocker;
  clear(app);
  appendAll(app,
    h('h1', { id: 'title' }, t('connectTo', p.name)),
    // When the connect cannot happen, that is the first thing the form says.
    h('div', { id: 'blocker', 'data-testid': 'blocker', class: 'callout error', role: 'alert', hidden: true }),
    h(
      'p',
      { id: 'partner-summary', 'data-testid': 'partner-summary' },
      h('span', { class: 'badge', 'data-testid': 'badge-category' }, p.category),
      h('span', { class: 'badge', 'data-testid': 'badge-access' }, p.access),
      p.description,
      ' ',
      p.website ? h('a', { href: '#', id: 'open-website', 'data-testid': 'open-website' }, t('openWebsite')) : null,
    ),
    h(
      'p',
      { class: 'muted', id: 'workspace-line' },
      `${t('workspace')}: ${msg.workspace.name} (${msg.workspace.host})`,
      msg.workspace.user ? ` — ${t('signedInAs', msg.workspace.user)}` : '',
    ),
    h(
      'div',
      { id: 'editing' },
      msg.alreadyConnected ? h('div', { class: 'callout warning', id: 'already-connected', role: 'note' }, t('alreadyConnected')) : null,
      p.inferredNote ? h('p', { class: 'hint', id: 'inferred', 'data-testid': 'inferred' }, p.inferredNote) : null,
      h('form', { id: 'connect-form', novalidate: true }, buildFields(msg)),
      h(
        'section',
        { id: 'plan-section', 'data-testid': 'plan-section' },
        h('h2', {}, t('whatHappens')),
        h('ul', { class: 'plan', id: 'plan', 'data-testid': 'plan', 'aria-live': 'polite' }, h('li', { class: 'muted' }, t('planPending'))),
      ),
      h('div', { id: 'general-error', class: 'error-text', role: 'alert', 'data-testid': 'general-error' }),
    ),
    h('section', { id: 'progress-section', hidden: true }, h('h2', {}, t('progress')), h('ul', { class: 'steps', id: 'progress', 'data-testid': 'progress', 'aria-live': 'polite' })),
    h('section', { id: 'result', 'data-testid': 'result', hidden: true, 'aria-live': 'assertive' }),
    // the primary action stays on screen (sticky footer), whatever the length of the form
    h(
      'div',
      { class: 'actions sticky', id: 'actions', 'data-testid': 'actions' },
      h('button', { id: 'connect', type: 'button', 'data-testid': 'connect' }, t('connect')),
      h('button', { id: 'cancel', type: 'button', class: 'secondary', 'data-testid': 'cancel' }, t('cancel')),
      h('span', { id: 'connect-hint', class: 'muted', 'data-testid': 'connect-hint', 'aria-live': 'polite' }),
    ),
  );
  renderBlocker();

  byId('open-website')?.addEventListener('click', (e) => {
    e.preventDefault();
    channel.post({ type: 'openWebsite' });
  });
  byId('connect')?.addEventListener('click', () => {
    attempted = true;
    renderProblems();
    onConnect();
  });
  byId('cancel')?.addEventListener('click', () => {
    if (phase === 'connecting') channel.post({ type: 'cancel' });
    else channel.post({ type: 'close' });
  });
  byId('connect-form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    onConnect();
  });

  wireFields(msg);
  if (form.catalog) requestSchemas(form.catalog);
  else fillSchemas([]);
  renderProgress(msg.steps);
  if (msg.result) renderResult(msg.result);
  applyPhase();
  validate();
}

function fieldError(id: string): HTMLElement {
  return h('p', { id: `${id}-error`, class: 'error-text', role: 'alert', 'data-testid': `${id}-error` });
}

function buildFields(msg: Init): HTMLElement[] {
  const p = msg.partner;
  const out: HTMLElement[] = [];
  const desktop = msg.desktopDefaults;
  // Catalog
  if (p.compute !== 'none' || p.schemaSelection !== 'none' || msg.catalogs.length > 0) {
    const blocked = msg.catalogs.filter((c) => !c.selectable);
    const select = h(
      'select',
      { id: 'catalog', 'data-testid': 'catalog', 'aria-describedby': 'catalog-hint catalog-error' },
      desktop ? h('option', { value: '', selected: !form.catalog, 'data-testid': 'catalog-option-none' }, t('catalogNone')) : null,
      msg.catalogs.map((c) =>
        h(
          'option',
          { value: c.name, disabled: !c.selectable, selected: c.name === form.catalog, 'data-testid': `catalog-option-${c.name}` },
          c.selectable ? `${c.name}${c.isDefault ? ' (default)' : ''}${c.owner ? ` — owner ${c.owner}` : ''}` : `${c.name} — ${c.reason ?? ''}`,
        ),
      ),
    );
    if (msg.catalogs.length > 0) {
      out.push(
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'catalog' }, desktop ? t('catalogOptional') : t('catalog')),
          select,
          h('p', { id: 'catalog-hint', class: 'hint' }, msg.catalogNote ?? (desktop ? t('desktopCatalogHint') : t('catalogHint'))),
          blocked.length > 0
            ? h(
                'details',
                { id: 'catalog-blocked', 'data-testid': 'catalog-blocked' },
                h('summary', {}, `${t('unavailableCatalogs')} (${blocked.length})`),
                h('ul', { class: 'plain' }, blocked.map((c) => h('li', {}, h('code', {}, c.name), ': ', c.reason ?? ''))),
              )
            : null,
          fieldError('catalog'),
        ),
      );
    }
  }
  // Schemas
  if (p.schemaSelection !== 'none' || desktop) {
    const many = p.schemaSelection === 'many';
    out.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'schemas' }, many ? t('schemaMany') : desktop ? t('schemaOptional') : t('schemaOne')),
        h('select', { id: 'schemas', 'data-testid': 'schemas', multiple: many, size: many ? 6 : undefined, 'aria-describedby': 'schemas-hint schemas-error' }),
        h('p', { id: 'schemas-hint', class: 'hint' }, many ? t('schemaManyHint') : ''),
        fieldError('schemas'),
      ),
    );
  }
  // Warehouse
  if (p.compute === 'existing-warehouse' || p.compute === 'create-warehouse') {
    const hasExisting = msg.warehouses.length > 0;
    out.push(
      h(
        'fieldset',
        { id: 'warehouse-fieldset', 'aria-describedby': 'warehouse-error' },
        h('legend', {}, t('warehouse')),
        h(
          'label',
          { class: 'radio' },
          h('input', { type: 'radio', name: 'warehouse-mode', id: 'warehouse-mode-existing', value: 'existing', 'data-testid': 'warehouse-mode-existing', disabled: !hasExisting }),
          ' ',
          t('warehouseExisting'),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'warehouse', class: 'sr-only' }, t('warehouse')),
          h(
            'select',
            { id: 'warehouse', 'data-testid': 'warehouse', disabled: !hasExisting },
            msg.warehouses.map((w) => h('option', { value: w.id, 'data-testid': `warehouse-option-${w.id}` }, `${w.name} — ${w.state}${w.size ? `, ${w.size}` : ''} (${w.id})`)),
          ),
          hasExisting ? null : h('p', { class: 'hint' }, t('noWarehouses')),
        ),
        h(
          'label',
          { class: 'radio' },
          h('input', { type: 'radio', name: 'warehouse-mode', id: 'warehouse-mode-new', value: 'new', 'data-testid': 'warehouse-mode-new' }),
          ' ',
          t('warehouseNew'),
        ),
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'warehouse-name' }, t('warehouseName')),
          h('input', { type: 'text', id: 'warehouse-name', 'data-testid': 'warehouse-name', maxlength: 99 }),
        ),
        msg.warehouseTypes && msg.warehouseTypes.length > 0
          ? h(
              'div',
              { class: 'field' },
              h('label', { for: 'warehouse-type' }, t('warehouseType')),
              h(
                'select',
                { id: 'warehouse-type', 'data-testid': 'warehouse-type', 'aria-describedby': 'warehouse-type-hint' },
                msg.warehouseTypes.map((o) =>
                  h('option', { value: o.type, disabled: !o.offered, 'data-testid': `warehouse-type-option-${o.type}` }, o.offered ? o.label : t('warehouseTypeNotOffered', o.label, o.reason ?? '')),
                ),
              ),
              h('p', { id: 'warehouse-type-hint', class: 'hint' }, msg.warehouseTypeNote ?? ''),
            )
          : null,
        fieldError('warehouse'),
      ),
    );
  }
  if (msg.credential) {
    const c = msg.credential;
    out.push(
      h(
        'fieldset',
        { id: 'credential-fieldset', 'data-testid': 'credential', 'data-kind': c.kind },
        h('legend', {}, t('credential')),
        h('p', { id: 'credential-kind', 'data-testid': 'credential-kind' }, t(c.actsAsUser ? 'credentialKindUser' : 'credentialKind', c.label, c.why)),
        c.fallback ? h('p', { class: 'hint', id: 'credential-fallback' }, c.fallback) : null,
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'credential-lifetime' }, t('credentialLifetime')),
          h('input', {
            type: 'number',
            id: 'credential-lifetime',
            'data-testid': 'credential-lifetime',
            min: 1,
            max: c.maxDays,
            step: 1,
            inputmode: 'numeric',
            'aria-describedby': 'credential-lifetime-hint credentialLifetime-error',
          }),
          h('p', { id: 'credential-lifetime-hint', class: 'hint' }, t('credentialLifetimeHint', c.capNote)),
          fieldError('credentialLifetime'),
        ),
      ),
    );
  }
  if (p.destinationLocation) {
    out.push(
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'destination' }, t('destination')),
        h('input', { type: 'text', id: 'destination', 'data-testid': 'destination', 'aria-describedby': 'destination-hint destination-error', placeholder: 's3://bucket/path' }),
        h('p', { id: 'destination-hint', class: 'hint' }, t('destinationHint')),
        fieldError('destinationLocation'),
      ),
    );
  }
  return out;
}

function wireFields(msg: Init): void {
  const catalog = byId<HTMLSelectElement>('catalog');
  if (catalog) {
    if (form.catalog) catalog.value = form.catalog;
    else if (catalog.selectedOptions[0] && !catalog.selectedOptions[0].disabled) form.catalog = catalog.value || undefined;
    catalog.addEventListener('change', () => {
      touched.add('catalog');
      form.catalog = catalog.value || undefined;
      form.schemas = [];
      if (form.catalog) requestSchemas(form.catalog);
      else fillSchemas([]);
      changed();
    });
  }
  const schemas = byId<HTMLSelectElement>('schemas');
  schemas?.addEventListener('change', () => {
    touched.add('schemas');
    form.schemas = Array.from(schemas.selectedOptions)
      .map((o) => o.value)
      .filter(Boolean);
    changed();
  });
  const modeExisting = byId<HTMLInputElement>('warehouse-mode-existing');
  const modeNew = byId<HTMLInputElement>('warehouse-mode-new');
  const whSelect = byId<HTMLSelectElement>('warehouse');
  const whName = byId<HTMLInputElement>('warehouse-name');
  if (modeExisting && modeNew && whSelect && whName) {
    const w = form.warehouse;
    if (w?.mode === 'existing' && msg.warehouses.some((x) => x.id === w.id)) {
      modeExisting.checked = true;
      whSelect.value = w.id;
    } else if (w?.mode === 'new') {
      modeNew.checked = true;
      whName.value = w.name;
    } else if (msg.warehouses.length > 0) {
      modeExisting.checked = true;
    } else {
      modeNew.checked = true;
    }
    // a name is proposed for a new warehouse for every partner (<PARTNER>_ENDPOINT)
    if (!whName.value && msg.proposedWarehouseName) whName.value = msg.proposedWarehouseName;
    const whType = byId<HTMLSelectElement>('warehouse-type');
    const savedType = w?.mode === 'new' ? w.type : undefined;
    const typeDefault = msg.defaults.warehouse?.mode === 'new' ? msg.defaults.warehouse.type : undefined;
    if (whType) {
      const offered = (x?: string): boolean => !!x && (msg.warehouseTypes ?? []).some((o) => o.type === x && o.offered);
      const first = (msg.warehouseTypes ?? []).find((o) => o.offered)?.type;
      const pick = offered(savedType) ? savedType : offered(typeDefault) ? typeDefault : first;
      if (pick) whType.value = pick;
    }
    const sync = (): void => {
      whSelect.disabled = !modeExisting.checked;
      whName.disabled = !modeNew.checked;
      if (whType) whType.disabled = !modeNew.checked;
      const parsed = WarehouseTypeName.safeParse(whType?.value);
      const type = parsed.success ? parsed.data : undefined;
      form.warehouse = modeExisting.checked ? { mode: 'existing', id: whSelect.value } : { mode: 'new', name: whName.value, ...(type ? { type } : {}) };
    };
    sync();
    for (const el of [modeExisting, modeNew, whSelect, ...(whType ? [whType] : [])]) el.addEventListener('change', () => (touched.add('warehouse'), sync(), changed()));
    whName.addEventListener('input', () => (touched.add('warehouse'), sync(), changed()));
  }
  const lifetime = byId<HTMLInputElement>('credential-lifetime');
  if (lifetime && msg.credential) {
    const max = msg.credential.maxDays;
    // a saved lifetime above the cap (the cap was lowered since) comes back as the cap
    if (form.credentialLifetimeDays === undefined || form.credentialLifetimeDays > max) form.credentialLifetimeDays = max;
    lifetime.value = String(form.credentialLifetimeDays);
    lifetime.addEventListener('input', () => {
      const typed = lifetime.value.trim();
      // 0 is never valid: the host answers with the allowed range (an empty or unreadable field is not "the default")
      form.credentialLifetimeDays = /^\d+$/.test(typed) ? Number(typed) : 0;
      changed();
    });
  }
  const dest = byId<HTMLInputElement>('destination');
  if (dest) {
    dest.value = form.destinationLocation ?? '';
    dest.addEventListener('input', () => {
      touched.add('destinationLocation');
      form.destinationLocation = dest.value.trim() === '' ? undefined : dest.value.trim();
      changed();
    });
  }
}

function requestSchemas(catalog: string): void {
  const cached = schemaCache[catalog];
  if (cached) {
    fillSchemas(cached);
  } else {
    const sel = byId<HTMLSelectElement>('schemas');
    if (sel) {
      clear(sel);
      sel.append(h('option', { disabled: true, value: '' }, t('schemaLoading')));
    }
  }
  if (!byId('schemas')) return;
  pendingSchemaRequest = nextRequestId++;
  channel.post({ type: 'loadSchemas', requestId: pendingSchemaRequest, catalog });
}

function fillSchemas(names: string[]): void {
  const sel = byId<HTMLSelectElement>('schemas');
  if (!sel) return;
  const many = sel.multiple;
  clear(sel);
  if (!many) sel.append(h('option', { value: '', selected: form.schemas.length === 0 }, '—'));
  for (const n of names) sel.append(h('option', { value: n, selected: form.schemas.includes(n), 'data-testid': `schema-option-${n}` }, n));
  form.schemas = form.schemas.filter((s) => names.includes(s));
}

function changed(): void {
  saveState();
  validate();
}

function validate(): void {
  validationFresh = false;
  lastValidationId = nextRequestId++;
  updateConnectButton();
  channel.post({ type: 'validate', requestId: lastValidationId, form });
}

function updateConnectButton(): void {
  const btn = byId<HTMLButtonElement>('connect');
  if (!btn) return;
  btn.disabled = phase !== 'editing' || !!blocker || !validationFresh || problems.length > 0;
  const cancel = byId<HTMLButtonElement>('cancel');
  if (cancel) {
    cancel.textContent = phase === 'connecting' ? t('cancel') : phase === 'cancelling' ? t('cancelling') : phase === 'editing' ? t('cancel') : t('close');
    cancel.disabled = phase === 'cancelling';
  }
}

/** A missing value is an error only once the user touched the field or pressed Connect; until then it is a hint. */
function shown(p: FieldProblem): boolean {
  return !p.required || attempted || touched.has(p.field);
}

function renderProblems(): void {
  const fields: FieldProblem['field'][] = ['catalog', 'schemas', 'warehouse', 'destinationLocation', 'credentialLifetime', 'general'];
  const inputOf: Partial<Record<FieldProblem['field'], string>> = { destinationLocation: 'destination', warehouse: 'warehouse-fieldset', credentialLifetime: 'credential-lifetime' };
  for (const f of fields) {
    const el = byId(f === 'general' ? 'general-error' : `${f}-error`);
    const msgs = problems.filter((p) => p.field === f && shown(p)).map((p) => p.message);
    if (el) el.textContent = msgs.join(' ');
    const input = byId(inputOf[f] ?? f);
    if (input) input.setAttribute('aria-invalid', msgs.length > 0 ? 'true' : 'false');
  }
  const hint = byId('connect-hint');
  if (hint) {
    const pending = phase === 'editing' && !blocker ? problems.filter((p) => !shown(p)).map((p) => p.message) : [];
    hint.textContent = pending.length > 0 ? t('stillToChoose', pending.join(' ')) : '';
  }
}

/** The connect cannot happen: say why first, hide the choices and the plan. */
function renderBlocker(): void {
  const el = byId('blocker');
  const editing = byId('editing');
  if (!el) return;
  clear(el);
  const b = phase === 'editing' ? blocker : undefined;
  el.hidden = !b;
  if (editing) editing.hidden = !!b;
  if (b) {
    appendAll(
      el,
      h('strong', { 'data-testid': 'blocker-title' }, b.title),
      h('p', { 'data-testid': 'blocker-message' }, b.message),
      b.whatToDo ? h('p', { 'data-testid': 'blocker-what-to-do' }, h('strong', {}, `${t('whatToDo')}: `), b.whatToDo) : null,
    );
  }
  updateConnectButton();
}

function renderPlan(lines: string[]): void {
  const ul = byId('plan');
  if (!ul) return;
  clear(ul);
  if (lines.length === 0) ul.append(h('li', { class: 'muted' }, t('planPending')));
  for (const l of lines) ul.append(h('li', {}, l));
}

const ICONS: Record<ProgressStep['status'], string> = {
  pending: '○',
  running: '◐',
  done: '✓',
  failed: '✗',
  'rolled-back': '↺',
  skipped: '–',
};

function renderProgress(steps: ProgressStep[]): void {
  const section = byId('progress-section');
  const ul = byId('progress');
  if (!section || !ul) return;
  section.hidden = steps.length === 0;
  clear(ul);
  for (const s of steps) {
    ul.append(
      h(
        'li',
        { class: `st-${s.status}`, 'data-testid': `step-${s.id}`, 'data-status': s.status },
        h('span', { class: 'status-icon', 'aria-hidden': 'true' }, ICONS[s.status]),
        h('span', { class: 'sr-only' }, `${s.status}: `),
        s.label,
        s.detail ? h('span', { class: 'muted' }, ` — ${s.detail}`) : null,
      ),
    );
  }
}

function renderResult(r: ResultView): void {
  const el = byId('result');
  if (!el) return;
  clear(el);
  el.hidden = false;
  if (r.ok) {
    appendAll(el,
      h('h2', {}, t('result')),
      h('div', { class: 'callout success', id: 'result-ok', 'data-testid': 'result-ok', tabindex: -1 }, h('strong', {}, t('connected')), ' — ', r.summary),
      r.resources.length > 0 ? h('div', {}, h('h3', {}, t('resources')), h('ul', { class: 'plain', 'data-testid': 'result-resources' }, r.resources.map((x) => h('li', {}, x)))) : null,
      r.nextSteps.length > 0
        ? h(
            'div',
            { 'data-testid': 'next-steps' },
            h('h3', {}, t('nextSteps')),
            h(
              'ul',
              { class: 'plain' },
              r.nextSteps.map((s) => {
                const btnId = s.kind === 'open-link' ? 'next-open-link' : s.kind === 'save-file' ? 'next-save-file' : s.kind === 'copy-token' ? 'next-copy-token' : undefined;
                const label = s.kind === 'open-link' ? t('openPartner') : s.kind === 'save-file' ? t('saveFile') : s.kind === 'copy-token' ? t('copyToken') : undefined;
                return h(
                  'li',
                  { 'data-kind': s.kind, id: btnId ? `${btnId}-item` : undefined },
                  s.text,
                  btnId && label ? ' ' : null,
                  btnId && label ? h('button', { id: btnId, 'data-testid': btnId, type: 'button', class: 'secondary' }, label) : null,
                );
              }),
            ),
          )
        : null,
    );
    for (const [id, kind] of [
      ['next-open-link', 'open-link'],
      ['next-save-file', 'save-file'],
      ['next-copy-token', 'copy-token'],
    ] as const) {
      byId(id)?.addEventListener('click', () => channel.post({ type: 'nextStep', kind }));
    }
    reveal('result-ok');
  } else {
    const e = r.error;
    appendAll(el,
      h('h2', {}, phase === 'cancelled' ? t('cancel') : t('failed')),
      h(
        'div',
        { class: 'callout error', role: 'alert', id: 'result-error', 'data-testid': 'result-error', tabindex: -1 },
        h('strong', {}, e.title),
        h('p', { 'data-testid': 'result-error-message' }, e.message),
        e.whatToDo ? h('p', { 'data-testid': 'result-error-what-to-do' }, h('strong', {}, `${t('whatToDo')}: `), e.whatToDo) : null,
        e.leftovers.length > 0 ? h('div', {}, h('strong', {}, t('leftovers')), h('ul', { class: 'plain', 'data-testid': 'result-leftovers' }, e.leftovers.map((x) => h('li', {}, x)))) : null,
        h('button', { id: 'show-log', 'data-testid': 'show-log', type: 'button', class: 'secondary' }, t('showLog')),
      ),
    );
    byId('show-log')?.addEventListener('click', () => channel.post({ type: 'showLog' }));
    reveal('result-error');
  }
}

/** Scrolls an element into view and moves keyboard focus to it. */
function reveal(id: string): void {
  const el = byId(id);
  if (!el) return;
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}

function applyPhase(): void {
  const editable = phase === 'editing';
  for (const id of ['catalog', 'schemas', 'warehouse-mode-existing', 'warehouse-mode-new', 'destination', 'credential-lifetime']) {
    const el = byId<HTMLInputElement | HTMLSelectElement>(id);
    if (el) el.disabled = !editable || (id === 'warehouse-mode-existing' && (init?.warehouses.length ?? 0) === 0);
  }
  if (editable) {
    const modeExisting = byId<HTMLInputElement>('warehouse-mode-existing');
    const whSelect = byId<HTMLSelectElement>('warehouse');
    const whName = byId<HTMLInputElement>('warehouse-name');
    if (whSelect) whSelect.disabled = !(modeExisting?.checked ?? false);
    if (whName) whName.disabled = modeExisting?.checked ?? false;
    const whType = byId<HTMLSelectElement>('warehouse-type');
    if (whType) whType.disabled = modeExisting?.checked ?? false;
  } else {
    for (const id of ['warehouse', 'warehouse-name', 'warehouse-type']) {
      const el = byId<HTMLInputElement | HTMLSelectElement>(id);
      if (el) el.disabled = true;
    }
  }
  const connect = byId('connect');
  if (connect) connect.textContent = phase === 'connecting' ? t('connecting') : t('connect');
  document.body.dataset.phase = phase;
  renderBlocker();
  renderProblems();
}

function onConnect(): void {
  if (phase !== 'editing' || blocker || !validationFresh || problems.length > 0) return;
  phase = 'connecting';
  applyPhase();
  channel.post({ type: 'connect', form });
}

// ------------------------------------------------------------------ messages

channel.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
      build(msg);
      break;
    case 'loadError':
      clear(app);
      appendAll(app,
        h(
          'div',
          { class: 'callout error', role: 'alert', 'data-testid': 'load-error' },
          h('strong', {}, msg.error.title),
          h('p', {}, msg.error.message),
          msg.error.whatToDo ? h('p', {}, msg.error.whatToDo) : null,
          h('button', { id: 'show-log', type: 'button', class: 'secondary', 'data-testid': 'show-log' }, t('showLog')),
        ),
      );
      byId('show-log')?.addEventListener('click', () => channel.post({ type: 'showLog' }));
      break;
    case 'schemas':
      if (msg.catalog !== form.catalog) break;
      if (msg.error) {
        const el = byId('schemas-error');
        if (el) el.textContent = msg.error;
        break;
      }
      schemaCache[msg.catalog] = msg.schemas;
      fillSchemas(msg.schemas);
      saveState();
      validate();
      break;
    case 'validation':
      if (msg.requestId !== lastValidationId) break;
      validationFresh = true;
      problems = msg.problems;
      blocker = msg.blocker;
      renderBlocker();
      renderProblems();
      renderPlan(msg.plan);
      updateConnectButton();
      break;
    case 'phase':
      phase = msg.phase;
      applyPhase();
      if (phase === 'connecting') byId('progress-section')?.scrollIntoView({ block: 'start' });
      break;
    case 'progress':
      renderProgress(msg.steps);
      break;
    case 'result':
      renderResult(msg.result);
      break;
    case 'nextStepDone': {
      const id = msg.kind === 'token-copied' ? 'next-copy-token' : msg.kind === 'file-saved' ? 'next-save-file' : msg.kind === 'opened' ? 'next-open-link' : undefined;
      const btn = id ? byId<HTMLButtonElement>(id) : null;
      if (btn) {
        if (msg.kind === 'token-copied') btn.disabled = true;
        const item = byId(`${id}-item`);
        item?.append(h('span', { class: 'ok', 'data-testid': `${id}-done` }, ` ✓ ${msg.text}`));
      }
      break;
    }
  }
});

channel.post({ type: 'ready' });
