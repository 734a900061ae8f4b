/** The no-`vscode` rule: nothing under src/client or src/domain imports the vscode module (they must run in plain Node). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

/** Finds static imports, re-exports, require() and dynamic import() of 'vscode' (comments ignored). */
export function importsVscode(source: string): boolean {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return (
    /\b(?:import|export)\b[^;'"]*?\bfrom\s*['"]vscode['"]/.test(code) ||
    /\bimport\s*['"]vscode['"]/.test(code) ||
    /\brequire\s*\(\s*['"]vscode['"]\s*\)/.test(code) ||
    /\bimport\s*\(\s*['"]vscode['"]\s*\)/.test(code)
  );
}

describe('no vscode import under src/client and src/domain', () => {
  it('the detector recognises every import form and ignores comments and other modules', () => {
    for (const s of [
      "import * as vscode from 'vscode';",
      'import { window } from "vscode"',
      "import type { Uri } from 'vscode';",
      "import {\n  window,\n  Uri,\n} from 'vscode';",
      "export { Uri } from 'vscode';",
      "import 'vscode';",
      "const v = require('vscode');",
      "const v = await import('vscode');",
    ]) {
      assert.ok(importsVscode(s), s);
    }
    for (const s of ["import x from 'vscode-uri';", "// import * as vscode from 'vscode';", "/* require('vscode') */", "const s = 'vscode';", "import { z } from 'zod';"]) {
      assert.ok(!importsVscode(s), s);
    }
  });

  it('no file imports vscode', () => {
    const root = repoRoot();
    const files = [...sourceFiles(join(root, 'src', 'client')), ...sourceFiles(join(root, 'src', 'domain'))];
    assert.ok(files.some((f) => f.endsWith(join('client', 'index.ts'))), 'src/client/index.ts scanned');
    const offenders = files.filter((f) => importsVscode(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });
});
