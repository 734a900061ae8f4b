/**
 * Disconnect (reset, or service principal only). Idempotent: a resource that is already gone
 * counts as done, and so does one whose delete failed in a way that may come after the work (a 5xx,
 * a lost answer) when the workspace no longer has it. Resumable: the record is deleted last, so running it again after a failure
 * recomputes what is left from the record and the workspace and continues.
 *
 * On its critical path (bench/graphs.ts): one wave of reads (the facts; the principal's secrets and the
 * grants it holds follow the principal listing, beside the folder ACL), then the deletes in stages
 * (`deletionStages`): what hangs on the principal and a warehouse made for the partner together, the
 * principal, the partner's side, the record. A stage whose delete fails still finishes its other
 * deletes; the error names what is left.
 */
import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { EngineContext } from '../context';
import { CancelledError, isCancellation } from '../../client/errors';
import { DisconnectCancelledError, DisconnectIncompleteError, NotWorkspaceAdminError, throwIfAborted } from '../errors';
import type { CatalogPartner } from '../partners/catalog';
import { cloudOfDatabricksHost, defaultPartnerClient, workspaceCloud, workspaceIdOf } from '../handoff/protocol';
import { hostnameOf } from '../handoff/manual';
import { errorStatus, isAdmin, isNotFound, wave } from '../util';
import { isAmbiguousFailure } from '../connect/rollback';
import { buildDisconnectPreview, gatherDisconnectFacts, previewOwnConnection } from './preview';
import type { DisconnectItem, DisconnectMode, DisconnectPreview, DisconnectResult } from './types';
import { recordFolderOf, userRecordFolder } from '../record/record';

export interface DisconnectOptions {
  signal?: AbortSignal;
  onProgress?: (p: { item: DisconnectItem; status: 'started' | 'done' | 'already-gone' | 'failed' }) => void;
  partnerCredentials?: PartnerCredentials;
  /** delete the record even when the partner could not be notified (default false: stop, so it can be retried) */
  skipPartnerNotification?: boolean;
}

