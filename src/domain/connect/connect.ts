/**
 * Connect a partner: pre-flight, claim the record (the lock), apply the plan — independent steps
 * in parallel — hand off, mark connected. On ANY failure, cancellation included, everything
 * created so far is removed again in reverse order; leftovers are reported precisely.
 *
 * Concurrency: the record is claimed FIRST with overwrite disabled. Of two admins connecting the
 * same partner at once exactly one claim succeeds; the other stops before creating anything
 * (ConnectInProgressError) — so exactly one service principal is created. Beside the claim, right
 * before creating the service principal, the engine checks again that no `<PARTNER>_USER` exists
 * (e.g. one created meanwhile by Databricks' own Partner Connect page). Rounds follow the dependency
 * graph written down in bench/graphs.ts (the bench measures them against its depth).
 *
 * The credential's value (a PAT or an OAuth secret, see ../credentials) lives only in a local
 * variable between its creation and the hand-off; it is never logged, stored in the record, or put
 * in an error.
 */
import { randomUUID } from 'node:crypto';
import type { CallOptions, ServicePrincipal, WorkspaceClient } from '../../client/api';
import type { EngineContext } from '../context';
import {
  describeResource,
  ConnectCancelledError,
  ConnectInProgressError,
  ConnectRolledBackError,
  DisconnectedMeanwhileError,
  PreflightError,
  RollbackIncompleteError,
  throwIfAborted,
  type ResourceRef,
} from '../errors';
import { isCancellation } from '../../client/errors';
import type { CatalogPartner } from '../partners/catalog';
import { describeOperation, operationTitle } from '../profiles/describe';
import { buildPlan, type ConnectChoices, type PlanOperation } from '../profiles/plan';
import { isStaleConnecting, minutesSince, readRecord, recordFolderOf, recordPathFor, STALE_CONNECT_MINUTES, updateOwnRecord, userRecordFolder, writeRecord, type ConnectionRecord } from '../record/record';
import { connectionDetails } from '../handoff/manual';
import { desktopFileFor } from '../handoff/desktopFiles';
import { buildConnectRequest, defaultPartnerClient } from '../handoff/protocol';
import type { HandoffResult } from '../handoff/types';
import { isNotFound } from '../util';
import { isOboRefused, type IssuedCredential } from '../credentials/credentials';
import type { CredentialKind } from '../credentials/types';
import type { ConnectionRecord as Rec } from '../record/record';
import { preflightConnect, requireWorkspaceId, throwPreflight, type PreflightResult } from './preflight';
import { reuseConnection } from './reuse';
import { Journal, type JournalEntry } from './rollback';
import { runStep, type StepEnv } from '../operations/step';
import { CREDENTIAL_STEPS } from '../operations';
import { claimRecord } from '../operations/record';
import type { PartnerApiClient } from '../../client/partner/partnerApiClient';
import { principal, principalsNamed } from '../operations/principal';
import { warehouse } from '../operations/warehouse';
import { ownToken } from '../operations/ownToken';
import { partnerConnection } from '../operations/handoff';
import { tokenPermission } from '../operations/tokenPermission';
import { warehousePermission } from '../operations/warehousePermission';
import { ucGrant } from '../operations/ucGrant';
import { hiveGrant } from '../operations/hiveGrant';
import type { ConnectOptions, ConnectProgress, ConnectResult } from './types';

/**
 * The plan a connect carries out after this pre-flight: the credential and warehouse type it worked
 * out; a non-admin connecting a NON_ADMIN partner acts as themselves, recorded in their own folder.
 * The fleet's preview words the same plan (fleet/connectMany.ts).
 */
export function connectPlan(partner: CatalogPartner, pf: PreflightResult, recordFolder: string): { plan: PlanOperation[]; folder: string } {
  const asUser = pf.access.allowed && pf.access.as === 'user';
  const folder = asUser ? userRecordFolder(pf.me.userName) : recordFolder;
  return { plan: buildPlan(partner, pf.normalized, { recordFolder: folder, credential: pf.credential ?? undefined, warehouseType: pf.warehouseType ?? undefined, actingAsUser: asUser }), folder };
}

