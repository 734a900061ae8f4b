import * as vscode from 'vscode';

/**
 * A webview's strings: the English table it shares with the host (src/shared/protocol), translated
 * for the display language and sent with the view's data.
 *
 * The one call of l10n.t with a variable, over the typed tables of src/shared/protocol/ (the webview
 * keeps the same table as its fallback): @vscode/l10n-dev cannot see these strings, so `npm run l10n`
 * adds every table's texts to l10n/bundle.l10n.json (scripts/l10n-tables.ts), and
 * test/vscode-free/l10n.test.ts holds the bundle to them.
 */
export function webviewStrings(table: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  // eslint-disable-next-line no-restricted-syntax -- a table of a webview's strings (see above)
  for (const [k, v] of Object.entries(table)) out[k] = vscode.l10n.t(v);
  return out;
}
