/**
 * Typed, actionable errors of the connection engine. Every message says what failed, why, and what
 * to do. No message ever contains a token value or any other secret.
 */
import { CancelledError, isCancellation, type Cancellation } from '../client/errors';
import type { AuditAccessDeniedError, SystemTablesUnavailableError, WarehouseNotRunningError } from './audit/auditEvents';
import type { TakeOverRefusedError } from './connect/takeover';
import type { RotateFailedError, RotateIncompleteError } from './housekeeping/rotateToken';
import type { RepairBlockedError } from './inspect/drift';
import type { RepairIncompleteError } from './inspect/repair';

export interface ResourceRef {
  /** e.g. 'service-principal', 'token', 'warehouse', 'cluster', 'record', 'uc-grant', 'hive-grant', 'token-permission', 'warehouse-permission', 'partner-connection' */
  kind: string;
  /** human-readable name (display name, securable, file path, …) */
  name: string;
  /** the id that identifies it in the workspace (SCIM id, token id, warehouse id, path, …) */
  id: string;
}

/**
 * A resource in the admin's words: its kind, its name, and its id only where an admin can look it
 * up (principal, token, warehouse, partner connection). Grants and the record are named by what
 * they are, never by internal keys such as "uc-grant" or "catalog:research".
 */
export function describeResource(r: ResourceRef): string {
  const withId = (what: string): string => (r.id && r.id !== r.name && !r.id.startsWith('(') ? `${what} (${r.id})` : what);
  switch (r.kind) {
    case 'service-principal':
      return withId(`Service principal ${r.name}`);
    case 'token':
      return withId(`Personal access token “${r.name}”`);
    case 'oauth-secret':
      // the engine names it "OAuth secret of <principal>": no second "OAuth secret"
      return withId(/^OAuth secret\b/.test(r.name) ? r.name : `OAuth secret ${r.name}`);
    case 'warehouse':
      return withId(`SQL warehouse ${r.name}`);
    case 'cluster':
      return withId(`Cluster ${r.name}`);
    case 'token-permission':
    case 'warehouse-permission':
      return `Permission: ${r.name}`;
    case 'uc-grant':
      return `Grant: ${r.name} (Unity Catalog)`;
    case 'hive-grant':
      return `Grant: ${r.name} (legacy Hive metastore)`;
    case 'record':
      return `Connection record (the check mark) ${r.name}`;
    case 'partner-connection':
      return withId(r.name);
    default:
      return withId(`${r.kind.replace(/-/g, ' ')} ${r.name}`);
  }
}

/**
 * What went wrong, as a type: the `kind` of every engine error. A switch over `kind` (of a
 * `KnownDomainError`) is checked for exhaustiveness, so a new kind shows up everywhere it must be
 * explained (the views: src/vscode/webviews/connectErrors.ts).
 */
export type DomainErrorKind =
  | 'preflight-failed'
  | 'warehouse-type-refused'
  | 'not-workspace-admin'
  | 'default-catalog-not-owned'
  | 'connect-rolled-back'
  | 'rollback-incomplete'
  | 'partner-handoff-failed'
  | 'disconnect-incomplete'
  | 'connect-in-progress'
  | 'disconnected-meanwhile'
  | 'rotate-incomplete'
  | 'rotate-failed'
  | 'repair-blocked'
  | 'repair-incomplete'
  | 'take-over-refused'
  | 'system-tables-unavailable'
  | 'audit-access-denied'
  | 'warehouse-not-running';

/**
 * Base class: every engine error has a `kind` (its discriminant; `code` is the same value, the name
 * the views and the log carry) and a short `action` hint.
 */
export abstract class DomainError<K extends DomainErrorKind = DomainErrorKind> extends Error {
  readonly kind: K;
  readonly code: K;
  readonly action: string;
  constructor(kind: K, message: string, action: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = kind;
    this.action = action;
  }
}

