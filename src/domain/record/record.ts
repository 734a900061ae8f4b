/**
 * The connection record (the check mark): a small JSON document in workspace files, one per
 * partner, so every admin of the workspace sees the same state. Never contains a token value.
 *
 * Lifecycle: `connecting` (claimed with overwrite disabled — the lock) → `connected`.
 * A record left in `connecting` belongs to a connect that is running or was interrupted; after
 * STALE_CONNECT_MINUTES an admin may take it over. `handoffStartedAt` is set before the partner is
 * called, so an interrupted hand-off is known.
 */
import * as z from 'zod';
import type { CallOptions, WorkspaceClient } from '../../client/api';
import { jsonSyntaxProblem } from '../../client/schemas/json';

export const RECORD_SCHEMA_VERSION = 1;

export const ConnectionRecord = z.object({
  schemaVersion: z.literal(RECORD_SCHEMA_VERSION),
  partner: z.string().min(1),
  partnerName: z.string().optional(),
  state: z.enum(['connecting', 'connected']),
  /** unique per connect attempt: the lock owner */
  attemptId: z.string().min(1),
  servicePrincipal: z.object({ id: z.string(), applicationId: z.string(), displayName: z.string() }).nullable(),
  /** token id only, never its value (for an OAuth secret: null; see `credential`) */
  tokenId: z.string().nullable(),
  /**
   * The partner's credential: kind, id, expiry and the lifetime chosen at connect (rotation keeps it).
   * Never its value. Absent in records written before credentials had kinds (then `tokenId` is a PAT).
   */
  credential: z
    .object({ kind: z.enum(['pat', 'oauth-secret']), id: z.string(), expiresAt: z.string().nullable(), lifetimeDays: z.number().int().positive() })
    .nullable()
    .optional(),
  compute: z
    .object({ kind: z.enum(['warehouse', 'cluster']), id: z.string(), name: z.string().optional(), createdForPartner: z.boolean() })
    .nullable(),
  catalog: z.string().nullable(),
  schemas: z.array(z.string()),
  isHive: z.boolean(),
  /** the partner's connection_id (Partner Connect protocol) */
  connectionId: z.string().nullable(),
  connectedBy: z.string(),
  /** sign-in partners: the partner account administrator (the first person who connected) */
  partnerAccountAdministrator: z.string().nullable(),
  connectedAt: z.string(),
  extensionVersion: z.string(),
  /**
   * When the partner was about to be called (Partner Connect protocol hand-off). From then on the
   * partner may hold a connection even if this connect never finishes; a Disconnect says so.
   * Absent in records written before this field existed.
   */
  handoffStartedAt: z.string().nullable().optional(),
  /** an interrupted connect an admin took over (takeover.ts): the attempt this record replaced */
  takenOverFrom: z.object({ attemptId: z.string(), connectedBy: z.string(), connectedAt: z.string() }).nullable().optional(),
  /**
   * 'user': a connection that acts as `connectedBy` (a NON_ADMIN partner connected by a non-admin): no
   * service principal, the credential is that user's own token, the record lives in their folder
   * (userRecordFolder). Absent: the usual connection through the partner's service principal.
   */
  actsAs: z.literal('user').optional(),
  /** moved from the legacy folder (migrate.ts): the file it came from, when, by whom */
  migratedFrom: z.object({ path: z.string(), at: z.string(), by: z.string().nullable() }).nullable().optional(),
});
export type ConnectionRecord = z.output<typeof ConnectionRecord>;

/** A folder at the workspace root: only workspace admins can create objects there (record/trust.ts checks it on every use). */
export const DEFAULT_RECORD_FOLDER = '/.partner-connect';

/** The record folder of an operation: the configured one (partnerConnect.recordFolder), else the default. */
export function recordFolderOf(o: { recordFolder?: string }): string {
  return o.recordFolder ?? DEFAULT_RECORD_FOLDER;
}

/** Where a connection that acts as the user is recorded: their home folder (they and admins may write it). */
export function userRecordFolder(userName: string): string {
  return `/Users/${userName}/.partner-connect`;
}

/** Where the record of a partner lives in a folder. */
export function recordPathFor(folder: string, partnerId: string): string {
  return `${folder.replace(/\/+$/, '')}/${partnerId}.json`;
}

