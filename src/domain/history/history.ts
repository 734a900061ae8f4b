/**
 * The history of a workspace's connections: one small JSON document per action the extension took
 * (connect, repair, rotate, disconnect, service-principal delete, orphan clean-up, take-over of a
 * stale lock) — who, when, what was created / changed / deleted (ids and names, never a secret),
 * and the outcome, failures included.
 *
 * Kept next to the records, in `<record folder>/history/`, so it has the records' location and
 * permissions (an admin-only folder at the workspace root, record/trust.ts); reading it checks that
 * folder's permissions as the records do. Append-only in practice: each entry is its own file, written with overwrite
 * disabled under a unique name; nothing in the extension rewrites or deletes one (a disconnect
 * keeps the history, and with it the records folder).
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { CallOptions, WorkspaceClient } from '../../client/api';
import { checkRecordFolderTrust, describeTrust } from '../record/trust';

export const HISTORY_SCHEMA_VERSION = 1;
export const HISTORY_FOLDER_NAME = 'history';

export const HistoryAction = z.enum(['connect', 'repair', 'rotate', 'disconnect', 'delete-service-principal', 'orphan-cleanup', 'take-over']);
export type HistoryAction = z.infer<typeof HistoryAction>;

/** succeeded; failed (possibly part-way: see deleted / left); rolled-back (failed, and undone); cancelled (by the user, undone where it could be) */
export const HistoryOutcome = z.enum(['succeeded', 'failed', 'rolled-back', 'cancelled']);
export type HistoryOutcome = z.infer<typeof HistoryOutcome>;

export const HistoryRef = z.object({
  /** service-principal, token, warehouse, uc-grant, entitlement, record, … */
  kind: z.string().min(1),
  id: z.string(),
  name: z.string().optional(),
});
export type HistoryRef = z.infer<typeof HistoryRef>;

export const HistoryEntry = z.object({
  schemaVersion: z.literal(HISTORY_SCHEMA_VERSION),
  /** also the file name (without .json): sortable by time */
  id: z.string().regex(/^[0-9]{8}T[0-9]{9}Z-[a-z-]+-[a-z0-9-]+-[0-9a-f]{8}$/),
  action: HistoryAction,
  /** the partner, or null for a workspace-wide action (orphan clean-up of several partners) */
  partner: z.string().nullable(),
  partnerName: z.string().nullable(),
  /** the signed-in user who ran it */
  by: z.string().min(1),
  startedAt: z.string(),
  finishedAt: z.string(),
  outcome: HistoryOutcome,
  created: z.array(HistoryRef),
  changed: z.array(HistoryRef),
  deleted: z.array(HistoryRef),
  /** what a failed action left behind (still to delete, could not be removed) */
  left: z.array(HistoryRef),
  /** a short reason for a failure; redacted, never a secret */
  error: z.string().nullable(),
  /** e.g. "re-used the existing connection" */
  note: z.string().nullable(),
  extensionVersion: z.string(),
});
export type HistoryEntry = z.output<typeof HistoryEntry>;

/** `<record folder>/history` */
export function historyFolderFor(recordFolder: string): string {
  return `${recordFolder.replace(/\/+$/, '')}/${HISTORY_FOLDER_NAME}`;
}

const compact = (iso: string): string => iso.replace(/[-:.]/g, '');
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';

export function newEntryId(finishedAt: string, action: HistoryAction, partner: string | null): string {
  return `${compact(finishedAt)}-${action}-${slug(partner ?? 'workspace')}-${randomBytes(4).toString('hex')}`;
}

/** Writes one entry as its own file, with overwrite disabled (an entry is never rewritten). */
export async function appendHistory(client: WorkspaceClient, recordFolder: string, entry: HistoryEntry, o?: CallOptions): Promise<void> {
  const e = HistoryEntry.parse(entry);
  await client.writeWorkspaceFile(`${historyFolderFor(recordFolder)}/${e.id}.json`, JSON.stringify(e, null, 2) + '\n', { overwrite: false }, o);
}

export interface HistoryRead {
  /** newest first */
  entries: HistoryEntry[];
  /** files that are not valid entries (hand-edited, other tool): named, never silently dropped */
  invalid: { path: string; problem: string }[];
  /** more entries exist than were read */
  truncated: boolean;
  /** the folder is not one only admins can write (record/trust.ts): the entries could have been forged */
  untrusted: string | null;
}

/**
 * The newest entries (optionally of one partner), newest first: one folder listing, then the
 * entries read in parallel (the file names carry time, action and partner, so only the wanted ones
 * are read).
 */
export async function readHistory(client: WorkspaceClient, recordFolder: string, opts: { partnerId?: string; limit?: number; signal?: AbortSignal } = {}): Promise<HistoryRead> {
  const o: CallOptions = { signal: opts.signal };
  const limit = opts.limit ?? 200;
  const folder = historyFolderFor(recordFolder);
  const [listed, trust] = await Promise.all([
    client.listWorkspaceFiles(folder, o),
    checkRecordFolderTrust(client, recordFolder, o).catch((e: unknown) => ({ kind: 'unknown' as const, folder: recordFolder, exists: true, reason: e instanceof Error ? e.message : String(e) })),
  ]);
  const wanted = opts.partnerId ? `-${slug(opts.partnerId)}-` : null;
  const files = listed
    .filter((f) => f.object_type !== 'DIRECTORY' && f.path.endsWith('.json'))
    .map((f) => f.path)
    .filter((p) => !wanted || (p.split('/').pop() ?? '').includes(wanted))
    .sort()
    .reverse();
  const chosen = files.slice(0, limit);
  const invalid: HistoryRead['invalid'] = [];
  const entries: HistoryEntry[] = [];
  const texts = await Promise.all(chosen.map((p) => client.readWorkspaceFile(p, o).then((t) => [p, t] as const)));
  for (const [path, text] of texts) {
    if (text === null) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      invalid.push({ path, problem: 'not JSON' });
      continue;
    }
    const r = HistoryEntry.safeParse(raw);
    if (!r.success) invalid.push({ path, problem: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
    else if (opts.partnerId && r.data.partner !== opts.partnerId) continue;
    else entries.push(r.data);
  }
  entries.sort((a, b) => b.id.localeCompare(a.id));
  return { entries, invalid, truncated: files.length > chosen.length, untrusted: trust.kind === 'trusted' ? null : describeTrust(trust) };
}
