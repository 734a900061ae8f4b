import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './html';

/** What a webview panel's host session offers its panel. */
export interface PanelSession {
  /** Handles one message from the view; never rejects (logs its own failures): the panel does not await it. */
  receive(raw: unknown): Promise<void>;
  dispose(): void;
}

/**
 * A webview panel for one session: the page shell (strict CSP, nonce, one bundled script), the
 * session's messages both ways, and the disposal of both together.
 */
export function openSessionPanel<S extends PanelSession>(o: {
  extensionUri: vscode.Uri;
  viewType: string;
  title: string;
  script: string;
  extraStyle?: string;
  retainContextWhenHidden?: boolean;
  session: (post: (m: unknown) => void, close: () => void) => S;
  onDispose: () => void;
}): { panel: vscode.WebviewPanel; session: S } {
  const panel = vscode.window.createWebviewPanel(o.viewType, o.title, vscode.ViewColumn.Active, { ...webviewOptions(o.extensionUri), retainContextWhenHidden: o.retainContextWhenHidden ?? false });
  panel.iconPath = vscode.Uri.joinPath(o.extensionUri, 'media', 'partner-connect.svg');
  const session = o.session(
    (m) => void panel.webview.postMessage(m), // resolves false once the panel is gone: nothing to do then
    () => panel.dispose(),
  );
  panel.webview.html = webviewHtml(panel.webview, o.extensionUri, { script: o.script, title: o.title, extraStyle: o.extraStyle });
  const sub = panel.webview.onDidReceiveMessage((m: unknown) => void session.receive(m));
  panel.onDidDispose(() => {
    sub.dispose();
    session.dispose();
    o.onDispose();
  });
  return { panel, session };
}