/** Every engine error there is: narrow it with `switch (e.kind)`. */
export type KnownDomainError =
  | PreflightError
  | WarehouseTypeRefusedError
  | NotWorkspaceAdminError
  | DefaultCatalogNotOwnedError
  | ConnectRolledBackError
  | RollbackIncompleteError
  | PartnerHandoffError
  | DisconnectIncompleteError
  | ConnectInProgressError
  | DisconnectedMeanwhileError
  | RotateIncompleteError
  | RotateFailedError
  | RepairBlockedError
  | RepairIncompleteError
  | TakeOverRefusedError
  | SystemTablesUnavailableError
  | AuditAccessDeniedError
  | WarehouseNotRunningError;

/** The engine error `e` is, typed for a switch over its kind (undefined for anything else). */
export function asDomainError(e: unknown): KnownDomainError | undefined {
  return e instanceof DomainError ? (e as KnownDomainError) : undefined;
}

export interface PreflightProblem {
  code:
    | 'not-workspace-admin'
    | 'default-catalog-not-owned'
    | 'catalog-not-allowed'
    | 'catalog-not-found'
    | 'catalog-required'
    | 'unity-catalog-unavailable'
    | 'schema-not-found'
    | 'schema-required'
    | 'too-many-schemas'
    | 'warehouse-not-found'
    | 'warehouse-required'
    | 'warehouse-name-invalid'
    | 'warehouse-name-taken'
    | 'warehouse-type-unavailable'
    | 'partner-credentials-missing'
    | 'secret-receiver-missing'
    | 'connect-in-progress'
    | 'record-invalid'
    | 'check-mark-only'
    | 'connected-outside'
    | 'lifetime-invalid'
    | 'lifetime-too-long'
    | 'pat-not-available'
    | 'workspace-id-unknown'
    | 'record-folder-untrusted'
    | 'record-unreadable'
    | 'warehouse-create-as-user'
    | 'token-use-denied'
    | 'connected-as-user';
  message: string;
  /** connect-in-progress: who started that connect, and when (ISO) */
  by?: string;
  since?: string;
  /** connect-in-progress: how old that connect is and whether it may be taken over */
  age?: { minutes: number | null; stale: boolean; staleAfter: number };
}

export class PreflightError extends DomainError<'preflight-failed'> {
  readonly problems: PreflightProblem[];
  readonly partnerName: string;
  constructor(partnerName: string, problems: PreflightProblem[]) {
    super(
      'preflight-failed',
      `Cannot connect ${partnerName}: ${problems.map((p) => p.message).join(' ')}`,
      'Fix the problems listed, then connect again. Nothing was created.',
    );
    this.name = 'PreflightError';
    this.problems = problems;
    this.partnerName = partnerName;
  }
}

/** Every SQL warehouse type the connect could try was refused by the workspace (nothing was created). */
export class WarehouseTypeRefusedError extends DomainError<'warehouse-type-refused'> {
  readonly refusals: { type: string; message: string }[];
  constructor(warehouseName: string, refusals: { type: string; message: string }[], options?: { cause?: unknown }) {
    super(
      'warehouse-type-refused',
      `The workspace refused to create the SQL warehouse ${warehouseName}: ${refusals.map((r) => `${r.type}: ${r.message}`).join('; ')}.`,
      'Choose an existing SQL warehouse, or ask a workspace admin which warehouse types this workspace offers (SQL warehouse settings), then connect again.',
      options,
    );
    this.name = 'WarehouseTypeRefusedError';
    this.refusals = refusals;
  }
}

export class NotWorkspaceAdminError extends DomainError<'not-workspace-admin'> {
  /** `reason`: what exactly needs an admin (connect/access.ts canConnect), when known */
  constructor(userName: string, reason?: string) {
    super(
      'not-workspace-admin',
      reason ?? `${userName} is not a workspace admin. Only workspace admins can administer Partner Connect.`,
      'Sign in as a workspace admin, or ask a workspace admin to add you to the admins group.',
    );
    this.name = 'NotWorkspaceAdminError';
  }
}

/** The seed's rule: a partner without Unity Catalog support may only use the workspace default catalog. */
export class DefaultCatalogNotOwnedError extends DomainError<'default-catalog-not-owned'> {
  readonly partnerName: string;
  readonly defaultCatalog: string;
  constructor(partnerName: string, defaultCatalog: string) {
    super(
      'default-catalog-not-owned',
      `${partnerName} does not support Unity Catalog with Partner Connect, so it can only use the workspace default catalog. ` +
        `The default catalog "${defaultCatalog}" isn't hive_metastore and you don't own it.`,
      `Ask the owner of "${defaultCatalog}" (or a metastore admin) to connect, change the workspace default catalog, or take ownership of "${defaultCatalog}".`,
    );
    this.name = 'DefaultCatalogNotOwnedError';
    this.partnerName = partnerName;
    this.defaultCatalog = defaultCatalog;
  }
}

