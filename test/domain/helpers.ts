/** Shared helpers of the engine tests: emulator + client + engine context, and a full-state snapshot. */
import { createWorkspaceClient, type WorkspaceClient, type WorkspaceClientOptions } from '../../src/client';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import assert from 'node:assert/strict';
import type { EngineContext, PartnerStatus, WorkspaceSnapshot } from '../../src/domain';
import { startEmulator, type EmulatorHandle, type EmulatorState } from '../emulator';
import type { Seed } from '../emulator';
import { startAll } from '../fixtures/cleanup';

export interface Env {
  emu: EmulatorHandle;
  client: WorkspaceClient;
  ctx: EngineContext;
  log: string[];
  close(): Promise<void>;
}

export function clientFor(emu: EmulatorHandle, token: string, log: string[], o: Partial<WorkspaceClientOptions> = {}): WorkspaceClient {
  return createWorkspaceClient({
    host: emu.url,
    auth: { type: 'pat', token },
    env: {},
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
    statementPoll: { initialDelayMs: 1, maxDelayMs: 5 },
    logger: (l) => log.push(l),
    ...o,
  } as WorkspaceClientOptions);
}

export async function startEnv(opts: { seed?: Seed | string; user?: string; client?: Partial<WorkspaceClientOptions> } = {}): Promise<Env> {
  const [env, started] = await startAll(async (started) => {
    const emu = started.add(await startEmulator({ seed: opts.seed }), (e) => e.close());
    const log: string[] = [];
    const token = opts.user ? emu.tokenFor(opts.user) : emu.adminToken;
    const client = started.add(clientFor(emu, token, log, opts.client), (c) => c.close());
    const ctx: EngineContext = {
      client,
      extensionVersion: '0.0.0-test',
      logger: (l) => log.push(l),
      rollbackSettleMs: 300,
      rollbackRetryDelaysMs: [5, 20],
      partnerClientFactory: (config, credentials, logger) => createPartnerApiClient({ config, credentials, logger, retryDelaysMs: [1, 2, 4], env: {} }),
    };
    return { emu, client, ctx, log };
  });
  return { ...env, close: () => started.close() };
}

const sortObj = <T>(xs: T[], key: (x: T) => string): T[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

/**
 * Everything in the emulator that a connect/disconnect may change, in a comparable form.
 * Excluded on purpose: id counters, the statement history, OAuth access tokens, and warehouse run
 * state (running a GRANT starts a stopped warehouse; it stops again by itself).
 */
export function snapshot(s: EmulatorState): unknown {
  const grants = (m: Map<string, Map<string, Set<string>>>): Record<string, Record<string, string[]>> => {
    const out: Record<string, Record<string, string[]>> = {};
    for (const [k, g] of [...m].sort(([a], [b]) => a.localeCompare(b))) {
      const inner: Record<string, string[]> = {};
      for (const [p, privs] of [...g].sort(([a], [b]) => a.localeCompare(b))) if (privs.size) inner[p] = [...privs].sort();
      if (Object.keys(inner).length) out[k] = inner;
    }
    return out;
  };
  return {
    users: sortObj([...s.users.values()], (u) => u.userName).map((u) => ({ userName: u.userName, active: u.active, groups: [...u.groups].sort(), entitlements: [...u.entitlements].sort() })),
    groups: sortObj([...s.groups.values()], (g) => g.displayName).map((g) => ({ name: g.displayName, entitlements: [...g.entitlements].sort() })),
    servicePrincipals: sortObj([...s.servicePrincipals.values()], (p) => p.applicationId).map((p) => ({
      applicationId: p.applicationId,
      displayName: p.displayName,
      active: p.active,
      entitlements: [...p.entitlements].sort(),
      groups: [...p.groups].sort(),
    })),
    // seeded tokens get fresh ids on every reset: compare by owner name, comment and expiry
    tokens: [...s.tokens.values()]
      .map((t) => ({ owner: ownerName(s, t.ownerKind, t.ownerId), comment: t.comment, expiry: t.expiry_time }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    tokenAcl: sortObj(s.tokenAcl, (e) => `${e.kind}:${e.name}`).map((e) => ({ kind: e.kind, name: e.name, level: e.level })),
    warehouses: sortObj([...s.warehouses.values()], (w) => w.id).map((w) => ({
      id: w.id,
      name: w.name,
      size: w.cluster_size,
      acl: sortObj(w.acl, (e) => `${e.kind}:${e.name}`).map((e) => ({ kind: e.kind, name: e.name, level: e.level })),
    })),
    clusters: sortObj([...s.clusters.values()], (c) => c.cluster_id).map((c) => ({ id: c.cluster_id, name: c.cluster_name })),
    catalogs: [...s.catalogs.keys()].sort(),
    schemas: [...s.schemas.keys()].sort(),
    ucGrants: grants(s.ucGrants),
    hiveGrants: grants(s.hiveGrants),
    files: sortObj([...s.files.values()], (f) => f.path).map((f) => ({ path: f.path, type: f.type, content: f.content.toString('utf8') })),
  };
}

function ownerName(s: EmulatorState, kind: 'user' | 'sp', id: string): string {
  const p = s.principalById(kind, id);
  return !p ? `?${id}` : p.kind === 'user' ? p.userName : p.applicationId;
}

/** One partner's status in a snapshot (fails the test when the partner is unknown). */
export function statusIn(snap: WorkspaceSnapshot, id: string): PartnerStatus {
  const s = snap.partners.find((p) => p.partnerId === id);
  assert.ok(s, id);
  return s;
}
