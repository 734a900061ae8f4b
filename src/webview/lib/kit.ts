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

const SVG = 'http://www.w3.org/2000/svg';

/** The drop-down's chevron (the kit hides the native arrow). */
function chevron(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'chevron-icon');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', 'M3.5 6l4.5 4.5L12.5 6');
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.2');
  svg.append(path);
  return svg;
}

/** A drop-down (or, with `multiple`, a list box) in the kit's frame; the <select> itself carries the attributes. */
export function select(attrs: Attrs, ...options: Children): { field: HTMLElement; select: HTMLSelectElement } {
  const sel = h('select', attrs, ...options);
  return { field: h('div', { class: 'vscode-select' }, sel, attrs.multiple ? null : chevron()), select: sel };
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
