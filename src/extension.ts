import * as vscode from 'vscode';

/** Minimal activation: the real UI lives under src/vscode. */
export function activate(context: vscode.ExtensionContext): void {
  const provider: vscode.TreeDataProvider<string> = {
    getTreeItem: (label) => new vscode.TreeItem(label),
    getChildren: () => [],
  };
  context.subscriptions.push(vscode.window.createTreeView('partnerConnect.partners', { treeDataProvider: provider }));
}

export function deactivate(): void {
  /* nothing to release */
}
