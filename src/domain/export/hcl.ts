/**
 * A small writer of HCL (the Terraform language): attributes, nested blocks, comments and
 * references. Only what the Terraform export needs; every string is escaped, so a hostile name
 * (quotes, `${`, newlines) stays a literal string.
 */

/** A bare expression written verbatim (a reference such as `databricks.acme` or `databricks_service_principal.x.id`). */
export class HclRef {
  constructor(readonly text: string) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/.test(text)) throw new Error(`Not a Terraform reference: ${text}`);
  }
}

export type HclValue = string | number | boolean | HclRef | readonly HclValue[] | { readonly [key: string]: HclValue };

export type HclItem =
  | { kind: 'attr'; name: string; value: HclValue }
  | { kind: 'block'; type: string; labels: string[]; body: HclItem[] }
  | { kind: 'comment'; text: string }
  | { kind: 'blank' };

export const attr = (name: string, value: HclValue): HclItem => ({ kind: 'attr', name, value });
export const block = (type: string, labels: string[], body: HclItem[]): HclItem => ({ kind: 'block', type, labels, body });
export const comment = (text: string): HclItem => ({ kind: 'comment', text });
export const blank: HclItem = { kind: 'blank' };
export const ref = (text: string): HclRef => new HclRef(text);

/** A Terraform identifier from any text: letters, digits, `_` and `-`, starting with a letter or `_`. */
export function identifier(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** An HCL quoted string: escapes, and `${` / `%{` doubled so nothing is interpolated. */
export function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const next = s[i + 1];
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if ((c === '$' || c === '%') && next === '{') out += c + c;
    else if (c < ' ' || c === '\u2028' || c === '\u2029') out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out + '"';
}

const KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function value(v: HclValue, indent: string): string {
  if (v instanceof HclRef) return v.text;
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('HCL numbers must be finite');
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${(v as readonly HclValue[]).map((x) => value(x, indent)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, HclValue>);
  if (entries.length === 0) return '{}';
  const inner = indent + '  ';
  const width = Math.max(...entries.map(([k]) => (KEY.test(k) ? k : quote(k)).length));
  return `{\n${entries.map(([k, x]) => `${inner}${(KEY.test(k) ? k : quote(k)).padEnd(width)} = ${value(x, inner)}`).join('\n')}\n${indent}}`;
}

function render(items: readonly HclItem[], indent: string): string[] {
  const lines: string[] = [];
  // align the `=` of consecutive attributes, as `terraform fmt` does
  let i = 0;
  while (i < items.length) {
    const it = items[i];
    if (it.kind === 'attr') {
      let j = i;
      while (j < items.length && items[j].kind === 'attr') j++;
      const run = items.slice(i, j) as Extract<HclItem, { kind: 'attr' }>[];
      const width = Math.max(...run.map((a) => a.name.length));
      for (const a of run) {
        if (!KEY.test(a.name)) throw new Error(`Not an HCL attribute name: ${a.name}`);
        lines.push(`${indent}${a.name.padEnd(width)} = ${value(a.value, indent)}`);
      }
      i = j;
      continue;
    }
    if (it.kind === 'comment') for (const l of it.text.split('\n')) lines.push(`${indent}#${l ? ' ' + l : ''}`);
    else if (it.kind === 'blank') lines.push('');
    else {
      if (!KEY.test(it.type)) throw new Error(`Not an HCL block type: ${it.type}`);
      const head = [it.type, ...it.labels.map(quote)].join(' ');
      if (it.body.length === 0) lines.push(`${indent}${head} {}`);
      else lines.push(`${indent}${head} {`, ...render(it.body, indent + '  '), `${indent}}`);
    }
    i++;
  }
  return lines;
}

/** The HCL text of a file body. */
export function renderHcl(items: readonly HclItem[]): string {
  return render(items, '').join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}
