/** The history of connections, in words and as Markdown (Show History, the report, the inspect view). No `vscode` import. */
import type { HistoryEntry, HistoryRead, HistoryRef } from '../../domain';
import { formatTime } from '../ui/time';

export const ACTION_LABELS: Record<HistoryEntry['action'], string> = {
  connect: 'Connect',
  repair: 'Repair grants',
  rotate: 'Rotate credential',
  disconnect: 'Disconnect',
  'delete-service-principal': 'Delete service principal',
  'orphan-cleanup': 'Orphan clean-up',
  'take-over': 'Take over a stale connect',
};

export const OUTCOME_LABELS: Record<HistoryEntry['outcome'], string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  'rolled-back': 'failed, rolled back',
  cancelled: 'cancelled',
};

/** kinds whose name already says what they are (a repair's "Grant SELECT on …") */
const SELF_DESCRIBING = new Set(['grant', 'entitlement', 'token-permission', 'warehouse-permission']);
const KIND_WORDS: Record<string, string> = { 'oauth-secret': 'OAuth secret', credential: 'credential', 'service-principal': 'service principal', 'partner-connection': 'partner connection', 'uc-grant': 'grant', 'hive-grant': 'grant' };
const refText = (r: HistoryRef): string => {
  const what = r.name && r.name !== r.id ? `${r.name} (${r.id})` : r.id;
  return SELF_DESCRIBING.has(r.kind) ? what : `${KIND_WORDS[r.kind] ?? r.kind} ${what}`;
};

/** One line per effect kind, e.g. "created: service-principal HEX_USER (123), token abc". */
export function effectLines(e: HistoryEntry): string[] {
  const out: string[] = [];
  if (e.created.length) out.push(`created: ${e.created.map(refText).join(', ')}`);
  if (e.changed.length) out.push(`changed: ${e.changed.map(refText).join(', ')}`);
  if (e.deleted.length) out.push(`deleted: ${e.deleted.map(refText).join(', ')}`);
  if (e.left.length) out.push(`left behind: ${e.left.map(refText).join(', ')}`);
  if (e.error) out.push(`error: ${e.error}`);
  if (e.note) out.push(`note: ${e.note}`);
  return out;
}

/** An entry's action in words; a rotate names the credential it made or deleted (an OAuth secret or a token) when it says. */
export function actionLabel(e: HistoryEntry): string {
  if (e.action !== 'rotate') return ACTION_LABELS[e.action];
  const kinds = new Set([...e.created, ...e.deleted, ...e.left].map((r) => r.kind));
  return kinds.has('oauth-secret') ? 'Rotate OAuth secret' : kinds.has('token') ? 'Rotate token' : ACTION_LABELS.rotate;
}

export interface HistoryRow {
  when: string;
  by: string;
  action: string;
  partner: string;
  outcome: HistoryEntry['outcome'];
  outcomeLabel: string;
  details: string[];
}

export function historyRows(entries: readonly HistoryEntry[]): HistoryRow[] {
  return entries.map((e) => ({
    when: formatTime(e.finishedAt),
    by: e.by,
    action: actionLabel(e),
    partner: e.partnerName ?? e.partner ?? '—',
    outcome: e.outcome,
    outcomeLabel: OUTCOME_LABELS[e.outcome],
    details: effectLines(e),
  }));
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown table of entries (newest first) and the files that could not be read. */
export function historyMarkdown(read: HistoryRead, opts: { withPartner: boolean }): string[] {
  const out: string[] = [];
  if (read.untrusted) out.push(`> **Not trusted:** ${cell(read.untrusted)} Anyone who can edit that folder could have written or changed these entries.`, '');
  if (read.entries.length === 0) out.push('No action recorded yet.', '');
  else {
    out.push(opts.withPartner ? '| When | Partner | Action | Outcome | By | What |' : '| When | Action | Outcome | By | What |');
    out.push(opts.withPartner ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|');
    for (const r of historyRows(read.entries)) {
      const what = cell(r.details.join('; ') || '—');
      out.push(
        opts.withPartner
          ? `| ${r.when} | ${cell(r.partner)} | ${r.action} | ${r.outcomeLabel} | ${cell(r.by)} | ${what} |`
          : `| ${r.when} | ${r.action} | ${r.outcomeLabel} | ${cell(r.by)} | ${what} |`,
      );
    }
    out.push('');
  }
  if (read.truncated) out.push('_Older entries are not shown._', '');
  for (const i of read.invalid) out.push(`- Not a valid history entry: \`${i.path}\` (${cell(i.problem)})`);
  if (read.invalid.length) out.push('');
  return out;
}
