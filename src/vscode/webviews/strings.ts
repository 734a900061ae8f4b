import * as vscode from 'vscode';

/**
 * A webview's strings: the English table it shares with the host (src/shared/protocol), translated
 * for the display language and sent with the view's data.
 *
 * The one call of l10n.t with a variable: @vscode/l10n-dev cannot see these strings, so they are not
 * in l10n/bundle.l10n.json until the webviews call l10n.t themselves (issue 13 item 6).
 */
export function webviewStrings(table: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  // eslint-disable-next-line no-restricted-syntax -- a table of a webview's strings (see above)
  for (const [k, v] of Object.entries(table)) out[k] = vscode.l10n.t(v);
  return out;
}
