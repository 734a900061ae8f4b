/**
 * A fast-check arbitrary of the values a zod schema accepts (the subset of zod the webview
 * protocols and the record use: objects, strings, numbers, booleans, literals, enums, arrays,
 * records, unions, optional/nullable/default). Unknown kinds throw, so a new kind in a schema is
 * noticed rather than silently skipped.
 */
import fc from 'fast-check';
import type * as z from 'zod';

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: z.core.$ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strings that exercise what a renderer or a parser may mishandle (markup, quotes, RTL, long). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', '\u202Egnp.exe', "'; DROP TABLE x; --", '`rm -rf`', '\\', '\u0000', ''),
  fc.string({ minLength: 300, maxLength: 2000 }),
);

export function arbitraryOf(schema: z.core.$ZodType, str: fc.Arbitrary<string> = hostileString): fc.Arbitrary<unknown> {
  const d = defOf(schema);
  const checks = (d.checks as { _zod: { def: Record<string, unknown> } }[] | undefined)?.map((c) => c._zod.def) ?? [];
  switch (d.type) {
    case 'string': {
      const min = checks.find((c) => c.check === 'min_length')?.minimum as number | undefined;
      return min ? str.filter((s) => s.length >= min) : str;
    }
    case 'number': {
      const gt = checks.find((c) => c.check === 'greater_than');
      const min = gt ? (gt.value as number) + (gt.inclusive ? 0 : 1) : undefined;
      // an integer: classic z.number().int() carries it as a check, zod/mini's z.int() as its own format
      return d.format === 'safeint' || d.format === 'int32' || checks.some((c) => c.format === 'safeint' || c.format === 'int32')
        ? fc.integer({ min: min ?? Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })
        : fc.double({ noNaN: true, noDefaultInfinity: true, ...(min !== undefined ? { min } : {}) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, unknown>));
    case 'array':
      return fc.array(arbitraryOf(d.element as z.ZodType, str), { maxLength: 4 });
    case 'record':
      return fc.dictionary(str, arbitraryOf(d.valueType as z.ZodType, str), { maxKeys: 4 });
    case 'optional':
      return fc.option(arbitraryOf(d.innerType as z.ZodType, str), { nil: undefined });
    case 'nullable':
      return fc.option(arbitraryOf(d.innerType as z.ZodType, str), { nil: null });
    case 'default':
      return arbitraryOf(d.innerType as z.ZodType, str);
    case 'union':
      return fc.oneof(...(d.options as z.ZodType[]).map((o) => arbitraryOf(o, str)));
    case 'object': {
      const shape = d.shape as Record<string, z.ZodType>;
      const entries = Object.entries(shape).map(([k, v]) => [k, arbitraryOf(v, str)] as const);
      return fc.record(Object.fromEntries(entries)).map((o) => {
        // an optional key is absent rather than present with undefined (what JSON and postMessage carry)
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
        return out;
      });
    }
    default:
      throw new Error(`arbitraryOf: zod type "${d.type}" is not supported`);
  }
}

/** A valid value with one part replaced by anything (wrong type, missing, extra markup). */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.anything({ maxDepth: 2 }), fc.boolean()).map(([v, pick, replacement, remove]) => {
    const paths: (string | number)[][] = [];
    const walk = (x: unknown, at: (string | number)[]): void => {
      paths.push(at);
      if (x && typeof x === 'object') for (const [k, c] of Object.entries(x)) walk(c, [...at, Array.isArray(x) ? Number(k) : k]);
    };
    walk(v, []);
    const path = paths[pick % paths.length];
    if (path.length === 0) return replacement;
    const copy = structuredClone(v) as Record<string | number, unknown>;
    let parent = copy;
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const last = path[path.length - 1];
    if (remove) delete parent[last];
    else parent[last] = replacement;
    return copy;
  });
}
