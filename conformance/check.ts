/**
 * What a conformance check is, and what it gets to work with.
 *
 * A check states what the product relies on (`expected`, `reliedOnBy`), runs black-box requests
 * through src/client and src/domain against the target, and reports what it `observed`. When it
 * fails against a real workspace, `emulator` names the emulator behaviour that must change.
 */
import { DatabricksApiError, type AuthConfig, type CallOptions, type ScimUser, type ServicePrincipal, type WorkspaceClient } from '../src/client';
import { errorText } from './errors';
import type { Features } from './features';
import type { Ledger } from './ledger';
import type { Names } from './naming';
import type { RawClient } from './raw';

export type Area = 'identity' | 'scim' | 'tokens' | 'warehouses' | 'unity-catalog' | 'hive' | 'files' | 'errors' | 'journeys';

/**
 * - warehouse: `--warehouse <id>`, a SQL warehouse the suite may start and run statements on
 * - catalog: `--catalog <name>`, a Unity Catalog catalog the suite may create a schema in
 * - unity-catalog: the workspace has a metastore
 * - obo: on-behalf-of tokens can be created (AWS, GCP)
 */
export type Need = 'warehouse' | 'catalog' | 'unity-catalog' | 'obo';

export interface Outcome {
  pass: boolean;
  observed: string;
}
export const passed = (observed: string): Outcome => ({ pass: true, observed });
export const failed = (observed: string): Outcome => ({ pass: false, observed });
export const outcome = (pass: boolean, observed: string): Outcome => ({ pass, observed });

export interface CheckDef {
  /** stable id, e.g. `files.import.overwrite-false` (the emulator README refers to it) */
  id: string;
  area: Area;
  title: string;
  /** what a conforming workspace answers: what the product relies on */
  expected: string;
  /** the product code that relies on it */
  reliedOnBy: string;
  /** the emulator behaviour that corresponds (and must change when a real workspace disagrees) */
  emulator: string;
  needs?: Need[];
  /** checks that must have passed first (they create what this one uses) */
  after?: string[];
  run(t: Run): Promise<Outcome>;
}

export interface TargetInfo {
  kind: 'emulator' | 'workspace';
  host: string;
  /** how the target was named: `emulator (demo seed)`, `--profile X`, `--host H` */
  label: string;
  authType: string;
}

/** Objects the checks share (created by earlier checks). */
export interface Shared {
  sp: Partial<Record<'a' | 'b' | 'c' | 'd', ServicePrincipal>>;
  /** sp a's on-behalf-of token (the value authenticates the non-admin checks) */
  token?: { id: string; value: string };
  /** sp a's OAuth secret (signs in with OAuth M2M where there are no on-behalf-of tokens) */
  secret?: { id: string; value: string };
  warehouse?: { id: string; name: string };
  folder?: string;
  rootFolder?: string;
  ucSchema?: string;
  hiveSchema?: string;
  /** the maxTokenLifetimeDays workspace setting, when the client can read it */
  maxTokenLifetimeDays?: number | null;
}

export interface Run {
  client: WorkspaceClient;
  raw: RawClient;
  names: Names;
  ledger: Ledger;
  /** `--warehouse`: may be started, statements run on it */
  warehouseId: string | null;
  /** `--catalog`: a schema may be created in it */
  catalog: string | null;
  target: TargetInfo;
  features: Features;
  me: ScimUser;
  shared: Shared;
  signal: AbortSignal;
  o: CallOptions;
  log(line: string): void;
  /** a client signed in otherwise, e.g. as one of the run's principals (closed when the run ends) */
  clientWith(auth: AuthConfig): WorkspaceClient;
  /** how long to wait for a warehouse to start (ms) */
  warehouseStartTimeoutMs: number;
}

/**
 * `fn` must be refused: passes when it throws an API error that `ok` accepts (default: not found);
 * the observation is the error, or `accepted` when it was not refused.
 */
export async function refused(fn: () => Promise<unknown>, ok: (e: DatabricksApiError) => boolean = (e) => e.isNotFound, accepted = 'accepted'): Promise<Outcome> {
  try {
    await fn();
    return failed(accepted);
  } catch (e) {
    return outcome(e instanceof DatabricksApiError && ok(e), errorText(e));
  }
}

/** Deleting something already deleted: a 404 (what the engine counts as "already gone"). */
export async function deleteAgain(fn: () => Promise<void>): Promise<{ notFound: boolean; text: string }> {
  const r = await refused(fn, (e) => e.isNotFound, 'succeeded');
  return { notFound: r.pass, text: `second delete: ${r.observed}` };
}
