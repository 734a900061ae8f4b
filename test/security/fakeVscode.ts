/**
 * A stand-in `vscode` module good enough to run a bundle's activate() in plain Node: every property is
 * a callable, constructible, chainable stub (so the extension can create views, channels, emitters
 * and register commands), except what a test sets explicitly. Used to run the shipped bundle the way
 * another extension would meet it (`getExtension(id).exports`).
 */
import * as fs from 'node:fs';
import Module from 'node:module';

type AnyFn = (...args: unknown[]) => unknown;

/** A universal stub: calling, constructing or reading any property gives another stub. */
export function stub(name = 'vscode', overrides: Record<string | symbol, unknown> = {}): unknown {
  const target = function () {
    /* stub */
  } as unknown as AnyFn;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop in overrides) return overrides[prop];
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.toPrimitive) return () => `[${name}]`;
      if (prop === Symbol.iterator) return function* () {
        /* empty */
      };
      if (prop === 'prototype') return Object.prototype;
      return stub(`${name}.${String(prop)}`);
    },
    apply() {
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`) as object;
    },
  });
}

export const ExtensionMode = { Production: 1, Development: 2, Test: 3 } as const;

/**
 * The module object: one stub per top-level name of @types/vscode (bundlers copy a namespace's own
 * keys, so they must be real properties), then the overrides.
 */
export function fakeVscodeModule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const dts = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\texport (?:namespace|class|enum|const|function|let) ([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  const mod: Record<string, unknown> = {};
  for (const n of names) mod[n] = stub(n);
  return Object.assign(mod, overrides);
}

/** Requires `file` with `require('vscode')` answered by `fake`. */
export function requireWithVscode(file: string, fake: unknown): Record<string, unknown> {
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return fake;
    return original.call(this, request, parent, isMain);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by its path while 'vscode' resolves to the fake
    return require(file) as Record<string, unknown>;
  } finally {
    M._load = original;
  }
}
