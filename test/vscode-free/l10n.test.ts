/**
 * The l10n bundle: l10n/bundle.l10n.json is what @vscode/l10n-dev extracts from src/ now (run
 * `npm run l10n` after changing a translated string), package.json points VS Code at it, and the
 * vscode-free modules translate through @vscode/l10n with the bundle once it is configured.
 * (That every l10n.t call takes a literal, so that nothing escapes the bundle, is an eslint rule.)
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';
import * as l10n from '@vscode/l10n';
import { WEBVIEW_STRING_TABLES } from '../../src/shared/protocol/strings';

function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'src'))) dir = dirname(dir);
  return dir;
}
const root = repoRoot();

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

test('l10n/bundle.l10n.json lists exactly the strings of the l10n.t calls in src/ and of the webviews\' tables (npm run l10n)', async () => {
  const files = tsFiles(join(root, 'src')).map((f) => ({ extension: extname(f), contents: readFileSync(f, 'utf8') }));
  const extracted: Record<string, unknown> = { ...(await getL10nJson(files)) };
  // the webviews' texts, translated by one l10n.t per table entry (src/vscode/webviews/strings.ts)
  for (const table of WEBVIEW_STRING_TABLES) for (const text of Object.values(table)) extracted[text] ??= text;
  const committed = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, unknown>;
  assert.ok(Object.keys(extracted).length > 300, `${Object.keys(extracted).length} strings extracted`);
  const missing = Object.keys(extracted).filter((k) => !(k in committed));
  const stale = Object.keys(committed).filter((k) => !(k in extracted));
  assert.deepEqual({ missing, stale }, { missing: [], stale: [] }, 'run npm run l10n');
  // strings of vscode-free modules (through @vscode/l10n) are there too
  for (const s of ['Data ingestion', 'Check mark only', 'Rotate Token…', 'Sign-in failed: credentials refused']) assert.ok(s in committed, s);
  // a webview's text is there too (it was not while only l10n.t literals were extracted)
  assert.ok('What will be provisioned and granted' in committed);
});

test('package.json declares the bundle folder', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(pkg.l10n, './l10n');
});

test('a configured bundle translates the vscode-free labels (as activate() configures it)', async () => {
  const { stateLabel, categoryLabel } = await import('../../src/vscode/tree/presentation');
  assert.equal(stateLabel('check-mark-only'), 'Check mark only');
  l10n.config({ contents: { 'Check mark only': 'Nur Häkchen', 'Data ingestion': 'Datenaufnahme' } });
  try {
    assert.equal(stateLabel('check-mark-only'), 'Nur Häkchen');
    assert.equal(categoryLabel('INGEST'), 'Datenaufnahme');
    assert.equal(categoryLabel('SOMETHING_NEW'), 'SOMETHING_NEW');
  } finally {
    l10n.config({ contents: {} });
  }
  assert.equal(stateLabel('check-mark-only'), 'Check mark only');
});
