/**
 * Workspace files, as the connection record uses them: a create-only import (the lock), overwrite,
 * read back byte for byte, list, the missing-parent answer the client relies on, deletes, a folder
 * in the admin-only workspace root, and folder permissions.
 */
import { DatabricksApiError } from '../../src/client';
import { isAlreadyExists } from '../../src/domain/record/record';
import { checkRecordFolderTrust } from '../../src/domain/record/trust';
import { failed, outcome, type CheckDef, type Run } from '../check';
import { errorText } from '../errors';
import { createFolder, writeFile } from '../fixtures';
import { fileSpec, folderSpec } from '../specs';

const CONTENT = '{\n  "check": "pc-conformance",\n  "text": "Zürich — 東京 ✓"\n}\n';
const folder = (t: Run): string => `/Shared/${t.names.prefix}`;
const file = (t: Run, n: string): string => `${folder(t)}/${n}.json`;

/** The folder is entered in the ledger before the product's client creates it (as writeWorkspaceFile does). */
function enterFolder(t: Run, path: string): void {
  t.ledger.adopt(folderSpec(t.client, t.raw, path), null);
}

export const fileChecks: CheckDef[] = [
  {
    id: 'files.import.missing-parent',
    area: 'files',
    title: 'Importing into a folder that does not exist',
    expected: 'HTTP 404 RESOURCE_DOES_NOT_EXIST (nothing written)',
    reliedOnBy: 'writeWorkspaceFile imports first and creates the parent only on exactly this error code (src/client/workspaceClient.ts)',
    emulator: 'test/emulator/routes-workspace.ts importFile: 404 RESOURCE_DOES_NOT_EXIST for a missing parent',
    async run(t) {
      const path = `${folder(t)}/probe.json`;
      enterFolder(t, folder(t));
      const r = await t.raw.request('POST', '/api/2.0/workspace/import', {
        body: { path, format: 'AUTO', content: Buffer.from('{}').toString('base64'), overwrite: false },
        signal: t.signal,
      });
      const code = (r.json as { error_code?: string } | undefined)?.error_code ?? '(no error_code)';
      if (r.status === 200) {
        await t.client.deleteWorkspaceFile(path, t.o);
        return failed(`HTTP 200: the import created ${path} and its folder`);
      }
      return outcome(r.status === 404 && code === 'RESOURCE_DOES_NOT_EXIST', `HTTP ${r.status} ${code}: ${r.text.slice(0, 160)}`);
    },
  },
  {
    id: 'files.write.create',
    area: 'files',
    title: 'A create-only write into a new folder, read back byte for byte',
    expected: 'the folder is created; reading the file returns exactly the UTF-8 text written',
    reliedOnBy: 'the connection record (src/domain/record/record.ts claimRecord, readRecord)',
    emulator: 'test/emulator/routes-workspace.ts import (format AUTO) / export',
    async run(t) {
      if (!t.ledger.resources.some((r) => r.kind === 'workspace-folder' && r.name === folder(t))) enterFolder(t, folder(t));
      await writeFile(t, file(t, 'record'), CONTENT, false);
      const back = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
      t.shared.folder = folder(t);
      return outcome(back === CONTENT, back === CONTENT ? `${file(t, 'record')}: ${Buffer.byteLength(CONTENT)} bytes, identical` : `read back ${back === null ? 'nothing' : JSON.stringify(back.slice(0, 80))}`);
    },
  },
  {
    id: 'files.list',
    area: 'files',
    title: 'The folder list shows the record as a FILE',
    expected: 'one entry: the path written, object_type FILE (format AUTO with .json is a workspace file, not a notebook)',
    reliedOnBy: 'detection lists the records folder (src/domain/state/detect.ts); the claim looks for the folder',
    emulator: 'test/emulator/routes-workspace.ts list / infoJson',
    after: ['files.write.create'],
    async run(t) {
      const list = await t.client.listWorkspaceFiles(folder(t), t.o);
      const e = list.find((x) => x.path === file(t, 'record'));
      return outcome(list.length === 1 && e?.object_type === 'FILE', list.map((x) => `${x.path} ${x.object_type ?? '?'}`).join('; ') || 'empty');
    },
  },
  {
    id: 'files.import.overwrite-false',
    area: 'files',
    title: 'A create-only write onto an existing file is refused',
    expected: 'RESOURCE_ALREADY_EXISTS (400 or 409; isAlreadyExists) and the file unchanged',
    reliedOnBy: 'the record is the connect lock: of two admins only one claim succeeds (src/domain/record/record.ts isAlreadyExists)',
    emulator: 'test/emulator/routes-workspace.ts importFile: 400 RESOURCE_ALREADY_EXISTS',
    after: ['files.write.create'],
    async run(t) {
      try {
        await t.client.writeWorkspaceFile(file(t, 'record'), '{"other": true}\n', { overwrite: false }, t.o);
        return failed('the second create-only write succeeded');
      } catch (e) {
        const back = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
        return outcome(isAlreadyExists(e) && back === CONTENT, `${errorText(e)}; file ${back === CONTENT ? 'unchanged' : 'CHANGED'}`);
      }
    },
  },
  {
    id: 'files.claim-race',
    area: 'files',
    title: 'Four concurrent create-only writes of one new file',
    expected: 'exactly one succeeds; the others are refused with RESOURCE_ALREADY_EXISTS',
    reliedOnBy: 'two admins connecting one partner at once create exactly one service principal (src/domain/connect/connect.ts claim)',
    emulator: 'test/emulator/routes-workspace.ts importFile (requests handled one at a time)',
    after: ['files.write.create'],
    async run(t) {
      const path = file(t, 'race');
      t.ledger.adopt(fileSpec(t.client, path), null);
      const results = await Promise.allSettled([1, 2, 3, 4].map((i) => t.client.writeWorkspaceFile(path, `{"writer": ${i}}\n`, { overwrite: false }, t.o)));
      const ok = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter((r) => r.status === 'rejected' && isAlreadyExists(r.reason)).length;
      const other = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected' && !isAlreadyExists(r.reason)).map((r) => errorText(r.reason));
      return outcome(ok === 1 && refused === 3, `${ok} succeeded, ${refused} refused as existing${other.length ? `, other errors: ${other.join('; ')}` : ''}`);
    },
  },
  {
    id: 'files.import.overwrite-true',
    area: 'files',
    title: 'An overwrite replaces the content',
    expected: 'reading returns the new text',
    reliedOnBy: 'the record\'s final write and the rotate update (overwrite: true)',
    emulator: 'test/emulator/routes-workspace.ts importFile (overwrite)',
    after: ['files.write.create'],
    async run(t) {
      const next = CONTENT.replace('pc-conformance', 'pc-conformance overwritten');
      await t.client.writeWorkspaceFile(file(t, 'record'), next, { overwrite: true }, t.o);
      const back = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
      return outcome(back === next, back === next ? 'replaced' : `read back ${JSON.stringify(back?.slice(0, 80) ?? null)}`);
    },
  },
  {
    id: 'files.missing',
    area: 'files',
    title: 'Reading a missing file and listing a missing folder',
    expected: 'read → null (404 RESOURCE_DOES_NOT_EXIST); list → [] (404)',
    reliedOnBy: 'an absent record = not connected; an absent records folder = nothing recorded',
    emulator: 'test/emulator/routes-workspace.ts export / list: 404 RESOURCE_DOES_NOT_EXIST',
    after: ['files.write.create'],
    async run(t) {
      const read = await t.client.readWorkspaceFile(file(t, 'missing'), t.o);
      const list = await t.client.listWorkspaceFiles(`${folder(t)}/missing`, t.o);
      return outcome(read === null && list.length === 0, `read ${read === null ? 'null' : 'found something'}; list ${list.length} entries`);
    },
  },
  {
    id: 'files.delete-non-empty-folder',
    area: 'files',
    title: 'A non-recursive delete of a folder that still holds a file',
    expected: 'refused (DIRECTORY_NOT_EMPTY); the file stays',
    reliedOnBy: 'rollback and disconnect delete the records folder only when empty (deleteWorkspaceFile is non-recursive)',
    emulator: 'test/emulator/routes-workspace.ts deletePath: 400 DIRECTORY_NOT_EMPTY',
    after: ['files.write.create'],
    async run(t) {
      try {
        await t.client.deleteWorkspaceFile(folder(t), t.o);
        const still = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
        return failed(`the folder delete succeeded; the file is ${still === null ? 'GONE' : 'still there'}`);
      } catch (e) {
        const still = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
        return outcome(e instanceof DatabricksApiError && e.status === 400 && still !== null, `${errorText(e)}; file ${still === null ? 'gone' : 'still there'}`);
      }
    },
  },
  {
    id: 'files.delete',
    area: 'files',
    title: 'Deleting a file; deleting it again',
    expected: 'read → null afterwards; a second delete is not an error (the client treats 404 as done)',
    reliedOnBy: 'disconnect deletes the record last; an interrupted disconnect is resumed',
    emulator: 'test/emulator/routes-workspace.ts deletePath',
    after: ['files.write.create'],
    async run(t) {
      await t.client.deleteWorkspaceFile(file(t, 'record'), t.o);
      t.ledger.resources.filter((r) => r.kind === 'workspace-file' && r.name === file(t, 'record')).forEach((r) => (r.status = 'deleted'));
      const back = await t.client.readWorkspaceFile(file(t, 'record'), t.o);
      let again = 'second delete: fine';
      let ok = true;
      try {
        await t.client.deleteWorkspaceFile(file(t, 'record'), t.o);
      } catch (e) {
        ok = false;
        again = `second delete: ${errorText(e)}`;
      }
      return outcome(back === null && ok, `read ${back === null ? 'null' : 'still there'}; ${again}`);
    },
  },
  {
    id: 'files.root-folder',
    area: 'files',
    title: 'An admin creates a folder in the workspace root',
    expected: 'mkdirs /<name> succeeds for a workspace admin (only admins may create there)',
    reliedOnBy: 'an admin-only records folder outside /Shared (real-platform facts: "/Shared is not private")',
    emulator: 'test/emulator/routes-workspace.ts mkdirs + checkAccess (admins anywhere)',
    async run(t) {
      const path = `/${t.names.prefix}`;
      await createFolder(t, path);
      t.shared.rootFolder = path;
      const s = await t.client.getWorkspaceObjectStatus(path, t.o);
      return outcome(s?.object_type === 'DIRECTORY', `${path}: ${s ? s.object_type ?? '?' : 'not found'}`);
    },
  },
  {
    id: 'files.get-status',
    area: 'files',
    title: 'get-status of a file, a folder and a missing path',
    expected: 'object_type FILE / DIRECTORY with an object_id; a missing path → null (404)',
    reliedOnBy: 'the record folder\'s trust check reads the folder\'s object_id (src/domain/record/trust.ts; WorkspaceClient.getWorkspaceObjectStatus)',
    emulator: 'test/emulator/routes-workspace.ts GET /workspace/get-status',
    after: ['files.claim-race'],
    async run(t) {
      const [f, d, m] = await Promise.all([file(t, 'race'), folder(t), `${folder(t)}/missing`].map((p) => t.client.getWorkspaceObjectStatus(p, t.o)));
      const ok = f?.object_type === 'FILE' && !!f.object_id && d?.object_type === 'DIRECTORY' && !!d.object_id && m === null;
      return outcome(ok, `file ${f?.object_type ?? 'null'} ${f?.object_id ?? ''}; folder ${d?.object_type ?? 'null'} ${d?.object_id ?? ''}; missing ${m === null ? 'null' : 'found'}`);
    },
  },
  {
    id: 'files.folder-permissions',
    area: 'files',
    title: 'Folder permissions: /Shared is editable by every user, the root folder only by admins',
    expected: 'GET /permissions/directories/{object_id}: a /Shared folder lists users CAN_MANAGE (inherited) → the engine calls it untrusted; a folder at the root lists only admins → trusted',
    reliedOnBy: 'where records may be trusted (src/domain/record/trust.ts checkRecordFolderTrust; real-platform facts: "/Shared is not private")',
    emulator: 'test/emulator/folder-acl.ts (directory permissions, /Shared users CAN_MANAGE, root admin-only)',
    after: ['files.write.create', 'files.root-folder'],
    async run(t) {
      const root = t.shared.rootFolder ?? '';
      const [shared, top] = await Promise.all([checkRecordFolderTrust(t.client, folder(t), t.o), checkRecordFolderTrust(t.client, root, t.o)]);
      const st = await t.client.getWorkspaceObjectStatus(folder(t), t.o);
      const acl = st?.object_id ? await t.client.getDirectoryPermissions(st.object_id, t.o) : null;
      const users = acl?.access_control_list.find((e) => e.group_name === 'users')?.all_permissions.map((p) => `${p.permission_level}${p.inherited ? ' (inherited)' : ''}`) ?? [];
      return outcome(shared.kind === 'untrusted' && top.kind === 'trusted', `${folder(t)}: ${shared.kind} (users ${users.join(', ') || 'no entry'}); ${root}: ${top.kind}${top.kind !== 'trusted' ? ` (${top.reason})` : ''}`);
    },
  },
];
