/**
 * Is the record folder a place only workspace admins can write? All users have CAN MANAGE on
 * `/Shared` and everything in it (real-platform facts, "/Shared is not private"), so a record there
 * could be forged by anyone. The records live in a folder at the workspace root, where only admins
 * can create objects; its permissions are read on every use (`get-status` → object_id →
 * `/permissions/directories/{object_id}`): every principal that can edit it (CAN EDIT, CAN MANAGE,
 * direct or inherited) must be the `admins` group or one of its members. A folder that does not
 * exist yet is judged by the folder it would be created in (it inherits that folder's permissions).
 */
import { scimEq } from '../../client/scim';
import type { CallOptions, ObjectPermissions, ScimUser, WorkspaceClient } from '../../client/api';
import { isNotFound, isPermissionDenied } from '../util';

/** Where records were kept before (every user can edit it): read for migration only. */
export const LEGACY_RECORD_FOLDER = '/Shared/.partner-connect';

export type FolderTrust =
  /** only admins can write there; `exists` false when the folder is yet to be created (in a trusted parent) */
  | { kind: 'trusted'; folder: string; exists: boolean }
  /** someone who is not an admin can write there: nothing read from it is trusted */
  | { kind: 'untrusted'; folder: string; exists: boolean; reason: string; writers: string[] }
  /** the permissions could not be read (the caller is not allowed to): not trusted either */
  | { kind: 'unknown'; folder: string; exists: boolean; reason: string };

const WRITE_LEVELS = new Set(['CAN_EDIT', 'CAN_MANAGE', 'IS_OWNER']);

function norm(folder: string): string {
  const f = folder.replace(/\/+$/, '');
  return f === '' ? '/' : f;
}
function parentOf(folder: string): string {
  const i = folder.lastIndexOf('/');
  return i <= 0 ? '/' : folder.slice(0, i);
}

interface Writer {
  kind: 'user' | 'group' | 'service-principal';
  name: string;
  /** e.g. "CAN_MANAGE inherited from /directories/123" */
  how: string;
}

export function writersOf(acl: ObjectPermissions): Writer[] {
  const out: Writer[] = [];
  for (const e of acl.access_control_list) {
    const levels = e.all_permissions.filter((p) => WRITE_LEVELS.has(p.permission_level));
    if (levels.length === 0) continue;
    const how = levels.map((p) => (p.inherited ? `${p.permission_level} inherited from ${(p.inherited_from_object ?? []).join(', ') || 'a parent'}` : p.permission_level)).join('; ');
    if (e.group_name) out.push({ kind: 'group', name: e.group_name, how });
    else if (e.user_name) out.push({ kind: 'user', name: e.user_name, how });
    else if (e.service_principal_name) out.push({ kind: 'service-principal', name: e.service_principal_name, how });
  }
  return out;
}

export interface TrustOptions {
  /** the caller (SCIM Me), when already fetched: the caller as a writer (the folder's creator) needs no lookup */
  me?: ScimUser | Promise<ScimUser>;
  /**
   * read the status of the folder and of every folder above it in one wave (connect: the first connect
   * in a workspace meets a missing folder, and the walk up would cost a round per level); default: one
   * level at a time, which costs one request when the folder exists
   */
  ancestorsAtOnce?: boolean;
}

/** A user or service principal writer is fine when it is in the `admins` group now. */
async function isAdminPrincipal(client: WorkspaceClient, w: Writer, o?: CallOptions, t: TrustOptions = {}): Promise<boolean> {
  const inAdmins = (groups: { display?: string }[]): boolean => groups.some((g) => g.display === 'admins');
  if (w.kind === 'user' && t.me) {
    const me = await t.me;
    if (me.userName.toLowerCase() === w.name.toLowerCase()) return inAdmins(me.groups);
  }
  if (w.kind === 'user') {
    const users = await client.listUsers({ filter: scimEq('userName', w.name) }, o);
    return users.some((u) => u.userName.toLowerCase() === w.name.toLowerCase() && inAdmins(u.groups));
  }
  if (w.kind === 'service-principal') {
    const sps = await client.listServicePrincipals({ filter: scimEq('applicationId', w.name) }, o);
    return sps.some((s) => s.applicationId === w.name && inAdmins(s.groups ?? []));
  }
  return w.name === 'admins';
}

/** Checks the folder (or, when absent, the nearest existing folder above it). */
export async function checkRecordFolderTrust(client: WorkspaceClient, folder: string, o?: CallOptions, t: TrustOptions = {}): Promise<FolderTrust> {
  const target = norm(folder);
  let at = target;
  let exists = true;
  const early = new Map<string, ReturnType<WorkspaceClient['getWorkspaceObjectStatus']>>();
  if (t.ancestorsAtOnce) {
    for (let p = target; ; p = parentOf(p)) {
      const read = client.getWorkspaceObjectStatus(p, o);
      read.catch(() => undefined); // awaited below, in order, where the walk gets to it
      early.set(p, read);
      if (p === '/') break;
    }
  }
  for (;;) {
    const st = await (early.get(at) ?? client.getWorkspaceObjectStatus(at, o));
    if (st) {
      if (st.object_type && st.object_type !== 'DIRECTORY') {
        return { kind: 'untrusted', folder: target, exists, reason: `${at} is not a folder (${st.object_type})`, writers: [] };
      }
      if (st.object_id === undefined) return { kind: 'unknown', folder: target, exists, reason: `${at} has no object id` };
      return judge(client, target, at, exists, st.object_id, o, t);
    }
    exists = false;
    if (at === '/') return { kind: 'unknown', folder: target, exists, reason: 'the workspace root was not found' };
    at = parentOf(at);
  }
}

async function judge(client: WorkspaceClient, target: string, at: string, exists: boolean, objectId: string, o: CallOptions | undefined, t: TrustOptions): Promise<FolderTrust> {
  let acl: ObjectPermissions;
  try {
    acl = await client.getDirectoryPermissions(objectId, o);
  } catch (e) {
    if (isPermissionDenied(e) || isNotFound(e)) return { kind: 'unknown', folder: target, exists, reason: `the permissions of ${at} cannot be read by you` };
    throw e;
  }
  const writers = writersOf(acl);
  const others = writers.filter((w) => !(w.kind === 'group' && w.name === 'admins'));
  const groups = others.filter((w) => w.kind === 'group');
  const principals = others.filter((w) => w.kind !== 'group');
  const notAdmins = [...groups];
  const checks = await Promise.all(principals.map(async (w) => ((await isAdminPrincipal(client, w, o, t)) ? null : w)));
  for (const w of checks) if (w) notAdmins.push(w);
  if (notAdmins.length === 0) return { kind: 'trusted', folder: target, exists };
  const names = notAdmins.map((w) => `${w.kind} ${w.name} (${w.how})`);
  const where = exists ? target : `${at} (where ${target} would be created)`;
  return { kind: 'untrusted', folder: target, exists, reason: `${names.join(', ')} can edit ${where}, and is not a workspace admin`, writers: names };
}

/** One sentence for the UI. */
export function describeTrust(t: FolderTrust): string {
  switch (t.kind) {
    case 'trusted':
      return `Only workspace admins can change ${t.folder}.`;
    case 'untrusted':
      return `The connection records in ${t.folder} are not trusted: ${t.reason}. Nothing they name is deleted unless the workspace itself confirms it; keep the records in a folder only admins can write (setting partnerConnect.recordFolder, default /.partner-connect).`;
    case 'unknown':
      return `The connection records in ${t.folder} are not trusted: ${t.reason}.`;
  }
}
