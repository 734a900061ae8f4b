import * as vscode from 'vscode';
import type { Services } from '../services';
import { runAction } from './action';
import {
  connectCommand,
  deleteServicePrincipalCommand,
  disconnectCommand,
  exportReportCommand,
  inspectCommand,
  managePartnerUsersCommand,
  openPartnerLink,
  repairGrantsCommand,
  setPartnerCredentialsCommand,
  takeOverConnectCommand,
} from './partnerCommands';
import { findOrphansCommand, migrateLegacyRecordsCommand, rotateTokenCommand } from './housekeepingCommands';
import { exportTerraformCommand, exportTerraformFleetCommand } from './exportCommands';
import { showHistoryCommand } from './historyCommands';
import { showAuditEventsCommand } from './auditCommands';
import { checkNowCommand, showDriftProblemsCommand, toggleDriftWatchCommand } from './watchCommands';
import { addWorkspace, filter, openInWorkspace, removeWorkspace, retry } from './workspaceCommands';
import { resolveWorkspace } from './targets';
import { addAccount, addAccountWorkspaces, chooseAccountWorkspaces, refreshAccount, removeAccount } from './accountCommands';
import { exportFleetReport, fleetConnect, fleetOffboard, fleetRotate, openFleetMatrix } from './fleetCommands';
import { NO_FILTER } from '../tree/nodes';
import { openWalkthrough } from '../walkthrough/walkthrough';

/** Every command id the extension contributes, with its handler. */
export function commandHandlers(s: Services): Record<string, (arg?: unknown) => Promise<unknown>> {
  return {
    'partnerConnect.addWorkspace': () => addWorkspace(s),
    'partnerConnect.openWalkthrough': () => Promise.resolve(openWalkthrough(s.context)),
    'partnerConnect.removeWorkspace': (a) => removeWorkspace(s, a),
    'partnerConnect.refresh': () => s.model.refresh(),
    'partnerConnect.refreshWorkspace': async (a) => s.model.refresh(await resolveWorkspace(s, a)),
    'partnerConnect.retry': (a) => retry(s, a),
    'partnerConnect.connect': (a) => connectCommand(s, a),
    'partnerConnect.inspect': (a) => inspectCommand(s, a),
    'partnerConnect.disconnect': (a) => disconnectCommand(s, a),
    'partnerConnect.deleteServicePrincipal': (a) => deleteServicePrincipalCommand(s, a),
    'partnerConnect.repairGrants': (a) => repairGrantsCommand(s, a),
    'partnerConnect.takeOverConnect': (a) => takeOverConnectCommand(s, a),
    'partnerConnect.rotateToken': (a) => rotateTokenCommand(s, a),
    'partnerConnect.findOrphans': (a) => findOrphansCommand(s, a),
    'partnerConnect.migrateLegacyRecords': (a) => migrateLegacyRecordsCommand(s, a),
    'partnerConnect.openWebsite': (a) => openPartnerLink(s, a, 'website'),
    'partnerConnect.openDocumentation': (a) => openPartnerLink(s, a, 'docs'),
    'partnerConnect.openSupport': (a) => openPartnerLink(s, a, 'support'),
    'partnerConnect.managePartnerUsers': (a) => managePartnerUsersCommand(s, a),
    'partnerConnect.setPartnerCredentials': (a) => setPartnerCredentialsCommand(s, a),
    'partnerConnect.showLog': () => Promise.resolve(s.log.show()),
    'partnerConnect.exportReport': (a) => exportReportCommand(s, a),
    'partnerConnect.showHistory': (a) => showHistoryCommand(s, a),
    'partnerConnect.showAuditEvents': (a) => showAuditEventsCommand(s, a),
    'partnerConnect.toggleDriftWatch': () => toggleDriftWatchCommand(s),
    'partnerConnect.checkNow': () => checkNowCommand(s),
    'partnerConnect.showDriftProblems': () => showDriftProblemsCommand(s),
    'partnerConnect.exportTerraform': (a) => exportTerraformCommand(s, a),
    'partnerConnect.exportTerraformFleet': (a) => exportTerraformFleetCommand(s, a),
    'partnerConnect.filter': () => filter(s),
    'partnerConnect.clearFilter': () => Promise.resolve(s.tree.setFilter(NO_FILTER)),
    'partnerConnect.openInWorkspace': (a) => openInWorkspace(s, a),
    'partnerConnect.addAccount': () => addAccount(s),
    'partnerConnect.removeAccount': (a) => removeAccount(s, a),
    'partnerConnect.refreshAccount': (a) => refreshAccount(s, a),
    'partnerConnect.chooseAccountWorkspaces': (a) => chooseAccountWorkspaces(s, a),
    'partnerConnect.addAccountWorkspaces': (a) => addAccountWorkspaces(s, a),
    'partnerConnect.openFleetMatrix': (a) => openFleetMatrix(s, a),
    'partnerConnect.fleetConnect': (a) => fleetConnect(s, a),
    'partnerConnect.fleetRotate': (a) => fleetRotate(s, a),
    'partnerConnect.fleetOffboard': (a) => fleetOffboard(s, a),
    'partnerConnect.exportFleetReport': (a) => exportFleetReport(s, a),
  };
}

export function registerCommands(s: Services): vscode.Disposable[] {
  const deps = { log: s.log, prompter: s.prompter };
  return Object.entries(commandHandlers(s)).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (arg?: unknown) => runAction(deps, id, () => handler(arg))),
  );
}
