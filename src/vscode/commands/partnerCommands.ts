import * as vscode from 'vscode';
import { tell } from '../ui/prompter';
import {
  applyRepair,
  disconnectEffects,
  disconnectItemRef,
  repairEffects,
  repairRef,
  disconnect,
  inspectConnection,
  previewDisconnect,
  readHistory,
  minutesSince,
  takeOverInterruptedConnect,
  takeOverRefusal,
  type CatalogPartner,
  type DisconnectItem,
  type DisconnectMode,
  type DisconnectPreview,
} from '../../domain';
import { recorded } from '../history/recorder';
import { PRODUCT } from '../model/clients';
import { connectionReport, type ReportWorkspace } from '../report/report';
import type { Services } from '../services';
import { isWorkspaceNode } from '../tree/nodes';
import { stateLabel } from '../tree/presentation';
import { UserCancelled, withCancellableProgress } from './action';
import { ACTIVE_STATES, DISCONNECTABLE_STATES, resolvePartner, resolveWorkspace, type PartnerTarget } from './targets';

export async function connectCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    // check mark only and connected outside need a reset first (the engine's pre-flight says so)
    states: ['not-connected', 'connected', 'degraded'],
    title: vscode.l10n.t('Partner Connect: connect a partner'),
    none: vscode.l10n.t('No partner can be connected.'),
  });
  s.connectPanels.open(target.ws, target.partner);
}

export async function inspectCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    states: DISCONNECTABLE_STATES,
    title: vscode.l10n.t('Partner Connect: inspect a connection'),
    none: vscode.l10n.t('No partner is connected in this workspace.'),
  });
  s.inspectPanels.open(target.ws, target.partner);
}

function itemLine(i: DisconnectItem): string {
  const kind: Record<DisconnectItem['kind'], string> = {
    warehouse: vscode.l10n.t('SQL warehouse'),
    cluster: vscode.l10n.t('Cluster'),
    'service-principal': vscode.l10n.t('Service principal'),
    token: vscode.l10n.t('Personal access token'),
    'own-token': vscode.l10n.t('Your personal access token'),
    'oauth-secret': vscode.l10n.t('OAuth secret'),
    'uc-grant': vscode.l10n.t('Unity Catalog grant'),
    'partner-connection': vscode.l10n.t('Partner connection'),
    record: vscode.l10n.t('Connection record (the check mark)'),
    folder: vscode.l10n.t('Workspace folder'),
  };
  // ids an admin can look up are shown; a grant's internal key ("catalog:analytics") is not
  const id = i.id !== i.name && i.kind !== 'uc-grant' ? ` (${i.id})` : '';
  return `• ${kind[i.kind]} ${i.name}${id}${i.note ? ` — ${i.note}` : ''}`;
}

/** What the partner shows after the disconnect, in words (the modal and the toast say the same). */
function afterwards(partner: CatalogPartner, preview: DisconnectPreview): string {
  const name = partner.displayName;
  if (preview.mode === 'reset') {
    return vscode.l10n.t('Afterwards {0} shows as not connected. To reconnect, create a new connection, then edit the connection settings in your {0} account by hand.', name);
  }
  switch (preview.after) {
    case 'check-mark-only':
      return vscode.l10n.t('Afterwards {0} shows as check mark only: its connection record stays until you reset the connection (Disconnect…). {0} loses access, because its credentials are deleted with the service principal.', name);
    case 'connected':
      return vscode.l10n.t('{0} does not need this service principal: afterwards it still shows as connected.', name);
    case 'not-connected':
      return partner.needsServicePrincipal
        ? vscode.l10n.t('There is no connection record for {0} here, so afterwards it shows as not connected. A connection made with this principal elsewhere (e.g. on Databricks’ Partner Connect page) stops working, because its credentials are deleted with it.', name)
        : vscode.l10n.t('There is no connection record for {0} here and {0} does not need a service principal: afterwards it shows as not connected.', name);
  }
}

