/**
 * The connect form's fields (catalog, schemas, warehouse, credential lifetime, destination), built once
 * per `init` from what the host sent; each reports the user's change through its `FieldHost` (the
 * form's state lives in ../connect.ts).
 */
import { WarehouseTypeName, type ConnectForm, type ConnectStringKey, type FieldProblem, type HostToConnect } from '../../shared/protocol/connect';
import { h } from '../lib/dom';
import { helper, label, select, textfield } from '../lib/kit';

export type Init = Extract<HostToConnect, { type: 'init' }>;
export type Field = FieldProblem['field'];
/** A text of the view's string table, with its `{0}`… filled in. */
export type Words = (key: ConnectStringKey, ...args: string[]) => string;

/** What a field needs from the form: its words, the form as it is, and how a change is reported. */
export interface FieldHost {
  t: Words;
  form(): ConnectForm;
  /** a change that is saved and validated at once */
  edit(form: ConnectForm, touched?: Field): void;
  /** a change that is validated later (`saveAndValidate`) */
  choose(form: ConnectForm, touched?: Field): void;
  saveAndValidate(): void;
  requestSchemas(catalog: string): void;
}

export function catalogFieldShown(msg: Init): boolean {
  const p = msg.partner;
  return (p.compute !== 'none' || p.schemaSelection !== 'none' || msg.catalogs.length > 0) && msg.catalogs.length > 0;
}

export function schemaFieldShown(msg: Init): boolean {
  return msg.partner.schemaSelection !== 'none' || msg.desktopDefaults;
}

export function fieldError(id: string): HTMLElement {
  return h('p', { id: `${id}-error`, class: 'error-text', role: 'alert', 'data-testid': `${id}-error` });
}

export function catalogField(f: FieldHost, msg: Init, form: ConnectForm): HTMLElement {
  const { t } = f;
  const desktop = msg.desktopDefaults;
  const blocked = msg.catalogs.filter((c) => !c.selectable);
  const sel = select(
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
  sel.select.addEventListener('change', () => {
    const catalog = sel.select.value || undefined;
    f.choose({ ...f.form(), catalog, schemas: [] }, 'catalog');
    if (catalog) f.requestSchemas(catalog);
    f.saveAndValidate();
  });
  return h(
    'div',
    { class: 'field' },
    label('catalog', desktop ? t('catalogOptional') : t('catalog')),
    sel.field,
    helper('catalog-hint', msg.catalogNote ?? (desktop ? t('desktopCatalogHint') : t('catalogHint'))),
    blocked.length > 0
      ? h(
          'details',
          { id: 'catalog-blocked', 'data-testid': 'catalog-blocked' },
          h('summary', {}, `${t('unavailableCatalogs')} (${blocked.length})`),
          h('ul', { class: 'plain' }, blocked.map((c) => h('li', {}, h('code', {}, c.name), ': ', c.reason ?? ''))),
        )
      : null,
    fieldError('catalog'),
  );
}

export function schemaField(f: FieldHost, msg: Init): HTMLElement {
  const { t } = f;
  const many = msg.partner.schemaSelection === 'many';
  const sel = select({ id: 'schemas', 'data-testid': 'schemas', multiple: many, size: many ? 6 : undefined, 'aria-describedby': 'schemas-hint schemas-error' });
  sel.select.addEventListener('change', () => {
    const schemas = Array.from(sel.select.selectedOptions)
      .map((o) => o.value)
      .filter(Boolean);
    f.edit({ ...f.form(), schemas }, 'schemas');
  });
  return h(
    'div',
    { class: 'field' },
    label('schemas', many ? t('schemaMany') : msg.desktopDefaults ? t('schemaOptional') : t('schemaOne')),
    sel.field,
    helper('schemas-hint', many ? t('schemaManyHint') : ''),
    fieldError('schemas'),
  );
}

function radio(id: string, text: string, disabled: boolean): HTMLElement {
  return h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'warehouse-mode', id, value: id.replace('warehouse-mode-', ''), 'data-testid': id, disabled }), text);
}

