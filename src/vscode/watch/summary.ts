/**
 * What the drift watch reports, from the workspaces' snapshots (no `vscode` import): connections
 * that are degraded, credentials close to expiry, and the state changes between two checks — each
 * with the action to take.
 */
import * as l10n from '@vscode/l10n';
import { formatTime } from '../ui/time';
import { rotateWords } from '../ui/credentialWords';
import { connectionCredentialKind, CREDENTIAL_WORDS, reasonsOf, snapshotCloud, type ConnectionStateName, type PartnerStatus, type WorkspaceSnapshot } from '../../domain';

export interface WatchAction {
  /** a partnerConnect.* command run on the partner */
  command: 'inspect' | 'repairGrants' | 'rotateToken' | 'disconnect' | 'connect';
  /** in words (translated) */
  label: string;
}

export interface WatchProblem {
  ws: string;
  partnerId: string;
  partnerName: string;
  kind: 'degraded' | 'expiring';
  /** in words */
  text: string;
  actions: WatchAction[];
}

export interface StateChange {
  ws: string;
  partnerId: string;
  partnerName: string;
  from: ConnectionStateName;
  to: ConnectionStateName;
  text: string;
  actions: WatchAction[];
}

const DAY = 86_400_000;

/** Reasons a new credential fixes. */
const ROTATE_FIXES = new Set(['token-revoked', 'token-missing', 'secret-revoked', 'credential-expired']);

/** The action(s) that fix what a partner's status shows, most useful first (`workspace`: its host and metastore, for the credential's kind). */
export function actionsFor(st: PartnerStatus, expiring: boolean, workspace: Pick<WorkspaceSnapshot, 'host' | 'metastore'>): WatchAction[] {
  const codes = new Set(reasonsOf(st).map((r) => r.code));
  const out: WatchAction[] = [];
  if (expiring || [...codes].some((c) => ROTATE_FIXES.has(c))) {
    out.push({ command: 'rotateToken', label: rotateWords(connectionCredentialKind(st.partner, workspace.host, st.record, st.credentials, snapshotCloud(workspace))).action });
  }
  if (codes.has('grants-differ')) out.push({ command: 'repairGrants', label: l10n.t('Repair Grants…') });
  if (codes.has('connect-incomplete') || codes.has('compute-gone') || codes.has('sp-mismatch') || st.state === 'check-mark-only') out.push({ command: 'disconnect', label: l10n.t('Disconnect…') });
  out.push({ command: 'inspect', label: l10n.t('Inspect…') });
  return out;
}

/** Credentials of the partner (tokens and OAuth secrets) expiring within `days` (expired ones are "token revoked" already). */
export function expiringCredentials(st: PartnerStatus, now: number, days: number): { id: string; word: string; expiresAt: string }[] {
  const creds = st.credentials?.length ? st.credentials.map((c) => ({ id: c.id, word: CREDENTIAL_WORDS[c.kind], expiry: c.expiry })) : st.tokens.map((t) => ({ id: t.tokenId, word: 'token', expiry: t.expiry }));
  return creds.filter((c) => c.expiry !== 'never' && Date.parse(c.expiry) > now && Date.parse(c.expiry) - now <= days * DAY).map((c) => ({ id: c.id, word: c.word, expiresAt: c.expiry }));
}

export function watchProblems(snapshots: ReadonlyArray<{ ws: string; snapshot: WorkspaceSnapshot }>, now: number, expiryDays: number): WatchProblem[] {
  const out: WatchProblem[] = [];
  for (const { ws, snapshot } of snapshots) {
    for (const st of snapshot.partners) {
      const name = st.partner.displayName;
      if (st.state === 'degraded') {
        out.push({ ws, partnerId: st.partnerId, partnerName: name, kind: 'degraded', text: `${name} in ${ws} is degraded: ${st.reasons.map((r) => r.message).join(' ')}`, actions: actionsFor(st, false, snapshot) });
      }
      if (st.state === 'connected' || st.state === 'degraded' || st.state === 'connected-outside') {
        for (const c of expiringCredentials(st, now, expiryDays)) {
          const inDays = Math.max(0, Math.ceil((Date.parse(c.expiresAt) - now) / DAY));
          out.push({ ws, partnerId: st.partnerId, partnerName: name, kind: 'expiring', text: `The ${c.word} ${c.id} of ${name} in ${ws} expires in ${inDays} day(s) (${formatTime(c.expiresAt)}).`, actions: actionsFor(st, true, snapshot) });
        }
        // a personal access token unused for 90 days is revoked by Databricks: close to expiry too
        for (const w of (st.warnings ?? []).filter((x) => x.code === 'credential-unused')) {
          out.push({ ws, partnerId: st.partnerId, partnerName: name, kind: 'expiring', text: `${name} in ${ws}: ${w.message}`, actions: actionsFor(st, true, snapshot) });
        }
      }
    }
  }
  return out;
}

const label = (s: ConnectionStateName): string => s.replace(/-/g, ' ');

/** Partners whose state differs between two snapshots of one workspace. */
export function stateChanges(ws: string, before: WorkspaceSnapshot, after: WorkspaceSnapshot): StateChange[] {
  const prev = new Map(before.partners.map((p) => [p.partnerId, p.state]));
  const out: StateChange[] = [];
  for (const st of after.partners) {
    const from = prev.get(st.partnerId);
    if (!from || from === st.state) continue;
    const why = reasonsOf(st).length ? `: ${reasonsOf(st).map((r) => r.message).join(' ')}` : '.';
    const actions = st.state === 'not-connected' ? [] : actionsFor(st, false, after);
    out.push({ ws, partnerId: st.partnerId, partnerName: st.partner.displayName, from, to: st.state, text: `${st.partner.displayName} in ${ws} changed from ${label(from)} to ${label(st.state)}${why}`, actions });
  }
  return out;
}

/** The status bar text, e.g. "$(warning) 2 degraded · 1 expiring"; empty when all is well. */
export function statusText(problems: readonly WatchProblem[]): string {
  const degraded = new Set(problems.filter((p) => p.kind === 'degraded').map((p) => `${p.ws}\u0000${p.partnerId}`)).size;
  const expiring = problems.filter((p) => p.kind === 'expiring').length;
  const parts = [degraded ? `${degraded} degraded` : '', expiring ? `${expiring} expiring` : ''].filter(Boolean);
  return parts.length ? `$(warning) ${parts.join(' · ')}` : '';
}
