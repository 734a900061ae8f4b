/**
 * What may be opened in a browser: the text passes the project's one URL parser
 * (src/client/urls.ts: https or loopback http, no user info, canonical), and VS Code's own reading
 * of the same text (`vscode.Uri.parse`) names the same scheme and authority. Only then is the
 * `vscode.Uri` handed to `vscode.env.openExternal`.
 */
import * as vscode from 'vscode';
import { checkUrl } from '../../client/urls';

export type Openable = { ok: true; uri: vscode.Uri } | { ok: false; reason: string };

export function openableUri(url: string): Openable {
  const c = checkUrl(url);
  if (!c.ok) return { ok: false, reason: vscode.l10n.t('The link was not opened: it {0}.', c.reason) };
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(url, true);
  } catch {
    return { ok: false, reason: vscode.l10n.t('The link was not opened: VS Code cannot read it.') };
  }
  if (`${uri.scheme}:` !== c.url.protocol || uri.authority !== c.url.host) {
    return { ok: false, reason: vscode.l10n.t('The link was not opened: VS Code reads its host as {0}, not {1}.', uri.authority, c.url.host) };
  }
  return { ok: true, uri };
}
