import * as vscode from 'vscode';

/**
 * Sets a context key of the `when` clauses in package.json (menus, welcome view).
 * Not awaited, by design: VS Code applies it on its own, nothing the extension does waits for it, and
 * `setContext` does not fail for a key and a plain value.
 */
export function setContext(key: `partnerConnect.${string}`, value: string | boolean): void {
  void vscode.commands.executeCommand('setContext', key, value);
}
