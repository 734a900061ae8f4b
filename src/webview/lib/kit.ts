/**
 * The controls of the webviews, as @vscode-elements/elements-lite styles them (its CSS is bundled
 * into dist/webview/webview.css): native elements with the kit's classes, so they keep their roles,
 * labels, keyboard behaviour and form semantics, and look like VS Code's own (theme colours, focus
 * rings, density). Text always goes through textContent (lib/dom.ts), never innerHTML.
 */
import { h, type Attrs, type Child } from './dom';

type Children = (Child | Child[])[];

/** A push button; `primary` for the one main action of a view, the others are secondary. */
export function button(id: string, label: string, onClick: () => void, o: { primary?: boolean; attrs?: Attrs } = {}): HTMLButtonElement {
  const b = h('button', { id, 'data-testid': id, type: 'button', ...o.attrs, class: o.primary ? 'vscode-button' : 'vscode-button secondary' }, label);
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A checkbox as the kit draws it: the native input (its role, state and keyboard) lies, transparent,
 * over the kit's box, so a click on the box is a click on the input; the label wraps both. The check
 * mark is drawn by CSS (webview.css).
 */
export function checkbox(attrs: Attrs, ...text: Children): { field: HTMLLabelElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', ...attrs });
  const hasText = text.flat().some((c) => c !== null && c !== undefined && c !== false && c !== '');
  return { field: h('label', { class: 'vscode-checkbox' }, input, h('span', { class: 'icon' }), hasText ? h('span', { class: 'text' }, ...text) : null), input };
}

/**
 * A drop-down (or, with `multiple`, a list box) in the kit's frame; the <select> itself carries the
 * attributes. The chevron the kit hides the native arrow for is drawn by CSS (webview.css), not as an
 * SVG node: a view's DOM holds no markup-like element that data could be mistaken for.
 */
export function select(attrs: Attrs, ...options: Children): { field: HTMLElement; select: HTMLSelectElement } {
  const sel = h('select', attrs, ...options);
  return { field: h('div', { class: attrs.multiple ? 'vscode-select multiple' : 'vscode-select' }, sel), select: sel };
}

export function textfield(attrs: Attrs): HTMLInputElement {
  return h('input', { type: 'text', ...attrs, class: 'vscode-textfield' });
}

export function label(forId: string, text: string, attrs: Attrs = {}): HTMLLabelElement {
  return h('label', { for: forId, ...attrs, class: `vscode-label${attrs.class ? ` ${String(attrs.class)}` : ''}` }, text);
}

/** The help line under a field. */
export function helper(id: string, ...text: Children): HTMLParagraphElement {
  return h('p', { id, class: 'vscode-form-helper hint' }, ...text);
}

export function badge(text: string, testid: string): HTMLSpanElement {
  return h('span', { class: 'vscode-badge', 'data-testid': testid }, text);
}

/** A table in the kit's style (rows with a border); `head` is the column titles, when it has any. */
export function table(attrs: Attrs, head: string[] | null, rows: HTMLTableRowElement[]): HTMLTableElement {
  return h(
    'table',
    { ...attrs, class: `vscode-table bordered-rows${attrs.class ? ` ${String(attrs.class)}` : ''}` },
    head ? h('thead', {}, h('tr', {}, head.map((x) => h('th', {}, x)))) : null,
    h('tbody', {}, rows),
  );
}
