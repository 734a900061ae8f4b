/**
 * Workspace folder permissions (`/api/2.0/permissions/directories/{object_id}`) and the access checks
 * of the workspace file routes, after Databricks' "Special folders and permissions":
 * - workspace admins have CAN MANAGE on every folder (the `admins` group, inherited from the root);
 * - only admins can create objects in the workspace root folder; other users can list and read
 *   there (CAN READ for `users` on the root is an assumption of this emulator, *unverified*: the
 *   extension's trust check only looks at levels that can write);
 * - all users have CAN MANAGE on `/Shared` and everything in it (inherited);
 * - a user has CAN MANAGE on their home folder `/Users/<name>`; other users have no permission there;
 * - a folder's objects inherit its permissions (inherited permissions add to direct ones);
 * - whoever creates a folder gets CAN MANAGE on it (a direct entry).
 * File-level ACLs are not modelled: a file has the permissions of its folder.
 */
import { apiError, bodyObject, json, requireCaller, type Ctx, type Route } from './http';
import { parentPath, type Caller, type EmulatorState, type FileRec } from './state';

export type FolderLevel = 'CAN_READ' | 'CAN_RUN' | 'CAN_EDIT' | 'CAN_MANAGE';
const RANK: Record<FolderLevel, number> = { CAN_READ: 1, CAN_RUN: 2, CAN_EDIT: 3, CAN_MANAGE: 4 };
const LEVELS = Object.keys(RANK) as FolderLevel[];

export interface FolderAclEntry {
  kind: 'user' | 'group' | 'sp';
  name: string;
  level: FolderLevel;
}

/** Direct entries per folder record (a reset replaces the records, and so drops their entries). */
const direct = new WeakMap<FileRec, FolderAclEntry[]>();

function ancestorsAndSelf(path: string): string[] {
  const out: string[] = ['/'];
  let cur = '';
  for (const part of path.split('/').filter(Boolean)) {
    cur += `/${part}`;
    out.push(cur);
  }
  return out;
}

/** The special folders' entries that apply at `dir`, with the folder they come from. */
function implicitEntries(dir: string): Array<{ entry: FolderAclEntry; from: string }> {
  const out: Array<{ entry: FolderAclEntry; from: string }> = [{ entry: { kind: 'group', name: 'admins', level: 'CAN_MANAGE' }, from: '/' }];
  const home = /^\/Users\/([^/]+)/.exec(dir);
  if (home) {
    out.push({ entry: { kind: 'user', name: home[1], level: 'CAN_MANAGE' }, from: `/Users/${home[1]}` });
  } else if (dir === '/Shared' || dir.startsWith('/Shared/')) {
    out.push({ entry: { kind: 'group', name: 'users', level: 'CAN_MANAGE' }, from: '/Shared' });
  } else {
    out.push({ entry: { kind: 'group', name: 'users', level: 'CAN_READ' }, from: '/' });
  }
  return out;
}

/** Every entry in force at folder `dir`: implicit, then direct ones of its ancestors (inherited) and its own. */
export function effectiveFolderAcl(state: EmulatorState, dir: string): Array<{ entry: FolderAclEntry; from: string }> {
  const out = implicitEntries(dir);
  for (const p of ancestorsAndSelf(dir)) {
    const rec = state.files.get(p);
    for (const e of (rec && direct.get(rec)) ?? []) out.push({ entry: e, from: p });
  }
  return out;
}

function matches(e: FolderAclEntry, c: Caller): boolean {
  if (e.kind === 'group') return c.groups.has(e.name);
  return e.kind === (c.kind === 'user' ? 'user' : 'sp') && e.name.toLowerCase() === c.name.toLowerCase();
}

/** The caller's level at a path (a file counts as its folder); undefined = no permission. */
export function folderLevelOf(state: EmulatorState, c: Caller, path: string): FolderLevel | undefined {
  if (c.isAdmin) return 'CAN_MANAGE';
  const rec = state.files.get(path);
  const dir = rec && rec.type === 'DIRECTORY' ? path : parentPath(path);
  let best: FolderLevel | undefined;
  for (const { entry } of effectiveFolderAcl(state, dir)) if (matches(entry, c) && (!best || RANK[entry.level] > RANK[best])) best = entry.level;
  return best;
}

/** 403 unless the caller holds `level` at `path`. */
export function requireFolderLevel(state: EmulatorState, c: Caller, path: string, level: FolderLevel): void {
  const have = folderLevelOf(state, c, path);
  if (!have || RANK[have] < RANK[level]) {
    throw apiError(403, 'PERMISSION_DENIED', `${c.name} does not have ${level.replace('_', ' ')} permission on ${path}.`);
  }
}