/** The warehouse fieldset, and the choice its controls start with. */
export function warehouseField(f: FieldHost, msg: Init, form: ConnectForm): { field: HTMLElement; choice: ConnectForm['warehouse'] } {
  const { t } = f;
  const hasExisting = msg.warehouses.length > 0;
  const existing = select(
    { id: 'warehouse', 'data-testid': 'warehouse', disabled: !hasExisting },
    msg.warehouses.map((w) => h('option', { value: w.id, 'data-testid': `warehouse-option-${w.id}` }, `${w.name} — ${w.state}${w.size ? `, ${w.size}` : ''} (${w.id})`)),
  );
  const name = textfield({ id: 'warehouse-name', 'data-testid': 'warehouse-name', maxlength: 99 });
  const types = msg.warehouseTypes ?? [];
  const type =
    types.length > 0
      ? select(
          { id: 'warehouse-type', 'data-testid': 'warehouse-type', 'aria-describedby': 'warehouse-type-hint' },
          types.map((o) => h('option', { value: o.type, disabled: !o.offered, 'data-testid': `warehouse-type-option-${o.type}` }, o.offered ? o.label : t('warehouseTypeNotOffered', o.label, o.reason ?? ''))),
        )
      : undefined;
  const fieldset = h(
    'fieldset',
    { id: 'warehouse-fieldset', 'aria-describedby': 'warehouse-error' },
    h('legend', { class: 'vscode-label' }, t('warehouse')),
    radio('warehouse-mode-existing', t('warehouseExisting'), !hasExisting),
    h('div', { class: 'field' }, h('label', { for: 'warehouse', class: 'sr-only' }, t('warehouse')), existing.field, hasExisting ? null : helper('warehouse-none', t('noWarehouses'))),
    radio('warehouse-mode-new', t('warehouseNew'), false),
    h('div', { class: 'field' }, label('warehouse-name', t('warehouseName')), name),
    type ? h('div', { class: 'field' }, label('warehouse-type', t('warehouseType')), type.field, helper('warehouse-type-hint', msg.warehouseTypeNote ?? '')) : null,
    fieldError('warehouse'),
  );
  const modeExisting = fieldset.querySelector<HTMLInputElement>('#warehouse-mode-existing');
  const modeNew = fieldset.querySelector<HTMLInputElement>('#warehouse-mode-new');
  if (!modeExisting || !modeNew) return { field: fieldset, choice: form.warehouse };
  // the starting values: the saved or default choice, else an existing warehouse when there is one
  const w = form.warehouse;
  if (w?.mode === 'existing' && msg.warehouses.some((x) => x.id === w.id)) {
    modeExisting.checked = true;
    existing.select.value = w.id;
  } else if (w?.mode === 'new') {
    modeNew.checked = true;
    name.value = w.name;
  } else if (hasExisting) modeExisting.checked = true;
  else modeNew.checked = true;
  // a name is proposed for a new warehouse for every partner (<PARTNER>_ENDPOINT)
  if (!name.value && msg.proposedWarehouseName) name.value = msg.proposedWarehouseName;
  if (type) {
    const offered = (x?: string): boolean => !!x && types.some((o) => o.type === x && o.offered);
    const saved = w?.mode === 'new' ? w.type : undefined;
    const byDefault = msg.defaults.warehouse?.mode === 'new' ? msg.defaults.warehouse.type : undefined;
    const pick = offered(saved) ? saved : offered(byDefault) ? byDefault : types.find((o) => o.offered)?.type;
    if (pick) type.select.value = pick;
  }
  /** the warehouse choice the controls show */
  const choice = (): ConnectForm['warehouse'] => {
    const parsed = WarehouseTypeName.safeParse(type?.select.value);
    return modeExisting.checked ? { mode: 'existing', id: existing.select.value } : { mode: 'new', name: name.value, ...(parsed.success ? { type: parsed.data } : {}) };
  };
  const changed = (): void => f.edit({ ...f.form(), warehouse: choice() }, 'warehouse');
  for (const el of [modeExisting, modeNew, existing.select, ...(type ? [type.select] : [])]) el.addEventListener('change', changed);
  name.addEventListener('input', changed);
  return { field: fieldset, choice: choice() };
}

export function credentialField(f: FieldHost, msg: Init, form: ConnectForm): HTMLElement | null {
  const { t } = f;
  const c = msg.credential;
  if (!c) return null;
  const lifetime = textfield({
    type: 'number',
    id: 'credential-lifetime',
    'data-testid': 'credential-lifetime',
    min: 1,
    max: c.maxDays,
    step: 1,
    inputmode: 'numeric',
    'aria-describedby': 'credential-lifetime-hint credentialLifetime-error',
  });
  lifetime.value = String(form.credentialLifetimeDays ?? c.maxDays);
  lifetime.addEventListener('input', () => {
    const typed = lifetime.value.trim();
    // 0 is never valid: the host answers with the allowed range (an empty or unreadable field is not "the default")
    f.edit({ ...f.form(), credentialLifetimeDays: /^\d+$/.test(typed) ? Number(typed) : 0 });
  });
  return h(
    'fieldset',
    { id: 'credential-fieldset', 'data-testid': 'credential', 'data-kind': c.kind },
    h('legend', { class: 'vscode-label' }, t('credential')),
    h('p', { id: 'credential-kind', 'data-testid': 'credential-kind' }, t(c.actsAsUser ? 'credentialKindUser' : 'credentialKind', c.label, c.why)),
    c.fallback ? h('p', { class: 'hint', id: 'credential-fallback' }, c.fallback) : null,
    h('div', { class: 'field' }, label('credential-lifetime', t('credentialLifetime')), lifetime, helper('credential-lifetime-hint', t('credentialLifetimeHint', c.capNote)), fieldError('credentialLifetime')),
  );
}

export function destinationField(f: FieldHost, form: ConnectForm): HTMLElement {
  const { t } = f;
  const dest = textfield({ id: 'destination', 'data-testid': 'destination', 'aria-describedby': 'destination-hint destination-error', placeholder: 's3://bucket/path' });
  dest.value = form.destinationLocation ?? '';
  dest.addEventListener('input', () => {
    const v = dest.value.trim();
    f.edit({ ...f.form(), destinationLocation: v === '' ? undefined : v }, 'destinationLocation');
  });
  return h('div', { class: 'field' }, label('destination', t('destination')), dest, helper('destination-hint', t('destinationHint')), fieldError('destinationLocation'));
}
