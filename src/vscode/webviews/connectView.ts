/**
 * What the connect form shows that is built from engine data: the partner's summary, the credential
 * and warehouse types it offers, the progress list as the connect reports it, and the result. No
 * `vscode` import (unit-tested in test/vscode-free): words go through @vscode/l10n, the bundle the
 * extension configures. The panel (connectPanel.ts) routes messages and runs the connect.
 */
import * as l10n from '@vscode/l10n';
import { accessBadge, describeAccess, describeCause, needsCatalog, type CatalogPartner, type ConnectProgress, type ConnectResult, type CredentialKind, type CredentialOption, type HandoffDetail, type WarehouseTypeOffer } from '../../domain';
import type { CredentialInfo, ErrorView, NextStep, PartnerSummary, ProgressStep, ResultView, WarehouseTypeOption } from '../../shared/protocol/connect';
import { categoryLabel } from '../tree/presentation';
import { localizeTimes } from '../ui/time';
import { inferredNote, resourceLine } from './connectText';

/** The partner as the form introduces it (`asUser`: the connection acts as the signed-in non-admin). */
export function partnerSummary(p: CatalogPartner, asUser: boolean, credential?: CredentialKind): PartnerSummary {
return {
    id: p.id,
    name: p.displayName,
    category: categoryLabel(p.category),
    access: accessBadge(p), // the engine's words (English, like its messages)
    description: [
      asUser
        ? l10n.t('You are not a workspace admin and {0} allows non-admins: the connection acts as you (your own personal access token and permissions); no service principal is created and nothing is granted.', p.displayName)
        : describeAccess(p, credential),
      p.signInStyle === 'partner-account-admin' ? l10n.t('If nobody in your organization connected before, you become the partner account administrator.') : '',
    ]
      .filter(Boolean)
      .join(' '),
    needsServicePrincipal: p.needsServicePrincipal && !asUser,
    servicePrincipalName: p.servicePrincipalName ?? undefined,
    compute: p.compute,
    schemaSelection: p.schemaSelection,
    unityCatalog: p.supportsUnityCatalog,
    signIn: p.signInStyle === 'partner-account-admin',
    destinationLocation: p.handoff === 'protocol',
    handoff: p.handoff,
    website: p.website,
    inferredNote: inferredNote(p),
  };
}

/** A partner that cannot use Unity Catalog with Partner Connect uses the workspace default catalog. */
export function catalogNote(p: CatalogPartner): string | undefined {
  return !p.supportsUnityCatalog && needsCatalog(p) ? l10n.t('{0} does not support Unity Catalog with Partner Connect: it can only use the workspace default catalog.', p.displayName) : undefined;
}

/** The credential the partner gets, as the form shows it (never a value). */
export function credentialInfo(cred: CredentialOption, asUser: boolean): CredentialInfo {
  return {
    kind: cred.kind,
    ...(asUser ? { actsAsUser: true } : {}),
    label: cred.kind === 'pat' ? l10n.t('personal access token') : l10n.t('OAuth secret'),
    why: cred.why,
    fallback: cred.fallbackToSecret ? l10n.t('Where the workspace refuses tokens on behalf of a service principal (Azure), an OAuth secret is created instead.') : undefined,
    maxDays: cred.cap.maxDays,
    capNote: cred.capWords,
  };
}

/** The types of a new SQL warehouse: those offered, then those not offered with the reason. */
export function warehouseTypeOptions(types: WarehouseTypeOffer): WarehouseTypeOption[] {
  return [
    ...types.offered.map((t) => ({ type: t, label: warehouseTypeLabel(t), offered: true })),
    ...types.notOffered.map((x) => ({ type: x.type, label: warehouseTypeLabel(x.type), offered: false, reason: x.reason })),
  ];
}

/**
 * The progress list after one event of the connect (changed in place and returned): plan steps by id,
 * the pre-flight first, one line per resource the rollback removes, named as the admin reads it.
 */