async function runDisconnect(s: Services, target: PartnerTarget, mode: DisconnectMode): Promise<void> {
  const { ws, partner } = target;
  const client = await s.model.client(ws);
  const preview = await previewDisconnect(client, partner, mode, { recordFolder: s.model.recordFolder() });
  if (preview.items.length === 0) {
    tell(s.prompter(), { id: 'disconnect.nothing', severity: 'info', message: vscode.l10n.t('Nothing to delete for {0} in {1}.', partner.displayName, ws) });
    await s.model.invalidate(ws);
    return;
  }
  const spOnly = mode === 'service-principal-only';
  const after = afterwards(partner, preview);
  const detail = [
    ...(preview.warnings?.length ? [...preview.warnings.map((w) => `⚠ ${w}`), ''] : []),
    vscode.l10n.t('These will be permanently deleted (this cannot be undone):'),
    ...preview.items.map(itemLine),
    '',
    ...(preview.keeps.length > 0 ? [vscode.l10n.t('Kept:'), ...preview.keeps.map((k) => `• ${k}`), ''] : []),
    after,
  ].join('\n');
  const ok = await s.prompter().confirm({
    id: spOnly ? 'deleteServicePrincipal' : 'disconnect',
    message: spOnly ? vscode.l10n.t('Delete the service principal of {0} in {1}?', partner.displayName, ws) : vscode.l10n.t('Disconnect {0} from {1}?', partner.displayName, ws),
    detail,
    confirm: spOnly ? vscode.l10n.t('Delete Service Principal') : vscode.l10n.t('Disconnect'),
    safe: spOnly ? vscode.l10n.t('Keep Service Principal') : vscode.l10n.t('Keep Connection'),
  });
  if (!ok) throw new UserCancelled();
  s.log.info(`[${ws}] ${mode} ${partner.id}: ${preview.items.map((i) => `${i.kind} ${i.name} (${i.id})`).join(', ')}`);
  try {
    const partnerCredentials = await s.store.getPartnerCredential(partner.id);
    const ctx = await s.model.engineContext(ws);
    const subject = { action: spOnly ? ('delete-service-principal' as const) : ('disconnect' as const), partnerId: partner.id, partnerName: partner.displayName };
    const res = await withCancellableProgress(spOnly ? vscode.l10n.t('Deleting the service principal of {0}…', partner.displayName) : vscode.l10n.t('Disconnecting {0}…', partner.displayName), (signal, report) =>
      recorded(
        s,
        ws,
        subject,
        (track) =>
          disconnect(ctx, partner, mode, {
            signal,
            partnerCredentials,
            onProgress: (p) => {
              report(`${p.item.kind} ${p.item.name}: ${p.status}`);
              s.log.info(`[${ws}] ${mode} ${partner.id}: ${p.item.kind} ${p.item.name} (${p.item.id}) ${p.status}`);
              if (p.status === 'done') track.deleted(disconnectItemRef(p.item));
            },
          }),
        disconnectEffects,
      ),
    );
    const deleted = res.deleted.length + res.alreadyGone.length;
    const partnerNote = res.partnerNotification ? ` ${vscode.l10n.t('Partner notified: {0}.', res.partnerNotification.displayMessage ?? res.partnerNotification.outcome)}` : '';
    tell(s.prompter(), {
      id: spOnly ? 'deleteServicePrincipal.done' : 'disconnect.done',
      severity: 'info',
      message: spOnly
        ? `${vscode.l10n.t('Deleted the service principal of {0} in {1} ({2} item(s)).', partner.displayName, ws, deleted)} ${afterNow(partner, preview)}${partnerNote}`
        : `${vscode.l10n.t('Disconnected {0} from {1}: {2} item(s) deleted.', partner.displayName, ws, deleted)} ${afterNow(partner, preview)}${partnerNote}`,
    });
  } finally {
    await s.model.invalidate(ws);
    s.inspectPanels.refreshFor(ws, partner.id);
  }
}

/** The toast's half of `afterwards`. */
function afterNow(partner: CatalogPartner, preview: DisconnectPreview): string {
  const name = partner.displayName;
  if (preview.mode === 'reset' || preview.after === 'not-connected') return vscode.l10n.t('{0} is not connected now.', name);
  return preview.after === 'check-mark-only'
    ? vscode.l10n.t('{0} shows as check mark only until you reset the connection (Disconnect…).', name)
    : vscode.l10n.t('{0} is still connected (it needs no service principal).', name);
}

