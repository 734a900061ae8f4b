/**
 * What the suite runs against: the emulator (no target given) or a real workspace named by
 * `--profile` or `--host` + the usual DATABRICKS_* variables, signed in with the client's own
 * resolution (src/client/auth).
 */
import { createWorkspaceClient, resolveWorkspaceConfig, type AuthConfig, type WorkspaceClient, type WorkspaceClientOptions } from '../src/client';
import { readFileSync } from 'node:fs';
import { startEmulator, seedPath, type EmulatorHandle, type Seed } from '../test/emulator';
import type { TargetInfo } from './check';
import { createRawClient, type RawClient } from './raw';

export interface Target {
  info: TargetInfo;
  client: WorkspaceClient;
  raw: RawClient;
  /** a client with the same settings, signed in otherwise */
  clientWith(auth: AuthConfig): WorkspaceClient;
  /** the emulator's own warehouse and catalog (a real workspace has none: they must be passed) */
  defaults: { warehouse: string | null; catalog: string | null };
  emulator: EmulatorHandle | null;
  close(): Promise<void>;
}

/** Thrown when the target cannot be named or signed in to; the message says what to do. */
export class TargetError extends Error {}

const PRODUCT = { name: 'partner-connect-conformance', version: '0.1.0' };

function make(host: string, auth: AuthConfig, info: TargetInfo, extra: Partial<WorkspaceClientOptions>, emulator: EmulatorHandle | null, defaults: Target['defaults'], env: Record<string, string | undefined>): Target {
  const others: WorkspaceClient[] = [];
  const client = createWorkspaceClient({ host, auth, product: PRODUCT, env, ...extra });
  const raw = createRawClient({ host, auth, env });
  return {
    info,
    client,
    raw,
    clientWith(other) {
      const c = createWorkspaceClient({ host, auth: other, product: PRODUCT, env, ...extra });
      others.push(c);
      return c;
    },
    defaults,
    emulator,
    async close() {
      await Promise.allSettled([client.close(), raw.close(), ...others.map((c) => c.close())]);
      if (emulator) await emulator.close();
    },
  };
}

/** Named emulator workspaces besides the seed files: the demo seed with other options. */
export const EMULATOR_VARIANTS: Record<string, { seed: string; options: Record<string, unknown>; what: string }> = {
  azure: {
    seed: 'demo',
    options: { cloud: 'azure', maxTokenLifetimeDays: 90, identityFederation: false },
    what: 'Azure-like: on-behalf-of tokens refused, tokens capped at 90 days, grants go with a deleted principal',
  },
  'no-serverless': {
    seed: 'demo',
    options: { serverlessAvailable: false },
    what: 'a workspace where serverless SQL is not available (not every workspace has it)',
  },
  paging: {
    seed: 'demo',
    options: { scimMaxCount: 2, ucPageSize: 1, ucEmptyPages: true, warehousePageSize: 1, warehouseEmptyPages: true },
    what: 'every list in the smallest pages the server may choose: SCIM 2 per page, UC and warehouse lists 1 per page, each after an empty page',
  },
};

/**
 * The emulator, started with a seed (`demo` by default, `hive-only`, a variant such as `azure`, or a
 * path), signed in as its first admin (or `user`).
 */
export async function emulatorTarget(seed = 'demo', o: { user?: string } = {}): Promise<Target> {
  const variant = EMULATOR_VARIANTS[seed];
  const path = variant ? seedPath(`${variant.seed}.json`) : seed.endsWith('.json') ? seed : seedPath(`${seed}.json`);
  let start: Seed | string = path;
  if (variant) {
    const s = JSON.parse(readFileSync(path, 'utf8')) as { options?: Record<string, unknown> };
    start = { ...s, options: { ...(s.options ?? {}), ...variant.options } } as Seed;
  }
  const emu = await startEmulator({ seed: start });
  const warehouse = [...emu.state.warehouses.values()].find((w) => w.state === 'RUNNING') ?? [...emu.state.warehouses.values()][0];
  const admin = [...emu.state.users.values()].find((u) => u.groups.has('admins'));
  const owned = emu.state.metastore ? [...emu.state.catalogs.values()].find((c) => c.owner === admin?.userName) : undefined;
  const info: TargetInfo = { kind: 'emulator', host: emu.url, label: `emulator (${seed} seed)`, authType: 'pat' };
  return make(
    emu.url,
    { type: 'pat', token: o.user ? emu.tokenFor(o.user) : emu.adminToken },
    info,
    { retry: { baseDelayMs: 20, maxDelayMs: 200 }, statementPoll: { initialDelayMs: 5, maxDelayMs: 50 } },
    emu,
    { warehouse: warehouse?.id ?? null, catalog: owned?.name ?? null },
    {},
  );
}

/** A real workspace: `--profile NAME` (a ~/.databrickscfg profile), or `--host URL` with DATABRICKS_TOKEN / client id and secret. */
export function workspaceTarget(o: { profile?: string; host?: string; env?: Record<string, string | undefined> }): Target {
  const env = { ...(o.env ?? process.env) };
  let label: string;
  if (o.profile) {
    label = `--profile ${o.profile}`;
  } else if (o.host) {
    const hasCredentials = !!env.DATABRICKS_TOKEN?.trim() || (!!env.DATABRICKS_CLIENT_ID?.trim() && !!env.DATABRICKS_CLIENT_SECRET?.trim()) || env.DATABRICKS_AUTH_TYPE?.trim() === 'databricks-cli';
    if (!hasCredentials) {
      // never combine a host with another profile's credentials
      throw new TargetError('--host needs credentials in the environment: DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, or DATABRICKS_AUTH_TYPE=databricks-cli. Or name a profile with --profile.');
    }
    env.DATABRICKS_HOST = o.host;
    delete env.DATABRICKS_CONFIG_PROFILE;
    label = `--host ${o.host}`;
  } else {
    throw new TargetError('internal: a workspace target needs --profile or --host');
  }
  let resolved;
  try {
    // the SDKs' rules (src/client/auth/resolve.ts): environment values win attribute by attribute; with --host and
    // no profile named, ~/.databrickscfg is not read at all
    resolved = resolveWorkspaceConfig({ env, profile: o.profile });
  } catch (e) {
    throw new TargetError(`Cannot sign in to the workspace (${label}): ${e instanceof Error ? e.message : String(e)}`);
  }
  const info: TargetInfo = { kind: 'workspace', host: resolved.host, label, authType: resolved.auth.type };
  return make(resolved.host, resolved.auth, info, {}, null, { warehouse: null, catalog: null }, env);
}
