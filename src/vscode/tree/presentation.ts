/**
 * How engine states look in the tree: contextValue, icon + colour ids, short description and the
 * Markdown tooltip text. No `vscode` import (unit-tested in test/vscode-free); the tree turns the
 * ids into ThemeIcon / ThemeColor objects.
 */
import * as l10n from '@vscode/l10n';
import { reasonsOf } from '../../domain';
import type { CatalogPartner, ConnectionStateName, PartnerStatus, WorkspaceIdentity, WorkspaceSnapshot } from '../../domain';
import { explainError, firstLine } from '../ui/explainError';
import { formatExpiry, formatTime, localizeTimes } from '../ui/time';

export const STATES: readonly ConnectionStateName[] = ['connected', 'connected-outside', 'check-mark-only', 'degraded', 'not-connected'];

const CATEGORY_LABELS: Record<string, () => string> = {
  INGEST: () => l10n.t('Data ingestion'),
  DATA_PREP_AND_TRANSFORM: () => l10n.t('Data preparation and transformation'),
  SECURITY_AND_GOVERNANCE: () => l10n.t('Security and governance'),
  BI_AND_VIZ: () => l10n.t('BI and visualization'),
  ML: () => l10n.t('Machine learning'),
  DATA_QUALITY: () => l10n.t('Data quality'),
  REVERSE_ETL: () => l10n.t('Reverse ETL'),
  SEMANTIC_LAYER: () => l10n.t('Semantic layer'),
  DATA_GOVERNANCE: () => l10n.t('Data governance'),
};

/** The partner categories the catalog knows (the filter offers them when no partner is loaded). */
export const CATEGORIES: readonly string[] = Object.keys(CATEGORY_LABELS);

/** A category in words (an unknown category as it is). */
export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category]?.() ?? category;
}

const STATE_LABELS: Record<ConnectionStateName, () => string> = {
  connected: () => l10n.t('Connected'),
  'connected-outside': () => l10n.t('Connected outside this extension'),
  'check-mark-only': () => l10n.t('Check mark only'),
  degraded: () => l10n.t('Degraded'),
  'not-connected': () => l10n.t('Not connected'),
};

/** A connection state in words. */
export function stateLabel(state: ConnectionStateName): string {
  return STATE_LABELS[state]();
}

export interface IconSpec {
  /** codicon id */
  id: string;
  /** theme colour id */
  color: string;
}

/** One icon and colour per state. */
export const STATE_ICONS: Record<ConnectionStateName, IconSpec> = {
  connected: { id: 'pass-filled', color: 'testing.iconPassed' },
  'connected-outside': { id: 'link-external', color: 'charts.blue' },
  'check-mark-only': { id: 'check', color: 'charts.yellow' },
  degraded: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  'not-connected': { id: 'circle-large-outline', color: 'disabledForeground' },
};

/**
 * A `<PARTNER>_USER` principal exists although the partner's profile needs none (e.g. the seed's
 * FIVETRAN_USER, made by Databricks' Partner Connect page, an older setup or by hand).
 */
export function principalNotRequired(s: Pick<PartnerStatus, 'servicePrincipal' | 'partner'>): boolean {
  return !!s.servicePrincipal && !s.partner.needsServicePrincipal;
}

/**
 * The partner node's contextValue: `partner.<state>` followed by flags, in this order:
 * `.sp` (a service principal exists), `.extra` (… although the partner needs none: no token rotation),
 * `.token` (it has a token), `.record` (a connection record
 * exists), `.compute`, `.drift` (grants differ from what the partner needs), `.signin` (first connector
 * becomes the partner account administrator), `.protocol` (Partner Connect protocol handoff),
 * `.web` (has a website), `.admin` (the signed-in user is a workspace admin: Connect, Disconnect,
 * Delete Service Principal, Repair and Rotate are offered only then). Menus match it with regular
 * expressions in `when` clauses.
 */
export function partnerContextValue(
  s: Pick<PartnerStatus, 'state' | 'servicePrincipal' | 'tokens' | 'record' | 'compute' | 'grants'>,
  p: CatalogPartner,
  who: { isWorkspaceAdmin: boolean },
): string {
  const flags: string[] = [];
  if (s.servicePrincipal) flags.push('sp');
  if (principalNotRequired({ servicePrincipal: s.servicePrincipal, partner: p })) flags.push('extra');
  if (s.tokens.length > 0) flags.push('token');
  if (s.record) flags.push('record');
  if (s.record?.state === 'connecting') flags.push('connecting');
  if (s.compute) flags.push('compute');
  if (s.grants.checked && s.grants.differences.length > 0) flags.push('drift');
  if (p.signInStyle === 'partner-account-admin') flags.push('signin');
  if (p.handoff === 'protocol') flags.push('protocol');
  if (p.website) flags.push('web');
  // last: the signed-in user administers the workspace (entries that change it need it)
  if (who.isWorkspaceAdmin) flags.push('admin');
  return ['partner', s.state, ...flags].join('.');
}