export async function connect(ctx: EngineContext, partner: CatalogPartner, choices: ConnectChoices, opts: ConnectOptions = {}): Promise<ConnectResult> {
  const { client } = ctx;
  const signal = opts.signal;
  const folder = recordFolderOf(ctx);
  const log = ctx.logger ?? (() => undefined);
  const progress = (p: ConnectProgress): void => {
    try {
      opts.onProgress?.(p);
    } catch {
      /* a progress listener must not break the connect */
    }
  };
  throwIfAborted(signal);

  progress({ step: 'preflight', type: 'preflight', status: 'started', message: 'Checking permissions, catalog, schemas and warehouse.' });
  const pf = await preflightConnect(client, partner, choices, { recordFolder: folder, signal, folderAncestorsAtOnce: true });
  const problems = [...pf.problems];
  if (!pf.reuse && partner.handoff === 'protocol' && !opts.partnerCredentials) {
    problems.push({ code: 'partner-credentials-missing', message: `No partner credentials are stored for ${partner.displayName}: add them before connecting.` });
  }
  if (!pf.reuse && partner.handoff === 'manual' && partner.needsServicePrincipal && !opts.deliverSecretOnce) {
    problems.push({ code: 'secret-receiver-missing', message: 'The credential must be handed to you once (deliverSecretOnce), otherwise nobody could ever use it.' });
  }
  throwPreflight(partner, { ...pf, problems, ok: problems.length === 0 });
  progress({ step: 'preflight', type: 'preflight', status: 'done', message: 'Pre-flight checks passed.' });

  if (pf.reuse) return reuseConnection(ctx, partner, pf, pf.reuse, opts);

  const { plan, folder: runFolder } = connectPlan(partner, pf, folder);
  const run = new ConnectRun(ctx, partner, pf, plan, opts, runFolder, log, progress);
  try {
    return await run.execute();
  } catch (cause) {
    const failedStep = run.currentStep ?? 'connect';
    const failedOp = plan.find((op) => op.step === failedStep);
    const failedTitle = failedOp ? operationTitle(failedOp) : failedStep.startsWith('record-') ? 'Update the connection record' : undefined;
    log(`connect ${partner.id}: failed at ${failedStep}; rolling back`);
    const report = await run.journal.rollback((ref, status) =>
      progress({ step: `rollback:${ref.kind}`, type: 'rollback', status: status === 'failed' ? 'failed' : status, message: `Removing ${describeResource(ref)}`, ref }),
    );
    if (report.leftovers.length) {
      throw new RollbackIncompleteError(`Connecting ${partner.displayName}`, cause, report.leftovers, report.rolledBack);
    }
    if (cause instanceof ConnectInProgressError) throw cause;
    if (isCancellation(cause) || opts.signal?.aborted) throw new ConnectCancelledError(partner.displayName, failedStep, cause, report.rolledBack, failedTitle);
    throw new ConnectRolledBackError(partner.displayName, failedStep, cause, report.rolledBack, failedTitle);
  }
}

