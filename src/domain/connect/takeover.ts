/**
 * Take over an interrupted connect. A connect that dies (VS Code closed, machine asleep, network
 * gone) leaves its record in `connecting`: the lock that keeps everybody else from connecting the
 * partner. Once the record is STALE_CONNECT_MINUTES old, an admin may take it over after confirming
 * what will be deleted (`previewDisconnect(…, 'reset')` lists it):
 *   1. the record is re-read: still `connecting`, still the attempt the admin confirmed, still stale;
 *   2. the lock changes hands — the record is rewritten with a new attemptId (`takenOverFrom` names
 *      the old one), so the old connect, should it wake up, finds its record changed and stops;
 *   3. a Disconnect (reset) removes what the interrupted connect left — principal, grants,
 *      credentials, a warehouse it created, the partner connection when known — and the record.
 * The result is typed (the history records it); the partner may still hold a connection when the
 * hand-off had started and no connection id was recorded: `partnerMayHoldConnection` says so.
 */
import { randomUUID } from 'node:crypto';
import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { EngineContext } from '../context';
import { DomainError, NotWorkspaceAdminError, throwIfAborted } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import { isStaleConnecting, minutesSince, readRecord, recordFolderOf, STALE_CONNECT_MINUTES, writeRecord, type ConnectionRecord } from '../record/record';
import { disconnect, type DisconnectOptions } from '../disconnect/disconnect';
import type { DisconnectResult } from '../disconnect/types';
import { isAdmin } from '../util';

export interface TakeOverResult {
  kind: 'take-over';
  partnerId: string;
  /** the interrupted attempt */
  previous: { attemptId: string; connectedBy: string; connectedAt: string; minutesAgo: number | null; handoffStartedAt: string | null };
  /** the hand-off had started and no connection id was recorded: the partner may hold a connection nobody can name */
  partnerMayHoldConnection: boolean;
  /** the reset that removed what the interrupted connect left (the record included) */
  disconnect: DisconnectResult;
}

export type TakeOverRefusal = 'not-connecting' | 'changed' | 'too-recent';

export class TakeOverRefusedError extends DomainError<'take-over-refused'> {
  constructor(
    partnerName: string,
    readonly reason: TakeOverRefusal,
    detail: string,
  ) {
    super(
      'take-over-refused',
      `The connect of ${partnerName} was not taken over: ${detail}`,
      reason === 'too-recent' ? `Wait until it is ${STALE_CONNECT_MINUTES} minutes old, or ask the admin who started it.` : 'Refresh to see the current state.',
    );
    this.name = 'TakeOverRefusedError';
  }
}

export interface TakeOverOptions {
  /** the attempt the admin confirmed taking over (from the record shown to them) */
  attemptId: string;
  signal?: AbortSignal;
  partnerCredentials?: PartnerCredentials;
  onProgress?: DisconnectOptions['onProgress'];
  /** the clock the record's age is judged by (tests); default Date.now */
  now?: () => number;
}

/** Why a record cannot be taken over now, or null when it can. */
export function takeOverRefusal(record: ConnectionRecord | null, attemptId: string, now: number): { reason: TakeOverRefusal; detail: string } | null {
  if (!record || record.state !== 'connecting') return { reason: 'not-connecting', detail: 'no connect is in progress any more.' };
  if (record.attemptId !== attemptId) return { reason: 'changed', detail: `the record changed meanwhile (now a connect by ${record.connectedBy} started at ${record.connectedAt}).` };
  if (!isStaleConnecting(record, now)) {
    return { reason: 'too-recent', detail: `the connect by ${record.connectedBy} started ${minutesSince(record, now) ?? 0} minutes ago and may still be running; it can be taken over after ${STALE_CONNECT_MINUTES} minutes.` };
  }
  return null;
}

export async function takeOverInterruptedConnect(ctx: EngineContext, partner: CatalogPartner, opts: TakeOverOptions): Promise<TakeOverResult> {
  const { client } = ctx;
  const o = { signal: opts.signal };
  const folder = recordFolderOf(ctx);
  const now = (opts.now ?? Date.now)();
  throwIfAborted(opts.signal);
  const [me, rec] = await Promise.all([client.me(o), readRecord(client, folder, partner.id, o)]);
  if (!isAdmin(me)) throw new NotWorkspaceAdminError(me.userName);
  const record = rec.kind === 'ok' ? rec.record : null;
  const refusal = takeOverRefusal(record, opts.attemptId, now);
  if (refusal || !record) throw new TakeOverRefusedError(partner.displayName, refusal?.reason ?? 'not-connecting', refusal?.detail ?? 'no connect is in progress any more.');
  const previous = {
    attemptId: record.attemptId,
    connectedBy: record.connectedBy,
    connectedAt: record.connectedAt,
    minutesAgo: minutesSince(record, now),
    handoffStartedAt: record.handoffStartedAt ?? null,
  };
  // the lock changes hands: the old connect, should it wake up, finds a record that is not its own
  const mine: ConnectionRecord = {
    ...record,
    attemptId: randomUUID(),
    connectedBy: me.userName,
    // the original start stays: a take-over cut short can be taken over (or disconnected) again at once
    takenOverFrom: { attemptId: record.attemptId, connectedBy: record.connectedBy, connectedAt: record.connectedAt },
  };
  await writeRecord(client, folder, partner.id, mine, o);
  ctx.logger?.(`take-over ${partner.id}: the connect by ${previous.connectedBy} of ${previous.connectedAt} (attempt ${previous.attemptId}) is taken over by ${me.userName}; resetting what it left`);
  const result = await disconnect(ctx, partner, 'reset', { signal: opts.signal, partnerCredentials: opts.partnerCredentials, onProgress: opts.onProgress });
  return {
    kind: 'take-over',
    partnerId: partner.id,
    previous,
    partnerMayHoldConnection: previous.handoffStartedAt !== null && !record.connectionId,
    disconnect: result,
  };
}
