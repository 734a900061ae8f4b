/**
 * The first-run walkthrough (`contributes.walkthroughs` → partnerConnect.gettingStarted): opened
 * once, the first time the extension is used after install, and from the welcome view and the
 * palette (Partner Connect: Get Started) any time.
 */
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'partnerConnect.gettingStarted';
const SHOWN_KEY = 'partnerConnect.walkthroughShown';

/** What the walkthrough needs of the extension context (a test passes its own memento). */
export type WalkthroughContext = Pick<vscode.ExtensionContext, 'extensionMode' | 'globalState' | 'extension'>;

export function openWalkthrough(context: Pick<vscode.ExtensionContext, 'extension'>): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}

/** Opens the walkthrough the first time only (remembered in globalState); not in the extension-host tests. */
export async function showWalkthroughOnce(context: WalkthroughContext, log: (line: string) => void): Promise<boolean> {
  if (context.extensionMode === vscode.ExtensionMode.Test) return false;
  if (context.globalState.get<boolean>(SHOWN_KEY)) return false;
  await context.globalState.update(SHOWN_KEY, true);
  await openWalkthrough(context);
  log('walkthrough: opened on first use (Partner Connect: Get Started opens it again)');
  return true;
}