export async function disconnect(ctx: EngineContext, partner: CatalogPartner, mode: DisconnectMode, opts: DisconnectOptions = {}): Promise<DisconnectResult> {
  const { client } = ctx;
  const o = { signal: opts.signal };
  const folder = recordFolderOf(ctx);
  const log = ctx.logger ?? (() => undefined);
  throwIfAborted(opts.signal);
  // the partner is told the workspace's cloud: where the host name does not say it, the metastore does (as connect)
  const askMetastore = !!partner.partnerConfig && cloudOfDatabricksHost(hostnameOf(client.host)) === null;
  const [{ me, workspaceId: orgId }, gathered, assignment, summary] = await wave(o.signal, (w) => [
    client.identify(w),
    // a non-admin may be refused these reads: they matter only to an admin (below)
    gatherDisconnectFacts(client, partner, folder, w, { heldGrants: true }).then(
      (facts) => ({ facts }),
      (error: unknown) => ({ error }),
    ),
    client.currentMetastoreAssignment(w).catch(() => null),
    askMetastore ? client.metastoreSummary(w).catch(() => null) : Promise.resolve(null),
  ]);
  let preview: DisconnectPreview;
  let runFolder = folder;
  if (!isAdmin(me)) {
    // a connection that acted as this user (NON_ADMIN partner): theirs to disconnect
    const own = await previewOwnConnection(client, partner, me.userName, o);
    if (!own) throw new NotWorkspaceAdminError(me.userName);
    preview = own;
    runFolder = userRecordFolder(me.userName);
  } else {
    if ('error' in gathered) throw gathered.error;
    preview = buildDisconnectPreview(partner, mode, gathered.facts, folder);
  }
  const result: DisconnectResult = { partnerId: partner.id, mode, deleted: [], alreadyGone: [], partnerNotification: null };
  const done: DisconnectItem[] = [];
  /** what the principals held on the record's securables, read with the facts: the revokes need no read of their own */
  const held = 'facts' in gathered ? gathered.facts.heldGrants : undefined;

  const stages = deletionStages(preview.items);
  for (let s = 0; s < stages.length; s++) {
    if (opts.signal?.aborted) throw stopped(new CancelledError('The disconnect'), stages.slice(s).flat());
    const outcomes = await Promise.all(stages[s].map((item) => runItem(item)));
    // reported in the preview's order, whatever order the deletes of a stage finished in
    for (const [i, out] of outcomes.entries()) {
      if (out.kind === 'failed') continue;
      (out.kind === 'already-gone' ? result.alreadyGone : result.deleted).push(stages[s][i]);
      done.push(stages[s][i]);
    }
    const failed = outcomes.flatMap((out, i) => (out.kind === 'failed' ? [{ item: stages[s][i], error: out.error }] : []));
    if (failed.length) {
      throw stopped(failed[0].error, [...failed.map((f) => f.item), ...stages.slice(s + 1).flat()]);
    }
  }
  if (mode === 'reset') {
    // the records folder goes with its last record
    const item: DisconnectItem = { kind: 'folder', name: 'connection records folder (when empty)', id: runFolder, permanent: true };
    try {
      const left = await client.listWorkspaceFiles(runFolder, o);
      if (left.length === 0) await client.deleteWorkspaceFile(runFolder, o); // absent is fine
    } catch (e) {
      if (!isNotFound(e)) {
        log(`disconnect ${partner.id}: could not tidy the records folder ${runFolder}`);
        throw stopped(e, [item]);
      }
    }
  }
  return result;

  /** The error of a disconnect that stopped; a cancelled one says so by type (a cancellation, not a failure). */
  function stopped(cause: unknown, remaining: DisconnectItem[]): DisconnectIncompleteError {
    const E = isCancellation(cause) || opts.signal?.aborted ? DisconnectCancelledError : DisconnectIncompleteError;
    return new E(partner.displayName, cause, done, remaining);
  }

  /** One delete with its progress events; a failure is returned (the other deletes of its stage go on). */
  async function runItem(item: DisconnectItem): Promise<{ kind: 'deleted' | 'already-gone' } | { kind: 'failed'; error: unknown }> {
    opts.onProgress?.({ item, status: 'started' });
    try {
      throwIfAborted(opts.signal);
      const gone = await deleteItem(item);
      opts.onProgress?.({ item, status: gone ? 'already-gone' : 'done' });
      return { kind: gone ? 'already-gone' : 'deleted' };
    } catch (e) {
      // an error answer may come after the work (a 5xx, a lost answer): what the workspace no longer has is done
      if ((await stillThere(item, e)) === false) {
        log(`disconnect ${partner.id}: ${item.kind} ${item.name} (${item.id}) failed, but the workspace no longer has it`);
        opts.onProgress?.({ item, status: 'done' });
        return { kind: 'deleted' };
      }
      opts.onProgress?.({ item, status: 'failed' });
      log(`disconnect ${partner.id}: ${item.kind} ${item.name} (${item.id}) failed`);
      return { kind: 'failed', error: e };
    }
  }

  /**
   * After a failed delete that may have been carried out (no answer, a 5xx, a 429, a cancelled
   * request): whether the workspace still has the item (undefined: not known, or the failure says it
   * was not done). A request without an answer may still land: the look waits `rollbackSettleMs`
   * first. It does not carry the caller's signal: a cancelled disconnect is told precisely too.
   */
  async function stillThere(item: DisconnectItem, e: unknown): Promise<boolean | undefined> {
    const status = errorStatus(e);
    const lost = isAmbiguousFailure(e);
    if (!lost && !(status !== undefined && (status >= 500 || status === 429))) return undefined;
    const o = {};
    if (lost) await new Promise((r) => setTimeout(r, ctx.rollbackSettleMs ?? 3000));
    const absent = (f: () => Promise<boolean>): Promise<boolean | undefined> =>
      f().catch((err: unknown) => (isNotFound(err) ? false : undefined));
    switch (item.kind) {
      case 'warehouse':
        return absent(async () => (await client.getWarehouse(item.id, o)).state !== 'DELETED');
      case 'service-principal':
        return absent(async () => (await client.getServicePrincipal(item.id, o), true));
      case 'token':
        return absent(async () => (await client.listTokens({}, o)).some((t) => t.token_id === item.id));
      case 'oauth-secret':
        return absent(async () => (await client.listServicePrincipalSecrets(item.owner ?? '', o)).some((x) => x.id === item.id));
      case 'record':
        return absent(async () => (await client.getWorkspaceObjectStatus(item.id, o)) !== null);
      default:
        return undefined;
    }
  }

  /** Deletes one item; true when it was already gone. */
  async function deleteItem(item: DisconnectItem): Promise<boolean> {
    const gone = async (f: () => Promise<void>): Promise<boolean> => {
      try {
        await f();
        return false;
      } catch (e) {
        if (isNotFound(e)) return true;
        throw e;
      }
    };
    switch (item.kind) {
      case 'warehouse':
        return gone(() => client.deleteWarehouse(item.id, o));
      case 'cluster':
        return gone(() => client.deleteCluster(item.id, o));
      case 'token':
        return gone(() => client.deleteToken(item.id, o));
      case 'own-token':
        return gone(() => client.deleteOwnToken(item.id, o));
      case 'oauth-secret':
        return gone(() => client.deleteServicePrincipalSecret(item.owner ?? '', item.id, o));
      case 'uc-grant': {
        // revoke whatever the principal holds there (read first: a REVOKE of nothing held is "already gone")
        const [type, full] = item.id.split(/:(.*)/s);
        const principal = item.owner ?? '';
        const early = held?.get(item.id);
        const privileges = early
          ? (early.get(principal.toLowerCase()) ?? [])
          : (await client.getGrants(type, full, o).catch((e: unknown) => {
              if (isNotFound(e)) return [];
              throw e;
            }))
              .filter((r) => r.principal.toLowerCase() === principal.toLowerCase())
              .flatMap((r) => r.privileges);
        if (privileges.length === 0) return true;
        return gone(async () => {
          await client.updateGrants(type, full, [{ principal, remove: privileges }], o);
        });
      }
      case 'service-principal':
        return gone(() => client.deleteServicePrincipal(item.id, o));
      case 'record':
      case 'folder':
        return gone(() => client.deleteWorkspaceFile(item.id, o));
      case 'partner-connection': {
        const config = partner.partnerConfig;
        if (!config) return true;
        const host = hostnameOf(client.host);
        const workspaceId = workspaceIdOf(orgId, host, assignment?.workspace_id);
        if (workspaceId === null) {
          if (opts.skipPartnerNotification) return false;
          throw new Error('the workspace id could not be read (no X-Databricks-Org-Id header, no metastore assignment), so the partner cannot be told which connection to delete; run Disconnect again, or skip the notification');
        }
        const pc = (ctx.partnerClientFactory ?? defaultPartnerClient)(config, opts.partnerCredentials, ctx.logger);
        try {
          const out = await pc.deleteConnection(
            { connection_id: item.id, cloud_provider: workspaceCloud(host, summary?.cloud), databricks_organization_id: workspaceId },
            { signal: opts.signal },
          );
          const displayMessage = 'displayMessage' in out ? (out.displayMessage ?? null) : null;
          result.partnerNotification = { outcome: out.kind === 'deleted' ? out.resource_status : out.kind, displayMessage };
          if (out.kind === 'deleted' || out.kind === 'not_supported') return false;
          if (out.kind === 'already_gone') return true;
          if (opts.skipPartnerNotification) return false;
          throw new Error(
            `the partner was not notified (${out.kind}${displayMessage ? `: ${displayMessage}` : ''}); run Disconnect again, or skip the notification`,
          );
        } finally {
          await pc.close();
        }
      }
    }
  }
}


/**
 * The preview's items (in deletion order) as stages whose deletes run together; each stage starts
 * when the one before it is complete. What hangs on a principal (its grants, OAuth secrets, tokens)
 * and a warehouse made for the partner depend on nothing of each other: one stage. Then the
 * principals (after what hangs on them: a failure leaves the principal, by which a run again finds
 * its leftovers), then the partner's side (told once the workspace side is gone), and the record
 * last — it is what makes a disconnect resumable, and connect's post-write check relies on it.
 */
export function deletionStages(items: readonly DisconnectItem[]): DisconnectItem[][] {
  const rank = (i: DisconnectItem): number => (i.kind === 'service-principal' ? 1 : i.kind === 'partner-connection' ? 2 : i.kind === 'record' || i.kind === 'folder' ? 3 : 0);
  const stages: DisconnectItem[][] = [[], [], [], []];
  for (const i of items) stages[rank(i)].push(i);
  return stages.filter((s) => s.length > 0);
}
