/**
 * A small evaluator for the subset of VS Code `when` clause syntax the manifest uses:
 * `a && b`, `!key`, `key`, `key == value`, `key != value`, `key =~ /regex/flags`.
 * Anything else throws, so that a new construct in package.json cannot silently pass.
 */
export type Context = Record<string, string | boolean | undefined>;

export function evaluateWhen(expr: string, ctx: Context): boolean {
  if (/\|\|/.test(expr.replace(/\/(?:\\.|[^/\\])*\/[a-z]*/g, ''))) throw new Error(`"||" is not supported by this evaluator: ${expr}`);
  // split on && outside of regex literals
  const parts: string[] = [];
  let cur = '';
  let inRe = false;
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i];
    if (ch === '/' && expr[i - 1] !== '\\' && (inRe || /=~\s*$/.test(cur))) inRe = !inRe;
    if (!inRe && expr.startsWith('&&', i)) {
      parts.push(cur.trim());
      cur = '';
      i++;
      continue;
    }
    cur += ch;
  }
  parts.push(cur.trim());
  return parts.every((p) => term(p, ctx));
}

function term(t: string, ctx: Context): boolean {
  if (t === 'true') return true;
  if (t === 'false') return false;
  let m = /^([\w.]+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(t);
  if (m) {
    const v = ctx[m[1]];
    return typeof v === 'string' && new RegExp(m[2], m[3]).test(v);
  }
  m = /^([\w.]+)\s*(==|!=)\s*(.+)$/.exec(t);
  if (m) {
    const v = ctx[m[1]];
    const eq = String(v) === m[3].trim().replace(/^'(.*)'$/, '$1');
    return m[2] === '==' ? eq : !eq;
  }
  m = /^!\s*([\w.]+)$/.exec(t);
  if (m) return !ctx[m[1]];
  m = /^([\w.]+)$/.exec(t);
  if (m) return !!ctx[m[1]];
  throw new Error(`unsupported when term: ${t}`);
}