/** The short text after the partner's name. */
export function partnerDescription(s: PartnerStatus): string {
  switch (s.state) {
    case 'connected': {
      if (principalNotRequired(s)) return 'connected · service principal present · not required by this partner';
      const base = s.servicePrincipal ? `connected · ${s.servicePrincipal.displayName}` : 'connected';
      const w = s.warnings ?? [];
      if (w.some((x) => x.code === 'credential-expiring')) return `${base} · expires ${formatTime(w.find((x) => x.code === 'credential-expiring')?.date) ?? 'soon'}`;
      if (w.some((x) => x.code === 'credential-unused')) return `${base} · unused since ${formatTime(w.find((x) => x.code === 'credential-unused')?.date)}`;
      return base;
    }
    case 'connected-outside':
      return principalNotRequired(s) ? `connected outside this extension · ${s.servicePrincipal?.displayName ?? ''} (not required by this partner)` : 'connected outside this extension';
    case 'check-mark-only':
      return 'check mark only · no service principal';
    case 'degraded':
      return `degraded · ${s.reasons.map((r) => shortReason(r.code)).join(', ') || 'see details'}`;
    case 'not-connected':
      return '';
  }
}

export function shortReason(code: string): string {
  switch (code) {
    case 'token-missing':
      // no valid token and no OAuth secret: the credential of either kind is missing
      return 'credential missing';
    case 'token-revoked':
      return 'token revoked';
    case 'credential-expired':
      return 'credential expired';
    case 'secret-revoked':
      return 'OAuth secret deleted';
    case 'compute-gone':
      return 'compute gone';
    case 'sp-inactive':
      return 'principal inactive';
    case 'grants-differ':
      return 'grants differ';
    case 'connect-incomplete':
      return 'connect incomplete';
    case 'record-invalid':
      return 'record invalid';
    case 'sp-mismatch':
      return 'principal mismatch';
    default:
      return code;
  }
}