export async function disconnectCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, { states: DISCONNECTABLE_STATES, title: vscode.l10n.t('Partner Connect: disconnect a partner'), none: vscode.l10n.t('No partner is connected in this workspace.') });
  await runDisconnect(s, target, 'reset');
}

export async function deleteServicePrincipalCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    accept: (st) => st.servicePrincipal !== null,
    title: vscode.l10n.t('Partner Connect: delete a partner’s service principal'),
    none: vscode.l10n.t('No partner has a service principal in this workspace.'),
  });
  if (!target.status.servicePrincipal) {
    tell(s.prompter(), { id: 'deleteServicePrincipal.none', severity: 'info', message: vscode.l10n.t('{0} has no service principal in {1}.', target.partner.displayName, target.ws) });
    return;
  }
  await runDisconnect(s, target, 'service-principal-only');
}

/** Takes over a connect that was interrupted (its record is still `connecting` and old enough). */
export async function takeOverConnectCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    accept: (st) => st.record?.state === 'connecting',
    title: vscode.l10n.t('Partner Connect: take over an interrupted connect'),
    none: vscode.l10n.t('No connect is in progress or interrupted in this workspace.'),
  });
  const { ws, partner } = target;
  const record = target.status.record;
  if (!record || record.state !== 'connecting') throw new UserCancelled();
  const refusal = takeOverRefusal(record, record.attemptId, Date.now());
  if (refusal) {
    tell(s.prompter(), { id: 'takeOverConnect.refused', severity: 'info', message: vscode.l10n.t('The connect of {0} cannot be taken over: {1}', partner.displayName, refusal.detail) });
    return;
  }
  const client = await s.model.client(ws);
  const preview = await previewDisconnect(client, partner, 'reset', { recordFolder: s.model.recordFolder() });
  const age = minutesSince(record);
  const detail = [
    vscode.l10n.t('{0} started connecting {1} at {2} ({3} minutes ago) and it never finished. Taking it over makes you the owner of its record, so that connect stops should it ever resume, and then removes what it left.', record.connectedBy, partner.displayName, record.connectedAt, age ?? '?'),
    '',
    ...(preview.warnings?.length ? [...preview.warnings.map((w) => `⚠ ${w}`), ''] : []),
    vscode.l10n.t('These will be permanently deleted (this cannot be undone):'),
    ...preview.items.map(itemLine),
    '',
    ...(preview.keeps.length > 0 ? [vscode.l10n.t('Kept:'), ...preview.keeps.map((k) => `• ${k}`), ''] : []),
    vscode.l10n.t('Afterwards you can connect {0} again.', partner.displayName),
  ].join('\n');
  const ok = await s.prompter().confirm({ id: 'takeOverConnect', message: vscode.l10n.t('Take over the interrupted connect of {0} in {1}?', partner.displayName, ws), detail, confirm: vscode.l10n.t('Take Over'), safe: vscode.l10n.t('Keep Everything') });
  if (!ok) throw new UserCancelled();
  try {
    const partnerCredentials = await s.store.getPartnerCredential(partner.id);
    const ctx = await s.model.engineContext(ws);
    const res = await withCancellableProgress(vscode.l10n.t('Taking over the connect of {0}…', partner.displayName), (signal, report) =>
      takeOverInterruptedConnect(ctx, partner, {
        attemptId: record.attemptId,
        signal,
        partnerCredentials,
        onProgress: (p) => {
          report(`${p.item.kind} ${p.item.name}: ${p.status}`);
          s.log.info(`[${ws}] take-over ${partner.id}: ${p.item.kind} ${p.item.name} (${p.item.id}) ${p.status}`);
        },
      }),
    );
    const removed = res.disconnect.deleted.length + res.disconnect.alreadyGone.length;
    tell(s.prompter(), {
      id: 'takeOverConnect.done',
      severity: res.partnerMayHoldConnection ? 'warning' : 'info',
      message:
        vscode.l10n.t('Took over the interrupted connect of {0}: {1} item(s) removed. You can connect it again.', partner.displayName, removed) +
        (res.partnerMayHoldConnection ? ` ${vscode.l10n.t('Its hand-off to {0} had started: {0} may hold a connection to this workspace; check it in your {0} account.', partner.displayName)}` : ''),
    });
  } finally {
    await s.model.invalidate(ws);
    s.inspectPanels.refreshFor(ws, partner.id);
  }
}

