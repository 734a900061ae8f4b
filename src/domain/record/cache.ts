/**
 * Records read once and re-read only when the workspace says they changed: a detection that lists the
 * record folder (detect.ts, records 'listed') gets each file's object id, size and modification time,
 * and a record whose three are what they were when it was last read is not exported again. A warm
 * refresh then sends no record export at all where nothing changed — a quarter of a fleet refresh's
 * requests — and its grants start one round sooner.
 *
 * The workspace stays the judge: an entry is used only when this refresh's own listing names the same
 * file version, lives in memory only (never written anywhere), and is never proof of what may be
 * deleted — disconnect, rotation and connect read the record themselves. Two guards where the
 * listing's version could name content other than what was read:
 * - a file modified less than SETTLED_MS before the read is not kept: a write racing the read, or a
 *   read served before a write landed, has a recent modification time (and a clock behind the
 *   workspace's keeps nothing recent at all);
 * - an entry is kept at most MAX_AGE_MS, then read again whatever the listing says.
 */
import type { WorkspaceObjectInfo } from '../../client/api';
import type { ReadRecordResult } from './record';

/** A file modified more recently than this before it was read is read again next time. */
export const RECORD_CACHE_SETTLED_MS = 30_000;
/** An entry is read again after this long, whatever the listing says. */
export const RECORD_CACHE_MAX_AGE_MS = 15 * 60_000;

interface Entry {
  version: string;
  result: ReadRecordResult;
  readAt: number;
}

/** The version of a listed file as the workspace reports it; null when the listing omits a part. */
export function fileVersionOf(info: WorkspaceObjectInfo): string | null {
  if (info.object_id === undefined || info.modified_at === undefined || info.size === undefined) return null;
  return `${info.object_id}:${info.modified_at}:${info.size}`;
}

export class RecordCache {
  private readonly entries = new Map<string, Entry>();
  /** true once a listing of the folder was seen: the next detection may read only what changed */
  primed = false;

  constructor(private readonly clock: () => number = Date.now) {}

  /** the time a read starts, for `store` (the cache's clock: tests move it) */
  now(): number {
    return this.clock();
  }

  /** The record read for this version of the file, when it is still good. */
  lookup(info: WorkspaceObjectInfo): ReadRecordResult | undefined {
    const e = this.entries.get(info.path);
    if (!e) return undefined;
    if (e.version !== fileVersionOf(info) || this.clock() - e.readAt > RECORD_CACHE_MAX_AGE_MS) {
      this.entries.delete(info.path);
      return undefined;
    }
    return e.result;
  }

  /** Keeps what was read for the listed version, unless that version is too recent to be sure of. */
  store(info: WorkspaceObjectInfo, result: ReadRecordResult, readAt: number): void {
    const version = fileVersionOf(info);
    if (version === null || info.modified_at === undefined || readAt - info.modified_at < RECORD_CACHE_SETTLED_MS) {
      this.entries.delete(info.path);
      return;
    }
    this.entries.set(info.path, { version, result, readAt });
  }

  /** After a listing: forgets files it no longer names. */
  retain(listed: readonly WorkspaceObjectInfo[]): void {
    this.primed = true;
    const names = new Set(listed.map((f) => f.path));
    for (const path of this.entries.keys()) if (!names.has(path)) this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }
}