/** Escapes text for a Markdown tooltip. */
export function md(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

const STATE_EXPLANATIONS: Record<ConnectionStateName, () => string> = {
  connected: () => l10n.t('The partner is connected: connection record, service principal, credential and compute are in place as its permission profile requires.'),
  'connected-outside': () =>
    l10n.t('A service principal named like this partner exists but there is no connection record: it was probably created by Databricks’ own Partner Connect page or by hand. It can still be inspected and disconnected.'),
  'check-mark-only': () =>
    l10n.t('The connection record (the check mark) is kept but the service principal was deleted — the manual disconnect. Reset the connection to clear the check mark and delete what remains.'),
  degraded: () => l10n.t('The connection exists but something is wrong with it:'),
  'not-connected': () => l10n.t('Not connected in this workspace.'),
};

/** What a connection state means, in a sentence or two. */
export function stateExplanation(state: ConnectionStateName): string {
  return STATE_EXPLANATIONS[state]();
}

/** The partner node's Markdown tooltip. */
export function partnerTooltip(s: PartnerStatus): string {
  const p = s.partner;
  const lines: string[] = [];
  lines.push(`**${md(p.displayName)}** — ${md(categoryLabel(p.category))}`);
  lines.push('');
  lines.push(`$(${STATE_ICONS[s.state].id}) **${md(stateLabel(s.state))}**. ${md(stateExplanation(s.state))}`);
  if (reasonsOf(s).length > 0) {
    lines.push('');
    for (const r of reasonsOf(s)) lines.push(`- ${md(localizeTimes(r.message))}`);
  }
  if (s.recordProblem) {
    lines.push('');
    lines.push(`Connection record problem: ${md(s.recordProblem)}`);
  }
  const facts: string[] = [];
  facts.push(`Permission profile: ${md(p.profile)}`);
  if (s.servicePrincipal && principalNotRequired(s)) {
    facts.push(
      `Service principal: ${md(s.servicePrincipal.displayName)} (\`${s.servicePrincipal.applicationId}\`) — not required by this partner: ${md(p.displayName)} works without one. ` +
        `It was made outside this extension (Databricks’ Partner Connect page, an older setup or by hand); delete it with Delete Service Principal… unless something else uses it.`,
    );
  } else if (s.servicePrincipal) facts.push(`Service principal: ${md(s.servicePrincipal.displayName)} (\`${s.servicePrincipal.applicationId}\`)${s.servicePrincipal.active ? '' : ' — inactive'}`);
  else if (p.needsServicePrincipal && p.servicePrincipalName) facts.push(`Service principal: ${md(p.servicePrincipalName)} (not present)`);
  else facts.push('No service principal needed');
  const creds = s.credentials ?? [];
  if (creds.length > 0) {
    facts.push(
      `Credentials: ${creds
        .map((c) => `${c.kind === 'pat' ? 'personal access token' : 'OAuth secret'} \`${c.id}\` (expires ${md(formatExpiry(c.expiry))}${c.kind === 'pat' ? `; last used ${md(c.lastUsedDay ?? 'never')}` : ''})`)
        .join(', ')}`,
    );
  }
  for (const w of s.warnings ?? []) facts.push(`⚠ ${md(localizeTimes(w.message))}`);
  if (s.compute) facts.push(`${s.compute.kind === 'warehouse' ? 'SQL warehouse' : 'Cluster'}: ${md(s.compute.name ?? s.compute.id)}${s.compute.state ? ` — ${md(s.compute.state)}` : ''}${s.compute.exists ? '' : ' — gone'}`);
  if (s.catalog) facts.push(`Catalog: ${md(s.catalog)}${s.schemas.length ? `; schemas: ${s.schemas.map(md).join(', ')}` : ''}`);
  if (s.partnerAccountAdministrator) facts.push(`Partner account administrator: ${md(s.partnerAccountAdministrator)}`);
  if (s.record) facts.push(`Connected by ${md(s.record.connectedBy)} on ${md(formatTime(s.record.connectedAt))}`);
  if (s.state !== 'not-connected' || p.needsServicePrincipal) {
    lines.push('');
    for (const f of facts) lines.push(`- ${f}`);
  }
  return lines.join('\n');
}

export function roleText(id: WorkspaceIdentity): string {
  const roles: string[] = [];
  if (id.isWorkspaceAdmin) roles.push('workspace admin');
  if (id.isMetastoreAdmin) roles.push('metastore admin');
  return roles.length > 0 ? roles.join(', ') : 'not a workspace admin';
}

/** The workspace node's short description: the signed-in user and their roles. */
export function workspaceDescription(snap: WorkspaceSnapshot): string {
  return `${snap.identity.userName} · ${roleText(snap.identity)}`;
}

export function workspaceTooltip(name: string, host: string, authType: string, snap: WorkspaceSnapshot | undefined): string {
  const lines = [`**${md(name)}**`, '', `- Host: ${md(host)}`, `- Sign-in: ${md(authType)}`];
  if (snap) {
    lines.push(`- Signed in as ${md(snap.identity.displayName ?? snap.identity.userName)} (${md(snap.identity.userName)})`);
    lines.push(`- Workspace admin: ${snap.identity.isWorkspaceAdmin ? 'yes' : 'no'}`);
    lines.push(`- Metastore admin: ${snap.identity.isMetastoreAdmin ? 'yes' : 'no'}`);
    lines.push(snap.metastore ? `- Unity Catalog metastore: ${md(snap.metastore.name ?? snap.metastore.metastoreId)}; default catalog ${md(snap.metastore.defaultCatalog ?? 'hive_metastore')}` : '- No Unity Catalog metastore (legacy Hive metastore only)');
    const counts = STATES.map((st) => [st, snap.partners.filter((p) => p.state === st).length] as const).filter(([, n]) => n > 0);
    lines.push(`- Partners: ${counts.map(([st, n]) => `${n} ${stateLabel(st).toLowerCase()}`).join(', ')}`);
    for (const l of snap.limitations ?? []) lines.push(`- Could not read: ${md(l)}`);
    lines.push(`- Checked at ${md(formatTime(snap.takenAt))}`);
  }
  return lines.join('\n');
}

/** An error of the whole workspace for its error node: the one explanation (ui/explainError.ts) as a label and a tooltip. */
export function explainWorkspaceError(e: unknown): { label: string; detail: string; forbidden: boolean; unauthorized: boolean; login?: boolean } {
  const x = explainError(e);
  if (!x.refusal) return { label: l10n.t('Could not load: {0}', firstLine(x.message)), detail: x.message, forbidden: false, unauthorized: false };
  return {
    label: x.title,
    detail: x.whatToDo ? `${x.message}\n\n${x.whatToDo}` : x.message,
    forbidden: x.refusal === 'forbidden',
    unauthorized: x.refusal !== 'forbidden',
    ...(x.refusal === 'login-required' ? { login: true } : {}),
  };
}
