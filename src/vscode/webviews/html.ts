import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** Options every panel of the extension uses: scripts on, resources limited to the bundle and media. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function nonce(): string {
  return randomBytes(18).toString('base64');
}

/** The page shell: a strict CSP with a fresh nonce, the bundled stylesheet(s) (src/webview/styles) and one bundled script. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, p: { script: string; title: string; extraStyle?: string }): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${p.script}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'webview.css'));
  const extra = p.extraStyle ? webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', p.extraStyle)) : undefined;
  const csp = [
    `default-src 'none'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeAttr(vscode.env.language || 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">${extra ? `\n<link rel="stylesheet" href="${extra.toString()}">` : ''}
<title>${escapeAttr(p.title)}</title>
</head>
<body>
<main id="app" data-testid="app" aria-live="polite"><p class="muted">${escapeAttr(vscode.l10n.t('Loading…'))}</p></main>
<script nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