/** A connect failed (or was cancelled) and everything it had created was removed again. */
export class ConnectRolledBackError extends DomainError<'connect-rolled-back'> {
  readonly rolledBack: ResourceRef[];
  /** the plan step id that failed */
  readonly failedStep: string;
  /** `failedStepTitle`: the failed step in words ("Create its personal access token (730 days)") */
  constructor(partnerName: string, failedStep: string, cause: unknown, rolledBack: ResourceRef[], failedStepTitle?: string) {
    super(
      'connect-rolled-back',
      `Connecting ${partnerName} failed${failedStepTitle ? ` at “${failedStepTitle}”` : ''}: ${describeCause(cause)}. ` +
        (rolledBack.length ? `Everything created so far was removed again (${rolledBack.length} item(s)).` : 'Nothing had been created.'),
      'The workspace is as it was before. Fix the cause and connect again.',
      { cause },
    );
    this.name = 'ConnectRolledBackError';
    this.rolledBack = rolledBack;
    this.failedStep = failedStep;
  }
  /** true when the connect was cancelled by the caller */
  get cancelled(): boolean {
    return isCancellation(this) || isCancellation(this.cause);
  }
}

/**
 * The connect was cancelled and everything it had created was removed again. Its name is
 * 'AbortError' (like every cancellation); it is also a ConnectRolledBackError.
 */
export class ConnectCancelledError extends ConnectRolledBackError implements Cancellation {
  readonly cancellation = true as const;
  constructor(partnerName: string, failedStep: string, cause: unknown, rolledBack: ResourceRef[], failedStepTitle?: string) {
    super(partnerName, failedStep, cause, rolledBack, failedStepTitle);
    this.name = 'AbortError';
  }
}

/** A rollback (or a disconnect) could not remove everything: the leftovers are named precisely. */
export class RollbackIncompleteError extends DomainError<'rollback-incomplete'> {
  readonly leftovers: ResourceRef[];
  readonly rolledBack: ResourceRef[];
  constructor(what: string, cause: unknown, leftovers: ResourceRef[], rolledBack: ResourceRef[] = []) {
    super(
      'rollback-incomplete',
      `${what} failed (${describeCause(cause)}) and these resources could not be removed: ` +
        leftovers.map(describeResource).join(', ') +
        '.',
      'Remove them by hand (or run Disconnect / Clean up orphans for this partner), then try again.',
      { cause },
    );
    this.name = 'RollbackIncompleteError';
    this.leftovers = leftovers;
    this.rolledBack = rolledBack;
  }
}

/** The partner side of the Partner Connect protocol refused or failed. */
export class PartnerHandoffError extends DomainError<'partner-handoff-failed'> {
  readonly outcome: string;
  readonly displayMessage?: string;
  readonly signInUrl?: string;
  constructor(partnerName: string, outcome: string, message: string, action: string, extra: { displayMessage?: string; signInUrl?: string } = {}) {
    super('partner-handoff-failed', `${partnerName}: ${message}`, action);
    this.name = 'PartnerHandoffError';
    this.outcome = outcome;
    this.displayMessage = extra.displayMessage;
    this.signInUrl = extra.signInUrl;
  }
}

/** Disconnect stopped part-way; calling disconnect again resumes it. */
export class DisconnectIncompleteError extends DomainError<'disconnect-incomplete'> {
  readonly done: ResourceRef[];
  readonly remaining: ResourceRef[];
  constructor(partnerName: string, cause: unknown, done: ResourceRef[], remaining: ResourceRef[]) {
    super(
      'disconnect-incomplete',
      `Disconnecting ${partnerName} stopped (${describeCause(cause)}). Done: ${done.length}; still to delete: ` +
        remaining.map(describeResource).join(', ') +
        '.',
      'Run Disconnect again: it resumes where it stopped (already-deleted resources count as done).',
      { cause },
    );
    this.name = 'DisconnectIncompleteError';
    this.done = done;
    this.remaining = remaining;
  }
}

