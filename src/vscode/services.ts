import type * as vscode from 'vscode';
import type { Log } from './log/log';
import type { PartnersModel } from './model/partnersModel';
import type { PartnersTreeProvider } from './tree/partnersTree';
import type { TreeNode } from './tree/nodes';
import type { Prompter } from './ui/prompter';
import type { WorkspaceStore } from './workspaces/workspaceStore';
import type { ConnectPanels } from './webviews/connectPanel';
import type { InspectPanels } from './webviews/inspectPanel';
import type { DriftWatch } from './watch/driftWatch';
import type { AccountStore } from './accounts/accountStore';
import type { FleetModel } from './accounts/fleetModel';
import type { BulkPanels } from './webviews/bulkPanel';
import type { MatrixPanels } from './webviews/matrixPanel';

/** Everything commands and panels need, created once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  store: WorkspaceStore;
  model: PartnersModel;
  tree: PartnersTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  prompter: () => Prompter;
  connectPanels: ConnectPanels;
  inspectPanels: InspectPanels;
  driftWatch: DriftWatch;
  accounts: AccountStore;
  fleet: FleetModel;
  matrixPanels: MatrixPanels;
  bulkPanels: BulkPanels;
}