export function withProgress(steps: ProgressStep[], pr: ConnectProgress): ProgressStep[] {
  const update = (id: string, status: ProgressStep['status'], detail?: string): ProgressStep[] => {
    const i = steps.findIndex((x) => x.id === id);
    if (i >= 0) steps[i] = { ...steps[i], status, detail: detail ?? steps[i].detail };
    else steps.push({ id, label: id, status, detail });
    return steps;
  };
  if (pr.type === 'rollback') {
    const id = pr.ref ? `rollback:${pr.ref.kind}:${pr.ref.id}` : pr.step;
    if (!steps.some((x) => x.id === id)) steps.push({ id, label: pr.ref ? resourceLine(pr.ref) : pr.message, status: 'pending' });
    if (pr.status === 'done') return update(id, 'rolled-back', l10n.t('removed again'));
    if (pr.status === 'failed') return update(id, 'failed', l10n.t('could not be removed: {0}', pr.message));
    return update(id, 'running');
  }
  if (pr.type === 'preflight' && !steps.some((x) => x.id === pr.step)) steps.unshift({ id: pr.step, label: l10n.t('Pre-flight checks'), status: 'pending' });
  // a failed step says why (explainFailedStep), not its own description again
  return update(pr.step, pr.status === 'started' ? 'running' : pr.status, pr.status === 'failed' ? undefined : pr.detail);
}

/** The failed step says why it failed (the cause), not its own description again. */
export function explainFailedStep(steps: ProgressStep[], e: unknown): void {
  const x = e as { failedStep?: string; cause?: unknown; name?: string; by?: string };
  const failed = (x.failedStep ? steps.find((st) => st.id === x.failedStep) : undefined) ?? steps.find((st) => st.status === 'failed');
  if (!failed || failed.detail) return;
  if (x.name === 'ConnectInProgressError') failed.detail = l10n.t('{0} holds it', x.by ?? l10n.t('another connect'));
  else if (x.cause !== undefined) failed.detail = localizeTimes(describeCause(x.cause).split('\n')[0] ?? '');
}

/** A cancelled connect: the error's view (its leftovers included) under "Cancelled". */
export function cancelledView(view: ErrorView): ErrorView {
  return { ...view, title: l10n.t('Cancelled'), message: l10n.t('Cancelled. Everything created so far was removed.') };
}

/**
 * The result: what was created, and exactly the connection details the plan promised (`promised`).
 * `opened`: whether the partner page the hand-off asked for was opened (null: none asked for);
 * `tokenToCopy`: the credential is held for one copy.
 */
