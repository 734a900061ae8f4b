/**
 * What keeps the shipped bundles light (issue 14 item 3; `npm run bench -- --only extension` measures
 * the sizes and the activation time). Source rules, checked on the text of src/:
 * - zod is imported as a namespace (`import * as z from 'zod'`): `import { z } from 'zod'` makes
 *   esbuild keep every zod locale (~260 KiB minified) because the `z` object holds them all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../harness/paths';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const SRC = path.join(repoRoot(), 'src');

test('src/ imports zod as a namespace, never `{ z }` (which keeps every locale in the bundles)', () => {
  const offenders = sources(SRC).filter((f) => /import\s+(type\s+)?\{[^}]*\bz\b[^}]*\}\s+from\s+['"]zod(\/mini)?['"]/.test(fs.readFileSync(f, 'utf8')));
  assert.deepEqual(offenders.map((f) => path.relative(SRC, f)), []);
});
