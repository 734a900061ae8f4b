import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/register';
import { Log } from './vscode/log/log';
import { ClientPool } from './vscode/model/clients';
import { PartnersModel } from './vscode/model/partnersModel';
import type { Services } from './vscode/services';
import { PartnersTreeProvider } from './vscode/tree/partnersTree';
import type { TreeNode } from './vscode/tree/nodes';
import { setContext } from './vscode/ui/contextKeys';
import { VsCodePrompter, type Prompter } from './vscode/ui/prompter';
import { setTimeFormat } from './vscode/ui/time';
import { showWalkthroughOnce } from './vscode/walkthrough/walkthrough';
import { ConnectPanels } from './vscode/webviews/connectPanel';
import { InspectPanels } from './vscode/webviews/inspectPanel';
import { devHooks } from './vscode/dev';
import type { PartnerConnectTestApi } from './vscode/dev/types';
import { DriftWatch } from './vscode/watch/driftWatch';
import { WorkspaceStore } from './vscode/workspaces/workspaceStore';
import { watchExpiredLogins } from './vscode/workspaces/loginWatch';
import { AccountStore } from './vscode/accounts/accountStore';
import { FleetModel } from './vscode/accounts/fleetModel';
import { accountLoadExplainer } from './vscode/accounts/columns';
import { BulkPanels } from './vscode/webviews/bulkPanel';
import { MatrixPanels } from './vscode/webviews/matrixPanel';

/** The extension-host suites' API (ExtensionMode.Test, dev bundle only). */
export type PartnerConnectApi = PartnerConnectTestApi;

/**
 * Returns nothing in a shipped bundle or in Production: another extension's
 * `getExtension(id).exports` must not reach SecretStorage, the prompter or the store. The demo/test
 * hooks (src/vscode/dev) are absent from the shipped bundle and run only outside Production.
 */
export function activate(context: vscode.ExtensionContext): PartnerConnectApi | undefined {
  const dev = context.extensionMode === vscode.ExtensionMode.Production ? undefined : devHooks;
  // Code without `vscode` (tree presentation, drift-watch summary) translates with @vscode/l10n: it gets
  // the bundle VS Code loaded for the display language (none for English).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  // every time the UI shows: VS Code's display language, the local zone (src/vscode/ui/time.ts)
  setTimeFormat({ locale: vscode.env.language });
  const log = new Log('Partner Connect');
  context.subscriptions.push(log);
  const real = new VsCodePrompter();
  let prompter: Prompter = real;
  const store = new WorkspaceStore(context.secrets, (m) => log.warn(m));
  const pool = new ClientPool(store, log);
  const model = new PartnersModel(store, pool, log, dev ? (base) => dev.catalog(base, log, process.env) : undefined);
  // Databricks accounts: their workspaces join the store, each signing in with the account's identity.
  const accounts = new AccountStore(context.secrets, (m) => log.warn(m));
  const fleet = new FleetModel(accounts, log, () => model.catalog());
  store.setDerivedEntries(() => fleet.entries(), fleet.onDidChange);
  pool.setAccountAuth((account) => fleet.workspaceAuth(account));
  model.setErrorExplainer(accountLoadExplainer(fleet));
  context.subscriptions.push(accounts, fleet);
  const tree = new PartnersTreeProvider(model, fleet);
  const treeView = vscode.window.createTreeView<TreeNode>('partnerConnect.partners', { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(store, pool, model, tree, treeView);
  // A progress bar on the view while workspaces load (not awaited: it ends with the load, whose failure
  // the tree shows; withProgress does not reject when its task cannot).
  context.subscriptions.push(
    model.onDidStartLoad((p) => void vscode.window.withProgress({ location: { viewId: 'partnerConnect.partners' } }, () => p.catch(() => undefined))),
  );

  let services: Services;
  const connectPanels = new ConnectPanels(() => services);
  const inspectPanels = new InspectPanels(() => services);
  const matrixPanels = new MatrixPanels(() => services);
  const bulkPanels = new BulkPanels(() => services);
  context.subscriptions.push(connectPanels, inspectPanels, matrixPanels, bulkPanels);
  const driftWatch = new DriftWatch(model, treeView, () => prompter, log);
  context.subscriptions.push(driftWatch);
  services = { context, log, store, model, tree, treeView, prompter: () => prompter, connectPanels, inspectPanels, driftWatch, accounts, fleet, matrixPanels, bulkPanels };
  context.subscriptions.push(...registerCommands(services));
  // An expired Databricks CLI / Azure CLI login: offer it in a terminal, then reload.
  context.subscriptions.push(watchExpiredLogins(services));

  const updateContext = (): void => {
    const has = store.list().length > 0 || accounts.list().length > 0;
    setContext('partnerConnect.hasWorkspaces', has);
    setContext('partnerConnect.state', has ? 'ready' : 'noWorkspaces');
  };
  context.subscriptions.push(store.onDidChange(updateContext), accounts.onDidChange(updateContext));
  setContext('partnerConnect.filterActive', false);

  const ready = (dev ? dev.bootstrap(store, log, process.env, accounts) : Promise.resolve())
    .catch((e: unknown) => log.error('environment bootstrap failed', e))
    .finally(updateContext);
  log.info(`Partner Connect activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'})`);
  void showWalkthroughOnce(context, (l) => log.info(l)).catch((e: unknown) => log.warn(`the walkthrough could not be opened: ${String(e)}`));

  if (!dev || context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return dev.testApi(
    services,
    (p) => {
      prompter = p ?? real;
    },
    ready,
  );
}

export function deactivate(): void {
  /* disposables are released through context.subscriptions */
}