/** The nearest existing folder at or above `path` (where a mkdirs creates its first new folder). */
export function nearestExisting(state: EmulatorState, path: string): string {
  let cur = path;
  while (cur !== '/' && !state.files.has(cur)) cur = parentPath(cur);
  return cur;
}

/** The creator of new folders gets CAN MANAGE on them. */
export function grantCreator(state: EmulatorState, c: Caller, created: string[]): void {
  for (const p of created) {
    const rec = state.files.get(p);
    if (!rec || rec.type !== 'DIRECTORY') continue;
    direct.set(rec, [...(direct.get(rec) ?? []), { kind: c.kind === 'user' ? 'user' : 'sp', name: c.name, level: 'CAN_MANAGE' }]);
  }
}

/** Sets direct entries (PATCH semantics: each entry sets that principal's level) - tests and the PATCH route. */
export function patchFolderAcl(state: EmulatorState, dir: string, changes: FolderAclEntry[]): void {
  const rec = state.files.get(dir);
  if (!rec || rec.type !== 'DIRECTORY') throw new Error(`no folder ${dir}`);
  const list = [...(direct.get(rec) ?? [])];
  for (const ch of changes) {
    const i = list.findIndex((e) => e.kind === ch.kind && e.name.toLowerCase() === ch.name.toLowerCase());
    if (i >= 0) list[i] = ch;
    else list.push(ch);
  }
  direct.set(rec, list);
}

function folderById(state: EmulatorState, id: string): FileRec {
  for (const f of state.files.values()) if (String(f.object_id) === id && f.type === 'DIRECTORY') return f;
  throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Directory ${id} does not exist.`);
}

function aclJson(state: EmulatorState, dir: FileRec): Record<string, unknown> {
  const objectRef = (p: string): string => `/directories/${state.files.get(p)?.object_id ?? 0}`;
  const byPrincipal = new Map<string, { key: string; name: string; perms: Array<Record<string, unknown>> }>();
  for (const { entry, from } of effectiveFolderAcl(state, dir.path)) {
    const key = entry.kind === 'user' ? 'user_name' : entry.kind === 'group' ? 'group_name' : 'service_principal_name';
    const id = `${key}:${entry.name.toLowerCase()}`;
    const row = byPrincipal.get(id) ?? { key, name: entry.name, perms: [] };
    row.perms.push(from === dir.path ? { permission_level: entry.level, inherited: false } : { permission_level: entry.level, inherited: true, inherited_from_object: [objectRef(from)] });
    byPrincipal.set(id, row);
  }
  return {
    object_id: `/directories/${dir.object_id}`,
    object_type: 'directory',
    access_control_list: [...byPrincipal.values()].map((r) => ({ [r.key]: r.name, all_permissions: r.perms })),
  };
}

function parsePatch(ctx: Ctx): FolderAclEntry[] {
  const list = bodyObject(ctx).access_control_list;
  if (!Array.isArray(list)) throw apiError(400, 'INVALID_PARAMETER_VALUE', 'access_control_list is required and must be an array.');
  return list.map((raw: unknown): FolderAclEntry => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const level = r.permission_level;
    if (typeof level !== 'string' || !(LEVELS as string[]).includes(level)) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Permission level ${String(level)} is not supported for directories.`);
    if (typeof r.user_name === 'string') return { kind: 'user', name: r.user_name, level: level as FolderLevel };
    if (typeof r.group_name === 'string') return { kind: 'group', name: r.group_name, level: level as FolderLevel };
    if (typeof r.service_principal_name === 'string') return { kind: 'sp', name: r.service_principal_name, level: level as FolderLevel };
    throw apiError(400, 'INVALID_PARAMETER_VALUE', 'Each access control entry needs one of user_name, group_name, service_principal_name.');
  });
}

export const folderAclRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/api\/2\.0\/permissions\/directories\/([^/]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const dir = folderById(ctx.state, ctx.params[0]);
      requireFolderLevel(ctx.state, c, dir.path, 'CAN_READ');
      return json(aclJson(ctx.state, dir));
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/api\/2\.0\/permissions\/directories\/([^/]+)$/,
    handler: (ctx) => {
      const c = requireCaller(ctx);
      const dir = folderById(ctx.state, ctx.params[0]);
      requireFolderLevel(ctx.state, c, dir.path, 'CAN_MANAGE');
      patchFolderAcl(ctx.state, dir.path, parsePatch(ctx));
      return json(aclJson(ctx.state, dir));
    },
  },
];