/**
 * A `connecting` record older than this belongs to a connect that was interrupted: no connect runs
 * that long (each request gives up after at most 2 minutes of retries, a connect sends about twenty
 * in a dozen rounds). An admin may then take it over (connect/takeover.ts) after confirming.
 */
export const STALE_CONNECT_MINUTES = 30;

/** Minutes since a record's connect started (connectedAt), or null when the time cannot be read. */
export function minutesSince(record: Pick<ConnectionRecord, 'connectedAt'>, now: number = Date.now()): number | null {
  const t = Date.parse(record.connectedAt);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / 60_000)) : null;
}

/** A `connecting` record whose connect started at least STALE_CONNECT_MINUTES ago (or at a time that cannot be read). */
export function isStaleConnecting(record: ConnectionRecord, now: number = Date.now()): boolean {
  if (record.state !== 'connecting') return false;
  const age = minutesSince(record, now);
  return age === null || age >= STALE_CONNECT_MINUTES;
}

export type ReadRecordResult =
  | { kind: 'absent' }
  | { kind: 'ok'; record: ConnectionRecord }
  /** present but not a valid record (hand-edited, other tool): never silently treated as absent */
  | { kind: 'invalid'; problem: string };

export function parseRecord(text: string): ReadRecordResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { kind: 'invalid', problem: `not JSON (${jsonSyntaxProblem(e)})` };
  }
  const r = ConnectionRecord.safeParse(raw);
  if (!r.success) return { kind: 'invalid', problem: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  return { kind: 'ok', record: r.data };
}

export function serializeRecord(record: ConnectionRecord): string {
  return JSON.stringify(ConnectionRecord.parse(record), null, 2) + '\n';
}

export async function readRecord(client: WorkspaceClient, folder: string, partnerId: string, o?: CallOptions): Promise<ReadRecordResult> {
  const text = await client.readWorkspaceFile(recordPathFor(folder, partnerId), o);
  if (text === null) return { kind: 'absent' };
  return parseRecord(text);
}

/** true when the error means "the file exists already" (the lock is held by someone else). */
export function isAlreadyExists(e: unknown): boolean {
  const x = e as { errorCode?: unknown; status?: unknown } | null;
  return !!x && (x.errorCode === 'RESOURCE_ALREADY_EXISTS' || (x.status === 409 && x.errorCode !== undefined));
}

/**
 * Claims the record with overwrite disabled. Returns 'claimed' or 'taken' (someone else's record).
 * A claim retried after a throttled answer that had already written the file meets
 * RESOURCE_ALREADY_EXISTS: the record is read, and one holding our own attemptId is ours.
 */
export async function claimRecord(client: WorkspaceClient, folder: string, record: ConnectionRecord, o?: CallOptions, folderMissing = false): Promise<'claimed' | 'taken'> {
  try {
    await client.writeWorkspaceFile(recordPathFor(folder, record.partner), serializeRecord(record), { overwrite: false, parentMissing: folderMissing }, o);
    return 'claimed';
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const cur = await readRecord(client, folder, record.partner, o);
    return cur.kind === 'ok' && cur.record.attemptId === record.attemptId ? 'claimed' : 'taken';
  }
}

/** Overwrites a record we own (after re-reading it to make sure the lock is still ours). */
export async function updateOwnRecord(client: WorkspaceClient, folder: string, record: ConnectionRecord, o?: CallOptions): Promise<void> {
  const current = await readRecord(client, folder, record.partner, o);
  if (current.kind !== 'ok' || current.record.attemptId !== record.attemptId) {
    throw new Error(`The connection record of ${record.partner} was changed by someone else while connecting.`);
  }
  await writeRecord(client, folder, record.partner, record, o);
}

/** Writes the record of `partnerId` over whatever is there (a record we hold: rotation, take-over, the final write of a connect). */
export async function writeRecord(client: WorkspaceClient, folder: string, partnerId: string, record: ConnectionRecord, o?: CallOptions): Promise<void> {
  await client.writeWorkspaceFile(recordPathFor(folder, partnerId), serializeRecord(record), { overwrite: true }, o);
}

export async function deleteRecord(client: WorkspaceClient, folder: string, partnerId: string, o?: CallOptions): Promise<void> {
  await client.deleteWorkspaceFile(recordPathFor(folder, partnerId), o);
}
