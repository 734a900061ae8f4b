/**
 * A SCIM 2.0 filter parser and evaluator (RFC 7644 §3.4.2.2 subset):
 *   filter   = orExpr
 *   orExpr   = andExpr *("or" andExpr)
 *   andExpr  = unary *("and" unary)
 *   unary    = "not" unary | "(" filter ")" | attrPath "pr" | attrPath compareOp value
 *   compareOp = eq | ne | co | sw | ew | gt | ge | lt | le
 * Attribute names and operators are case-insensitive; string comparisons are case-insensitive
 * (RFC 7643 default `caseExact: false`). Multi-valued attributes (`entitlements.value`,
 * `groups.display`) match when any value matches. The filter is parsed once and evaluated per
 * resource, so filtering N resources is O(N). As Databricks does, a filter of more than 200 nodes
 * (comparisons, `pr`, `not`, `and`, `or`) is refused: HTTP 400 INVALID_FILTER (accounts-facts §SCIM,
 * the SCIM 2.1 reference).
 */

export type Scalar = string | number | boolean | null;
export type FilterNode =
  | { t: 'and' | 'or'; l: FilterNode; r: FilterNode }
  | { t: 'not'; e: FilterNode }
  | { t: 'pr'; attr: string }
  | { t: 'cmp'; attr: string; op: CompareOp; v: Scalar };
type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

export class ScimFilterError extends Error {}

type Tok = { k: 'word'; v: string } | { k: 'str'; v: string } | { k: '(' } | { k: ')' };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ k: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new ScimFilterError('unterminated string in filter');
        const d = s[i];
        if (d === '\\') {
          const n = s[i + 1];
          if (n === undefined) throw new ScimFilterError('dangling escape in filter');
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ k: 'str', v });
    } else {
      let j = i;
      while (j < s.length && !' \t\r\n()"'.includes(s[j])) j++;
      out.push({ k: 'word', v: s.slice(i, j) });
      i = j;
    }
  }
  return out;
}

export function parseScimFilter(src: string): FilterNode {
  const toks = tokenize(src);
  let p = 0;
  const peekWord = (): string | undefined => {
    const t = toks[p];
    return t && t.k === 'word' ? t.v.toLowerCase() : undefined;
  };
  const parseOr = (): FilterNode => {
    let l = parseAnd();
    while (peekWord() === 'or') {
      p++;
      l = { t: 'or', l, r: parseAnd() };
    }
    return l;
  };
  const parseAnd = (): FilterNode => {
    let l = parseUnary();
    while (peekWord() === 'and') {
      p++;
      l = { t: 'and', l, r: parseUnary() };
    }
    return l;
  };
  const parseUnary = (): FilterNode => {
    const t = toks[p];
    if (!t) throw new ScimFilterError('unexpected end of filter');
    if (t.k === '(') {
      p++;
      const e = parseOr();
      if (toks[p]?.k !== ')') throw new ScimFilterError('missing ")" in filter');
      p++;
      return e;
    }
    if (t.k === 'word' && t.v.toLowerCase() === 'not') {
      p++;
      return { t: 'not', e: parseUnary() };
    }
    if (t.k !== 'word' || !/^[A-Za-z$][\w$.:-]*$/.test(t.v)) throw new ScimFilterError(`expected an attribute name in filter at token ${p + 1}`);
    const attr = t.v;
    p++;
    const opTok = toks[p];
    if (!opTok || opTok.k !== 'word') throw new ScimFilterError(`expected an operator after "${attr}"`);
    const op = opTok.v.toLowerCase();
    p++;
    if (op === 'pr') return { t: 'pr', attr };
    if (!OPS.has(op)) throw new ScimFilterError(`unsupported filter operator "${opTok.v}"`);
    const vt = toks[p];
    if (!vt || vt.k === '(' || vt.k === ')') throw new ScimFilterError(`expected a value after "${attr} ${op}"`);
    p++;
    let v: Scalar;
    if (vt.k === 'str') v = vt.v;
    else {
      const w = vt.v.toLowerCase();
      if (w === 'true') v = true;
      else if (w === 'false') v = false;
      else if (w === 'null') v = null;
      else if (/^-?\d+(\.\d+)?$/.test(vt.v)) v = Number(vt.v);
      else throw new ScimFilterError(`invalid filter value "${vt.v}" (strings must be double-quoted)`);
    }
    return { t: 'cmp', attr, op: op as CompareOp, v };
  };
  if (toks.length === 0) throw new ScimFilterError('empty filter');
  const e = parseOr();
  if (p !== toks.length) throw new ScimFilterError(`unexpected token at position ${p + 1} in filter`);
  const nodes = nodeCount(e);
  if (nodes > MAX_FILTER_NODES) throw new ScimFilterError(`the filter has ${nodes} nodes; at most ${MAX_FILTER_NODES} are allowed`);
  return e;
}

/** Databricks' cap on the nodes of one SCIM filter expression. */
export const MAX_FILTER_NODES = 200;

function nodeCount(n: FilterNode): number {
  if (n.t === 'and' || n.t === 'or') return 1 + nodeCount(n.l) + nodeCount(n.r);
  if (n.t === 'not') return 1 + nodeCount(n.e);
  return 1;
}

/** Returns the values of an attribute path ("displayName", "groups.display"...) on a resource. */
export type AttrGetter = (attrLower: string) => Scalar[] | undefined;

function cmp(actual: Scalar, op: CompareOp, v: Scalar): boolean {
  if (typeof actual === 'string' && typeof v === 'string') {
    const a = actual.toLowerCase();
    const b = v.toLowerCase();
    switch (op) {
      case 'eq': return a === b;
      case 'ne': return a !== b;
      case 'co': return a.includes(b);
      case 'sw': return a.startsWith(b);
      case 'ew': return a.endsWith(b);
      case 'gt': return a > b;
      case 'ge': return a >= b;
      case 'lt': return a < b;
      case 'le': return a <= b;
    }
  }
  switch (op) {
    case 'eq': return actual === v || (typeof actual === 'string' && String(v) === actual);
    case 'ne': return !(actual === v || (typeof actual === 'string' && String(v) === actual));
    case 'gt': return typeof actual === 'number' && typeof v === 'number' && actual > v;
    case 'ge': return typeof actual === 'number' && typeof v === 'number' && actual >= v;
    case 'lt': return typeof actual === 'number' && typeof v === 'number' && actual < v;
    case 'le': return typeof actual === 'number' && typeof v === 'number' && actual <= v;
    default: return false;
  }
}

export function evalScimFilter(n: FilterNode, get: AttrGetter): boolean {
  switch (n.t) {
    case 'and': return evalScimFilter(n.l, get) && evalScimFilter(n.r, get);
    case 'or': return evalScimFilter(n.l, get) || evalScimFilter(n.r, get);
    case 'not': return !evalScimFilter(n.e, get);
    case 'pr': {
      const vals = get(n.attr.toLowerCase());
      return !!vals && vals.some((x) => x !== null && x !== '');
    }
    case 'cmp': {
      const vals = get(n.attr.toLowerCase()) ?? [];
      if (n.op === 'ne') return vals.length === 0 ? n.v !== null : vals.every((x) => cmp(x, 'ne', n.v));
      if (vals.length === 0) return n.op === 'eq' && n.v === null;
      return vals.some((x) => cmp(x, n.op, n.v));
    }
  }
}