export async function repairGrantsCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    states: ACTIVE_STATES,
    accept: (st) => st.servicePrincipal !== null && st.partner.needsServicePrincipal,
    title: vscode.l10n.t('Partner Connect: repair a connection’s grants'),
    none: vscode.l10n.t('No connected partner has a service principal in this workspace.'),
  });
  const client = await s.model.client(target.ws);
  const inspection = await withCancellableProgress(vscode.l10n.t('Checking the grants of {0}…', target.partner.displayName), (signal) =>
    inspectConnection(client, target.partner, { recordFolder: s.model.recordFolder(), signal }),
  );
  if (inspection.drift.blocked) {
    tell(s.prompter(), { id: 'repairGrants.blocked', severity: 'warning', message: inspection.drift.blocked });
    return;
  }
  if (inspection.drift.inSync || inspection.drift.repair.length === 0) {
    tell(s.prompter(), { id: 'repairGrants.inSync', severity: 'info', message: vscode.l10n.t('The grants of {0} match its permission profile: nothing to repair.', target.partner.displayName) });
    return;
  }
  const ok = await s.prompter().confirm({
    id: 'repairGrants',
    message: vscode.l10n.t('Repair the grants of {0} in {1}?', target.partner.displayName, target.ws),
    detail: inspection.drift.repairDescription.map((l) => `• ${l}`).join('\n'),
    confirm: vscode.l10n.t('Repair'),
  });
  if (!ok) throw new UserCancelled();
  try {
    const subject = { action: 'repair' as const, partnerId: target.partner.id, partnerName: target.partner.displayName };
    const res = await withCancellableProgress(vscode.l10n.t('Repairing the grants of {0}…', target.partner.displayName), (signal) =>
      recorded(s, target.ws, subject, (track) => applyRepair(client, inspection, { signal, onApplied: (op) => track.changed(repairRef(op)) }), repairEffects),
    );
    tell(s.prompter(), { id: 'repairGrants.done', severity: 'info', message: vscode.l10n.t('Repaired the grants of {0}: {1} change(s).', target.partner.displayName, res.applied.length) });
  } finally {
    await s.model.invalidate(target.ws);
    s.inspectPanels.refreshFor(target.ws, target.partner.id);
  }
}

export async function openPartnerLink(s: Services, arg: unknown, which: 'website' | 'docs' | 'support'): Promise<void> {
  const target = await resolvePartner(s, arg, { title: vscode.l10n.t('Partner Connect: choose a partner'), none: vscode.l10n.t('No partner.') });
  const p = target.partner;
  const url = which === 'docs' ? p.docsUrl : which === 'support' ? p.supportUrl : p.website;
  if (!url) {
    tell(s.prompter(), { id: `open.${which}.missing`, severity: 'info', message: vscode.l10n.t('No {0} link is known for {1}; opening its website.', which === 'docs' ? vscode.l10n.t('documentation') : vscode.l10n.t('support'), p.displayName) });
  }
  await s.prompter().openExternal(`open.${which}`, url ?? p.website);
}