/**
 * The admin cancelled a disconnect part-way: a DisconnectIncompleteError (what is done, what is still
 * to delete) that is a cancellation, named 'AbortError'. Calling disconnect again resumes it.
 */
export class DisconnectCancelledError extends DisconnectIncompleteError implements Cancellation {
  readonly cancellation = true as const;
  constructor(...args: ConstructorParameters<typeof DisconnectIncompleteError>) {
    super(...args);
    this.name = 'AbortError';
  }
}

/**
 * Another connect holds the record lock for this partner — whether pre-flight saw its record
 * (state `connecting`) or this connect lost the claim to it. Not a problem of the form: nothing was
 * created by this attempt.
 */
export class ConnectInProgressError extends DomainError<'connect-in-progress'> {
  readonly partnerName: string;
  /** who started the other connect (the record's connectedBy), when known */
  readonly by: string | undefined;
  /** when it started (ISO), when known */
  readonly since: string | undefined;
  /** the other connect is old enough to be taken over (Take Over Interrupted Connect…) */
  readonly stale: boolean;
  /**
   * `age`: how old the other connect is, when the record could be read; `stale` once it is
   * `staleAfter` minutes old (or its start cannot be read) and may be taken over.
   */
  constructor(partnerName: string, by: string | undefined, since: string | undefined, age?: { minutes: number | null; stale: boolean; staleAfter: number }) {
    const ago = age?.minutes != null ? ` (${age.minutes} minute${age.minutes === 1 ? '' : 's'} ago)` : '';
    super(
      'connect-in-progress',
      age?.stale
        ? `${by ?? 'Someone'} started connecting ${partnerName}${since ? ` at ${since}` : ''}${ago} and it never finished. Nothing was created by this attempt.`
        : `${by ?? 'Someone'} started connecting ${partnerName}${since ? ` at ${since}` : ''}${ago}; that connect has not finished. Nothing was created by this attempt.`,
      age?.stale
        ? `Take it over (Take Over Interrupted Connect… on ${partnerName}) to remove what it left, then connect again.`
        : `Wait for it to finish, then refresh: ${partnerName} will show as connected. If it was interrupted, an admin can take it over (Take Over Interrupted Connect…) once it is ${age?.staleAfter ?? 30} minutes old.`,
    );
    this.name = 'ConnectInProgressError';
    this.partnerName = partnerName;
    this.by = by;
    this.since = since;
    this.stale = age?.stale ?? false;
  }
}

/**
 * Another admin's Disconnect ran while this connect (or rotate) was finishing: what it made is gone,
 * so it must not leave a "connected" record behind (it undoes what is left).
 */
export class DisconnectedMeanwhileError extends DomainError<'disconnected-meanwhile'> {
  constructor(partnerName: string, readonly gone: string[], operation: 'connect' | 'rotate' = 'connect') {
    super(
      'disconnected-meanwhile',
      `${partnerName} was disconnected by someone else while this ${operation} was finishing: ${gone.join(' and ')} ${gone.length === 1 ? 'is' : 'are'} gone.`,
      'Refresh to see the current state, then connect again if the partner should be connected.',
    );
    this.name = 'DisconnectedMeanwhileError';
  }
}

/** Throws the cancellation (a CancelledError, client/errors.ts) when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('The operation');
}

/** A short, secret-free description of a cause (status + error code + message for API errors). */
export function describeCause(cause: unknown): string {
  if (isCancellation(cause)) return 'cancelled';
  if (cause instanceof Error) {
    const e = cause as Error & { status?: unknown; errorCode?: unknown };
    const parts: string[] = [];
    // a client error's message already says "… failed with HTTP 500 INTERNAL_ERROR": not twice
    if (typeof e.status === 'number' && !e.message.includes(`HTTP ${e.status}`)) parts.push(`HTTP ${e.status}`);
    if (typeof e.errorCode === 'string' && e.errorCode && !e.message.includes(e.errorCode)) parts.push(e.errorCode);
    parts.push(e.message);
    return parts.join(' ');
  }
  return String(cause);
}