class ConnectRun {
  readonly journal: Journal;
  currentStep: string | null = null;
  private readonly o: CallOptions;
  private readonly attemptId = randomUUID();
  private readonly created: ResourceRef[] = [];
  private sp: ServicePrincipal | null = null;
  private warehouseId: string | null = null;
  private warehouseName: string | null = null;
  private warehouseCreated = false;
  private credential: NonNullable<Rec['credential']> | null = null;
  private connectionId: string | null = null;
  private handoffStartedAt: string | null = null;
  /** the journal entry of the record (claim and final write share its undo) */
  private recordEntry: JournalEntry | null = null;
  /** principals named like the partner's, listed beside the claim (right before the principal is created) */
  private spRecheck: Promise<ServicePrincipal[]> | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly partner: CatalogPartner,
    private readonly pf: PreflightResult,
    private readonly plan: PlanOperation[],
    private readonly opts: ConnectOptions,
    private readonly folder: string,
    private readonly log: (line: string) => void,
    private readonly progress: (p: ConnectProgress) => void,
  ) {
    this.o = { signal: opts.signal };
    this.journal = new Journal(log, ctx.rollbackSettleMs, ctx.rollbackRetryDelaysMs);
    if (pf.warehouse) {
      this.warehouseId = pf.warehouse.id;
      this.warehouseName = pf.warehouse.name;
    }
  }

  private get client(): WorkspaceClient {
    return this.ctx.client;
  }

  /** where the steps act: the workspace, with the caller's signal */
  private get env(): StepEnv {
    return { client: this.ctx.client, o: this.o };
  }

  private record(state: ConnectionRecord['state']): ConnectionRecord {
    const me = this.pf.me.userName;
    return {
      schemaVersion: 1,
      partner: this.partner.id,
      partnerName: this.partner.displayName,
      state,
      attemptId: this.attemptId,
      servicePrincipal: this.sp ? { id: this.sp.id, applicationId: this.sp.applicationId, displayName: this.sp.displayName } : null,
      tokenId: this.credential?.kind === 'pat' ? this.credential.id : null,
      credential: this.credential,
      compute: this.warehouseId ? { kind: 'warehouse', id: this.warehouseId, name: this.warehouseName ?? undefined, createdForPartner: this.warehouseCreated } : null,
      catalog: this.pf.normalized.catalog ?? null,
      schemas: this.pf.normalized.schemas ?? [],
      isHive: this.pf.normalized.isHive === true,
      connectionId: this.connectionId,
      connectedBy: me,
      partnerAccountAdministrator: this.partner.signInStyle === 'partner-account-admin' ? me : null,
      connectedAt: new Date().toISOString(),
      extensionVersion: this.ctx.extensionVersion,
      handoffStartedAt: this.handoffStartedAt,
      ...(this.pf.access.allowed && this.pf.access.as === 'user' ? { actsAs: 'user' as const } : {}),
    };
  }

  /** Runs one plan operation with progress events. */
  private async step<T>(op: PlanOperation, fn: () => Promise<T>): Promise<T> {
    throwIfAborted(this.opts.signal);
    this.currentStep = op.step;
    this.progress({ step: op.step, type: op.type, status: 'started', message: describeOperation(op) });
    try {
      const v = await fn();
      this.progress({ step: op.step, type: op.type, status: 'done', message: describeOperation(op) });
      return v;
    } catch (e) {
      this.currentStep = op.step;
      this.progress({ step: op.step, type: op.type, status: 'failed', message: describeOperation(op) });
      throw e;
    }
  }

  /** Runs operations in parallel; waits for all of them before reporting the first failure. */
  private async parallel(ops: PlanOperation[], fn: (op: PlanOperation) => Promise<void>): Promise<void> {
    const settled = await Promise.allSettled(ops.map((op) => this.step(op, () => fn(op))));
    const bad = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (bad) {
      const idx = settled.indexOf(bad);
      this.currentStep = ops[idx].step;
      throw bad.reason;
    }
  }

  async execute(): Promise<ConnectResult> {
    const ops = this.plan;
    const of = <K extends PlanOperation['type']>(t: K): Extract<PlanOperation, { type: K }>[] => ops.filter((x): x is Extract<PlanOperation, { type: K }> => x.type === t);

    // 1. the lock, and beside it the re-check that no <PARTNER>_USER was made meanwhile (a read that needs
    // nothing of the claim; its answer is used by the service principal's step)
    const claim = of('claimRecord')[0];
    const spOp = of('createServicePrincipal')[0];
    this.spRecheck = spOp ? principalsNamed(this.client, spOp.displayName, this.o) : null;
    const [claimed] = await Promise.allSettled([this.step(claim, () => this.claim(claim)), this.spRecheck ?? Promise.resolve()]);
    if (claimed.status === 'rejected') throw claimed.reason;

    // 2. service principal ∥ warehouse
    const first = [...of('createServicePrincipal'), ...of('createWarehouse')];
    await this.parallel(first, (op) => (op.type === 'createServicePrincipal' ? this.createSp(op) : this.createWarehouse(op as Extract<PlanOperation, { type: 'createWarehouse' }>)));

    // 3-4. two chains side by side, each only as long as its dependencies:
    // - the permissions, all in parallel, then the partner's credential (an on-behalf-of token needs the
    //   principal's CAN_USE on tokens);
    // - our record: the ids created so far go into it (a later Disconnect deletes a warehouse only when
    //   the record names it, and the tag confirms it), then (protocol partners) that the hand-off starts:
    //   from the call on, the partner may hold a connection even if this connect never finishes.
    // The hand-off waits for both.
    const grants = ops.filter((x) => x.type === 'grantTokenUse' || x.type === 'grantWarehouseUse' || x.type === 'ucGrant' || x.type === 'hiveGrant');
    let issued: IssuedCredential | null = null;
    const resources = async (): Promise<void> => {
      await this.parallel(grants, (op) => this.grant(op));
      for (const op of of('createCredential')) issued = await this.step(op, () => this.createCredential(op));
    };
    const calls = this.partner.handoff === 'protocol' && of('handoff').length > 0;
    let recordStep = 'record-progress';
    const recordChain = async (): Promise<void> => {
      await this.noteProgress();
      if (!calls) return;
      recordStep = 'record-handoff';
      await this.markHandoff();
    };
    const [made, noted] = await Promise.allSettled([resources(), recordChain()]);
    if (made.status === 'rejected') throw made.reason;
    if (noted.status === 'rejected') {
      this.currentStep = recordStep;
      throw noted.reason;
    }

    // 5. hand-off
    let handoff: HandoffResult | null = null;
    for (const op of of('handoff')) {
      const c = issued;
      issued = null;
      handoff = await this.step(op, () => this.handoff(op, c));
    }

    // 6. the check mark
    const write = of('writeRecord')[0];
    const record = this.record('connected');
    await this.step(write, () => this.finishRecord(record));
    this.currentStep = null;
    if (!handoff) throw new Error('internal: the plan has no hand-off step');
    return { partnerId: this.partner.id, reused: false, record, handoff, created: this.created };
  }

  // ---------------------------------------------------------------- steps
  private async claim(op: Extract<PlanOperation, { type: 'claimRecord' }>): Promise<void> {
    // the pre-flight's trust check read the folder's status: no listing here, and a missing folder is
    // made before the claim instead of after a failed one
    const input = { folder: this.folder, record: this.record('connecting'), folderExisted: this.pf.recordFolderExists };
    const { out: result, ref, entry } = await runStep(this.journal, this.env, claimRecord, op, input);
    this.recordEntry = entry;
    if (result === 'taken') {
      // not ours: nothing to undo except a folder we might have created
      this.journal.entries.splice(this.journal.entries.indexOf(entry), 1);
      this.recordEntry = null;
      const cur = await readRecord(this.client, this.folder, this.partner.id, this.o);
      const by = cur.kind === 'ok' ? cur.record.connectedBy : undefined;
      const since = cur.kind === 'ok' ? cur.record.connectedAt : undefined;
      const age = cur.kind === 'ok' ? { minutes: minutesSince(cur.record), stale: isStaleConnecting(cur.record), staleAfter: STALE_CONNECT_MINUTES } : undefined;
      throw new ConnectInProgressError(this.partner.displayName, by, since, age);
    }
    this.created.push(ref);
  }

  /** Notes in our `connecting` record that the partner is about to be called. */
  private async markHandoff(): Promise<void> {
    this.handoffStartedAt = new Date().toISOString();
    await this.noteProgress();
  }

  /** Rewrites our own `connecting` record with what exists now (re-read first: it must still be ours). */
  private async noteProgress(): Promise<void> {
    const write = (): Promise<void> => updateOwnRecord(this.client, this.folder, this.record('connecting'), this.o);
    await (this.recordEntry ? this.journal.track(this.recordEntry, write) : write());
  }

  private async createSp(op: Extract<PlanOperation, { type: 'createServicePrincipal' }>): Promise<void> {
    // checked BEFORE the step registers its undo: a principal made meanwhile outside is not ours to delete
    const existing = await (this.spRecheck ?? principalsNamed(this.client, op.displayName, this.o));
    if (existing.length) {
      throw new PreflightError(this.partner.displayName, [
        { code: 'connected-outside', message: `${op.displayName} was created meanwhile outside this connect (${existing.map((s) => s.id).join(', ')}).` },
      ]);
    }
    const { out: sp, ref } = await runStep(this.journal, this.env, principal, op, null);
    this.sp = sp;
    this.created.push(ref);
    this.log(`connect ${this.partner.id}: created service principal ${sp.displayName} (${sp.id}, applicationId ${sp.applicationId})`);
  }

  private async createWarehouse(op: Extract<PlanOperation, { type: 'createWarehouse' }>): Promise<void> {
    const onInstead = (detail: string): void => this.progress({ step: op.step, type: op.type, status: 'started', message: `${describeOperation(op)} (${detail})`, detail });
    const { out, ref } = await runStep(this.journal, this.env, warehouse, op, { partner: this.partner, log: this.log, onInstead });
    this.warehouseId = out.id;
    this.warehouseName = op.spec.name;
    this.warehouseCreated = true;
    this.created.push(ref);
  }

  private requireSp(): ServicePrincipal {
    if (!this.sp) throw new Error('internal: no service principal yet');
    return this.sp;
  }

  /** A permission or grant for the new principal: one step of operations/, under the journal. */
  private async grant(op: PlanOperation): Promise<void> {
    const sp = this.requireSp();
    const who = { id: sp.id, applicationId: sp.applicationId, displayName: sp.displayName, warehouseId: this.warehouseId, warehouseName: this.warehouseName };
    const env = this.env;
    const made = await (async () => {
      switch (op.type) {
        case 'grantTokenUse':
          return runStep(this.journal, env, tokenPermission, op, who);
        case 'grantWarehouseUse':
          return runStep(this.journal, env, warehousePermission, op, who);
        case 'ucGrant':
          return runStep(this.journal, env, ucGrant, op, who);
        case 'hiveGrant':
          return runStep(this.journal, env, hiveGrant, op, who);
        default:
          throw new Error(`internal: ${op.type} is not a grant`);
      }
    })();
    this.created.push(made.ref);
  }

  /**
   * The partner's credential, with an explicit lifetime (operations/: pat, oauthSecret, ownToken). A
   * PAT refused because the workspace does not allow on-behalf-of tokens (Azure, the documented 400)
   * becomes an OAuth secret when the plan allows. Each attempt registers its undo first: a create whose
   * answer was lost is found again and deleted before the principal.
   */
  private async createCredential(op: Extract<PlanOperation, { type: 'createCredential' }>): Promise<IssuedCredential> {
    if (op.owner === 'user') {
      const { out, ref } = await runStep(this.journal, this.env, ownToken, op, { since: Date.now() - 60_000 });
      this.created.push(ref);
      this.credential = { kind: 'pat', id: out.id, expiresAt: out.expiresAt, lifetimeDays: op.lifetimeDays };
      return out;
    }
    const sp = this.requireSp();
    const attempt = async (kind: CredentialKind): Promise<IssuedCredential> => {
      const { out, ref } = await runStep(this.journal, this.env, CREDENTIAL_STEPS[kind], op, sp);
      this.created.push(ref);
      this.credential = { kind, id: out.id, expiresAt: out.expiresAt, lifetimeDays: op.lifetimeDays };
      return out;
    };
    try {
      return await attempt(op.kind);
    } catch (e) {
      if (op.kind !== 'pat' || !op.fallbackToSecret || !isOboRefused(e)) throw e;
      // nothing was created (a 400): the undo registered for the token finds nothing
      this.log(`connect ${this.partner.id}: the workspace refuses on-behalf-of tokens (Azure); creating an OAuth secret instead`);
      return attempt('oauth-secret');
    }
  }

  private details(): ReturnType<typeof connectionDetails> {
    return connectionDetails({
      workspaceUrl: this.client.host,
      warehouse: this.warehouseId ? { id: this.warehouseId } : null,
      catalog: this.pf.normalized.catalog ?? null,
      schemas: this.pf.normalized.schemas ?? [],
      servicePrincipal: this.sp ? { applicationId: this.sp.applicationId, displayName: this.sp.displayName } : null,
    });
  }

  private async handoff(op: Extract<PlanOperation, { type: 'handoff' }>, issued: IssuedCredential | null): Promise<HandoffResult> {
    const details = this.details();
    const p = this.partner;
    if (p.handoff === 'desktop-file') return { kind: 'desktop-file', file: desktopFileFor(p, details), details };
    const credential = this.credential ? { kind: this.credential.kind, id: this.credential.id, expiresAt: this.credential.expiresAt } : null;
    if (p.handoff === 'manual') {
      let delivered = false;
      if (issued !== null) {
        if (!this.opts.deliverSecretOnce) throw new Error('internal: no receiver for the credential');
        await this.opts.deliverSecretOnce(issued.value, { kind: issued.kind, id: issued.id, expiresAt: issued.expiresAt, clientId: issued.kind === 'oauth-secret' ? (this.sp?.applicationId ?? null) : null });
        delivered = true;
      }
      return { kind: 'manual', details, signUpUrl: p.partnerConfig?.sign_up_page ?? p.website, tokenDelivered: delivered, credential };
    }
    // protocol
    const config = p.partnerConfig;
    if (!config) throw new Error(`internal: ${p.displayName} has no PartnerConfig`);
    const factory = this.ctx.partnerClientFactory ?? defaultPartnerClient;
    const pc = factory(config, this.opts.partnerCredentials, this.ctx.logger);
    try {
      const request = buildConnectRequest({
        me: this.pf.me,
        details,
        workspaceId: requireWorkspaceId(this.pf),
        established: false,
        connectionId: null,
        credential: issued ? { kind: issued.kind, value: issued.value } : null,
        computeKind: this.warehouseId ? 'warehouse' : null,
        cloud: this.pf.cloud,
        destinationLocation: this.pf.normalized.destinationLocation,
        demo: this.opts.demo,
      });
      const reopen = config.endpoints.delete_connection_path ? (): PartnerApiClient => factory(config, this.opts.partnerCredentials, this.ctx.logger) : null;
      const input = { partnerName: p.displayName, request, client: pc, reopen, workspaceId: requireWorkspaceId(this.pf), signal: this.opts.signal };
      const { out: result, ref } = await runStep(this.journal, this.env, partnerConnection, op, input);
      this.connectionId = result.connectionId;
      if (result.connectionId) this.created.push(ref);
      return { ...result, credential };
    } finally {
      await pc.close();
    }
  }

  private async finishRecord(record: ConnectionRecord): Promise<void> {
    const path = recordPathFor(this.folder, this.partner.id);
    const cur = await readRecord(this.client, this.folder, this.partner.id, this.o);
    if (cur.kind !== 'ok' || cur.record.attemptId !== this.attemptId) {
      throw new Error(`The connection record ${path} was changed by someone else while connecting.`);
    }
    const write = (): Promise<void> => writeRecord(this.client, this.folder, this.partner.id, record, this.o);
    await (this.recordEntry ? this.journal.track(this.recordEntry, write) : write());
    // The workspace has no conditional write. A Disconnect deletes the record last, after what it
    // names; so when its delete landed between the read above and the write (the write recreated the
    // record), what it deleted was gone before the write landed. Checked after the write (a check
    // sent beside it could land before the Disconnect): the principal and a warehouse this connect
    // created must still exist, else the connect rolls back instead of leaving a "connected" record.
    const gone = await this.stillThere();
    if (gone.length) throw new DisconnectedMeanwhileError(this.partner.displayName, gone);
  }

  /** What this connect made that is gone now (a concurrent Disconnect deleted it). */
  private async stillThere(): Promise<string[]> {
    const gone: string[] = [];
    const exists = async (what: string, read: () => Promise<unknown>): Promise<void> => {
      try {
        await read();
      } catch (e) {
        if (!isNotFound(e)) throw e;
        gone.push(what);
      }
    };
    const sp = this.sp;
    const wh = this.warehouseCreated ? this.warehouseId : null;
    await Promise.all([
      sp ? exists(`the service principal ${sp.displayName} (${sp.id})`, () => this.client.getServicePrincipal(sp.id, this.o)) : Promise.resolve(),
      wh ? exists(`the SQL warehouse ${this.warehouseName ?? wh} (${wh})`, () => this.client.getWarehouse(wh, this.o)) : Promise.resolve(),
    ]);
    return gone;
  }
}