export function resultView(p: CatalogPartner, ws: string, res: ConnectResult, promised: readonly HandoffDetail[] | undefined, o: { opened: boolean | null; tokenToCopy: boolean }): ResultView {
  const opened = o.opened === true;
  const next: NextStep[] = [];
  const h = res.handoff;
  const resources = res.created.map(resourceLine);
  let summary = res.reused
    ? l10n.t('{0} was already connected; the existing connection was re-used (no new service principal or credential).', p.displayName)
    : l10n.t('{0} is connected to {1}.', p.displayName, ws);
  if (h.kind === 'protocol') {
    if (h.displayMessage) summary += ` ${h.displayMessage}`;
    if (h.redirectUri) {
      next.push({ kind: opened ? 'opened' : 'open-link', text: opened ? l10n.t('The partner page {0} was opened in your browser.', hostOf(h.redirectUri)) : l10n.t('Open the partner page to finish: {0}', h.redirectUri) });
      if (opened) next.push({ kind: 'open-link', text: l10n.t('Open it again:') });
    }
    if (h.blockedRedirectHost && h.blockedRedirectReason === 'contains-secret') {
      next.push({ kind: 'info', text: l10n.t('The partner asked to open a page whose address carried the credential it was sent: it was neither opened nor shown. Report this to the partner; sign in at its website instead.') });
    } else if (h.blockedRedirectHost) {
      next.push({ kind: 'info', text: l10n.t('The partner asked to open a page on {0}, which is not in its allow-list: it was not opened.', h.blockedRedirectHost) });
    }
    if (h.connectionId) next.push({ kind: 'info', text: l10n.t('Partner connection id: {0}', h.connectionId) });
  } else if (h.kind === 'desktop-file') {
    next.push({ kind: 'save-file', text: l10n.t('Save {0} and open it with the desktop application; sign in there with your own credentials.', h.file.fileName) });
    next.push(...detailLines(h.details, promised));
  } else {
    if (o.tokenToCopy) {
      const text =
        res.record.credential?.kind === 'oauth-secret'
          ? l10n.t('The service principal’s OAuth secret can be copied exactly once; it is never shown and cannot be retrieved again.')
          : l10n.t('The service principal’s token can be copied exactly once; it is never shown and cannot be retrieved again.');
      next.push({ kind: 'copy-token', text });
    }
    if (h.signUpUrl) {
      next.push({ kind: 'open-link', text: l10n.t('Sign up or sign in at the partner and enter the connection details:') });
    }
    next.push(...detailLines(h.details, promised));
  }
  if (res.record.partnerAccountAdministrator) next.push({ kind: 'info', text: l10n.t('Partner account administrator: {0}', res.record.partnerAccountAdministrator) });
  return { ok: true, summary, resources, nextSteps: next };
}

/** A warehouse type in words (localised). */
export function warehouseTypeLabel(t: WarehouseTypeOffer['offered'][number]): string {
  switch (t) {
    case 'serverless':
      return l10n.t('Serverless');
    case 'pro':
      return l10n.t('Pro');
    case 'classic':
      return l10n.t('Classic');
  }
}

/** What the form says under the warehouse type: what happens when the workspace did not say which types it has. */
export function warehouseTypeNote(offer: WarehouseTypeOffer): string | undefined {
  if (offer.support.source === 'unknown') {
    return l10n.t('The workspace’s SQL warehouse settings could not be read (workspace admins only): if it refuses the type you choose, the next one in the list is created instead.');
  }
  const unsure = offer.offered.filter((t) => offer.support.byType[t] === 'unknown');
  if (unsure.length === 0) return undefined;
  return l10n.t('The workspace’s settings do not say whether {0} is available: if it is refused, the next type in the list is created instead.', unsure.map(warehouseTypeLabel).join(', '));
}

function hostOf(u: string): string {
  try {
    return new URL(u).host;
  } catch {
    return u;
  }
}

/** The connection details as lines, limited to what the plan promised (all of them on a re-used connection). */
export function detailLines(
  d: { host: string; httpPath: string | null; jdbcUrl: string | null; catalog: string | null; schemas: string[]; servicePrincipalName: string | null },
  promised: readonly HandoffDetail[] | undefined,
): NextStep[] {
  const want = (k: HandoffDetail): boolean => !promised || promised.includes(k);
  const out: NextStep[] = [{ kind: 'info', text: l10n.t('Server hostname: {0}', d.host) }];
  if (d.httpPath && want('httpPath')) out.push({ kind: 'info', text: l10n.t('HTTP path: {0}', d.httpPath) });
  if (d.jdbcUrl && want('jdbcUrl')) out.push({ kind: 'info', text: l10n.t('JDBC URL: {0}', d.jdbcUrl) });
  if (d.catalog && want('catalog')) out.push({ kind: 'info', text: l10n.t('Catalog: {0}{1}', d.catalog, d.schemas.length && want('schemas') ? ` · ${l10n.t('schemas: {0}', d.schemas.join(', '))}` : '') });
  if (d.servicePrincipalName && want('servicePrincipal')) out.push({ kind: 'info', text: l10n.t('Service principal: {0}', d.servicePrincipalName) });
  return out;
}