export async function managePartnerUsersCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, { title: vscode.l10n.t('Partner Connect: manage partner account users'), none: vscode.l10n.t('No partner.') });
  const { partner: p, status } = target;
  const admin = status.partnerAccountAdministrator ?? status.record?.partnerAccountAdministrator ?? null;
  const signIn = p.signInStyle === 'partner-account-admin';
  const lines: string[] = [];
  if (signIn) {
    lines.push(vscode.l10n.t('For {0}, the first person in your organization who connects from a Databricks workspace becomes the partner account administrator for {0} across all of your organization’s workspaces.', p.displayName));
    lines.push(admin ? vscode.l10n.t('Partner account administrator: {0}.', admin) : vscode.l10n.t('Nobody is recorded as partner account administrator in this workspace yet (not connected through this extension).'));
    lines.push(vscode.l10n.t('To let other users sign in to {0}, the partner account administrator must first add them to your organization’s partner account; some partners let the administrator delegate this. See the partner’s documentation.', p.displayName));
    lines.push(vscode.l10n.t('If nobody can add users (for example the administrator has left), contact {0} support.', p.displayName));
  } else {
    lines.push(vscode.l10n.t('{0} does not use a shared partner account administrator through Partner Connect: each user signs in or signs up at {0} with their own account.', p.displayName));
    if (admin) lines.push(vscode.l10n.t('Recorded partner account administrator: {0}.', admin));
    lines.push(vscode.l10n.t('Users and their access are managed in {0} itself; see its documentation.', p.displayName));
  }
  lines.push('', vscode.l10n.t('Connection state in {0}: {1}.', target.ws, stateLabel(status.state)));
  const website = vscode.l10n.t('Open Partner Website');
  const support = vscode.l10n.t('Open Partner Support');
  const choice = await s.prompter().inform({ id: 'managePartnerUsers', message: vscode.l10n.t('Manage {0} account users', p.displayName), detail: lines.join('\n'), actions: [website, support] });
  if (choice === website) await s.prompter().openExternal('open.website', p.website);
  if (choice === support) await s.prompter().openExternal('open.support', p.supportUrl ?? p.website);
}

export async function exportReportCommand(s: Services, arg: unknown): Promise<void> {
  const names = isWorkspaceNode(arg) ? [arg.ws] : s.model.workspaces().map((e) => e.name);
  if (names.length === 0) await resolveWorkspace(s, undefined);
  const workspaces: ReportWorkspace[] = await withCancellableProgress(vscode.l10n.t('Building the connection report…'), () =>
    Promise.all(
      names.map(async (name): Promise<ReportWorkspace> => {
        const host = s.model.entry(name).host;
        try {
          const [snapshot, history] = await Promise.all([
            s.model.snapshot(name),
            s.model
              .client(name)
              .then((c) => readHistory(c, s.model.recordFolder(), { limit: 200 }))
              .catch((e: unknown) => ({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) })),
          ]);
          return { name, host, snapshot, history };
        } catch (e) {
          return { name, host, error: e instanceof Error ? e.message : String(e) };
        }
      }),
    ),
  );
  const md = connectionReport(workspaces, new Date().toISOString(), PRODUCT.version);
  await s.prompter().showDocument('report', s.log.redactor.redact(md), 'markdown');
}

export async function setPartnerCredentialsCommand(s: Services, arg: unknown): Promise<void> {
  const target = await resolvePartner(s, arg, {
    accept: (st) => st.partner.handoff === 'protocol',
    title: vscode.l10n.t('Partner Connect: set the partner-issued credentials'),
    none: vscode.l10n.t('No partner uses the Partner Connect protocol.'),
  });
  const p = s.prompter();
  const current = await s.store.getPartnerCredential(target.partner.id);
  const username = await p.input({ id: 'partnerCredentials.username', title: vscode.l10n.t('{0}: user name issued by the partner', target.partner.displayName), prompt: vscode.l10n.t('Basic-auth user for the Partner Connect API'), value: current?.username ?? '', validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter the user name.')), step: 1, totalSteps: 2 });
  if (username === undefined) throw new UserCancelled();
  const password = await p.input({ id: 'partnerCredentials.password', title: vscode.l10n.t('{0}: password issued by the partner', target.partner.displayName), prompt: vscode.l10n.t('Stored in VS Code secret storage only'), password: true, validate: (v) => (v ? undefined : vscode.l10n.t('Enter the password.')), step: 2, totalSteps: 2 });
  if (password === undefined) throw new UserCancelled();
  s.log.redactor.addSecret(password);
  await s.store.setPartnerCredential(target.partner.id, { username: username.trim(), password });
  tell(p, { id: 'partnerCredentials.done', severity: 'info', message: vscode.l10n.t('Saved the credentials for {0} in secret storage.', target.partner.displayName) });
}
