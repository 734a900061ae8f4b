/**
 * `npm run conformance -- --soak 10m [--seed N]`: against three emulators (Unity Catalog, Hive-only, and
 * an Azure-like one where partners get OAuth secrets instead of tokens),
 * for the given time, cycles of connect → inspect → rotate → disconnect for random partners of the
 * built-in catalog, with random faults injected through the emulator's fault rules (500s, 503s, 429s,
 * connection resets before and after the work is done, answers slower than the client's timeout).
 *
 * Checked after every operation, against the emulator's own state:
 * - a connect that failed and said it rolled back (or never started) left the workspace as it was;
 * - whatever a connect or disconnect left after an incomplete rollback is named in its error;
 * - a disconnect that succeeded left the workspace as it was before the cycle;
 * - only the engine's typed errors come out (no TypeError or other surprise);
 * and at the end: nothing left after the engine's own recovery (disconnect again without faults),
 * no unhandled rejection, heap growth (after GC) under the stated bound.
 * A cycle during which this process's event loop stood still for half the client's timeout or more
 * (a loaded machine: the client gives up on answers the in-process emulator has not even read yet,
 * and such a request may land after the engine looked for it) is judged too, but what it finds is
 * reported apart as a stall, with the stall's length, and does not fail the run: it measures the
 * machine, not the engine. Cycles without a stall are the ones that can fail it.
 * The random choices come from one seed, printed first, so a run can be repeated.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createWorkspaceClient, DatabricksClientError, RequestTimeoutError, type WorkspaceClient } from '../src/client';
import {
  connect,
  ConnectRolledBackError,
  defaultWarehouseName,
  disconnect,
  DisconnectIncompleteError,
  DomainError,
  inspectConnection,
  isCancellation,
  loadBuiltinCatalog,
  RollbackIncompleteError,
  rotateToken,
  type CatalogPartner,
  type ConnectChoices,
  type EngineContext,
  type ResourceRef,
} from '../src/domain';
import { DEMO_SEED_PATH, seedPath, startEmulator, type EmulatorHandle, type EmulatorState, type FaultRule, type Seed } from '../test/emulator';
import { errorText } from './errors';

export interface SoakOptions {
  durationMs: number;
  /** the random seed (default: a random one, printed) */
  seed?: number;
  print: (line: string) => void;
  signal?: AbortSignal;
  /** heap growth allowed between the end of the warm-up and the end, after GC (default 48 MiB) */
  memoryBoundMiB?: number;
  /** chance that an operation runs with faults injected (default 0.6) */
  faultRate?: number;
  /** progress line interval (default 10 s) */
  progressMs?: number;
}

export interface SoakResult {
  ok: boolean;
  seed: number;
  cycles: number;
  operations: number;
  outcomes: Record<string, number>;
  faults: number;
  problems: string[];
  /** what cycles with an event-loop stall found (not failures; see the file's comment) */
  stalls: string[];
  unhandledRejections: string[];
  heap: { warmMiB: number; endMiB: number; growthMiB: number; boundMiB: number };
}

/** 10m, 60s, 1h, 90 (seconds), 1500ms */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`a duration looks like 60s, 10m or 1h, not "${s}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's') as 'ms' | 's' | 'm' | 'h';
  const scale: Record<typeof unit, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  return Math.round(n * scale[unit]);
}

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Everything a connect or disconnect may change, one string per object or grant (run state excluded). */
export function stateItems(s: EmulatorState): Set<string> {
  const out = new Set<string>();
  const name = (kind: 'user' | 'sp', id: string): string => {
    const p = s.principalById(kind, id);
    return !p ? `?${id}` : p.kind === 'user' ? p.userName : p.applicationId;
  };
  for (const p of s.servicePrincipals.values()) {
    out.add(`service-principal ${p.displayName} ${p.applicationId} [${[...p.entitlements].sort().join(',')}]`);
    for (const id of p.secrets.keys()) out.add(`oauth-secret ${id} of ${p.applicationId}`);
  }
  for (const t of s.tokens.values()) out.add(`token ${t.token_id} of ${name(t.ownerKind, t.ownerId)}`);
  for (const e of s.tokenAcl) out.add(`token-permission ${e.name} ${e.level}`);
  for (const w of s.warehouses.values()) {
    out.add(`warehouse ${w.id} ${w.name}`);
    for (const e of w.acl) out.add(`warehouse-permission ${w.id} ${e.name} ${e.level}`);
  }
  for (const [k, g] of [...s.ucGrants, ...s.hiveGrants.entries()]) for (const [p, privs] of g) if (privs.size) out.add(`grant ${k} ${p} [${[...privs].sort().join(',')}]`);
  for (const f of s.files.values()) out.add(`file ${f.path}`);
  for (const c of s.clusters.values()) out.add(`cluster ${c.cluster_id}`);
  return out;
}

/** The demo workspace with a default catalog the admin owns and without pre-existing partner principals. */
function ucSeed(): Seed {
  const s = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as Record<string, unknown> & { servicePrincipals: { displayName: string }[] };
  const drop = new Set(['DBT_CLOUD_USER', 'HEX_USER']);
  s.defaultCatalog = 'analytics';
  s.defaultNamespaceSetting = 'analytics';
  s.servicePrincipals = s.servicePrincipals.filter((p) => !drop.has(p.displayName));
  s.tokens = [];
  s.tokenAcl = [];
  for (const w of s.warehouses as { acl?: { service_principal_name?: string }[] }[]) w.acl = (w.acl ?? []).filter((a) => !a.service_principal_name);
  for (const c of [...(s.catalogs as { grants?: Record<string, string[]> }[]), ...(s.schemas as { grants?: Record<string, string[]> }[])]) for (const k of Object.keys(c.grants ?? {})) if (drop.has(k)) delete c.grants?.[k];
  return s as unknown as Seed;
}

interface SoakEnv {
  name: 'uc' | 'hive' | 'azure';
  emu: EmulatorHandle;
  client: WorkspaceClient;
  ctx: EngineContext;
  baseline: Set<string>;
  warehouse: string;
}

const CLIENT_TIMEOUT_MS = 1_000;
const SLOW_MS = CLIENT_TIMEOUT_MS + 200;
/** an event-loop stall this long makes a cycle's findings the machine's (half the client's timeout) */
const STALL_MS = CLIENT_TIMEOUT_MS / 2;

async function startSoakEnv(name: SoakEnv['name']): Promise<SoakEnv> {
  // azure: on-behalf-of tokens refused (partners get OAuth secrets), tokens capped at 90 days, grants go with a principal
  const azure = (): Seed => {
    const s = ucSeed() as { options?: Record<string, unknown> };
    return { ...s, options: { ...(s.options ?? {}), cloud: 'azure', maxTokenLifetimeDays: 90, identityFederation: false } } as Seed;
  };
  const emu = await startEmulator({ seed: name === 'uc' ? ucSeed() : name === 'azure' ? azure() : seedPath('hive-only.json') });
  const client = createWorkspaceClient({
    host: emu.url,
    auth: { type: 'pat', token: emu.adminToken },
    env: {},
    timeoutMs: CLIENT_TIMEOUT_MS,
    retry: { baseDelayMs: 2, maxDelayMs: 10, maxAttempts: 3 },
    statementPoll: { initialDelayMs: 2, maxDelayMs: 10 },
  });
  // rollback waits longer than a slow answer takes, so a create answered late is still found
  const ctx: EngineContext = { client, extensionVersion: 'soak', rollbackSettleMs: SLOW_MS + 200, rollbackRetryDelaysMs: [5, 20] };
  const warehouse = name === 'hive' ? '1a2b3c4d5e6f7a8b' : 'f562046bc1272886';
  return { name, emu, client, ctx, baseline: stateItems(emu.state), warehouse };
}

function choicesFor(env: SoakEnv, p: CatalogPartner, rnd: () => number): ConnectChoices {
  const needsData = ['write', 'read', 'dataiku', 'read-many'].includes(p.profile);
  const all = ['marketing', 'finance'];
  const schemas = p.schemaSelection === 'none' ? [] : p.schemaSelection === 'many' ? all.filter(() => rnd() < 0.7).concat(rnd() < 0.5 ? [] : ['marketing']).filter((x, i, a) => a.indexOf(x) === i) : [all[Math.floor(rnd() * 2)]];
  const usesWarehouse = p.compute === 'existing-warehouse' || p.compute === 'create-warehouse';
  return {
    catalog: needsData ? (env.name === 'hive' ? 'hive_metastore' : 'analytics') : null,
    schemas: schemas.length || p.schemaSelection === 'none' ? schemas : ['marketing'],
    warehouse: usesWarehouse ? (p.compute === 'create-warehouse' ? { kind: 'create', name: defaultWarehouseName(p) } : { kind: 'existing', id: env.warehouse }) : undefined,
  };
}

/** Request routes the engine uses, for faults. */
const FAULT_TARGETS: { method: string; path: RegExp }[] = [
  { method: 'GET', path: /^\/api\/2\.0\/preview\/scim\/v2\/(Me|ServicePrincipals)$/ },
  { method: 'POST', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals$/ },
  { method: 'DELETE', path: /^\/api\/2\.0\/preview\/scim\/v2\/ServicePrincipals\/.+/ },
  { method: 'PATCH', path: /^\/api\/2\.0\/permissions\/(authorization\/tokens|warehouses\/.+)$/ },
  { method: 'POST', path: /^\/api\/2\.0\/sql\/warehouses$/ },
  { method: 'DELETE', path: /^\/api\/2\.0\/sql\/warehouses\/.+/ },
  { method: 'GET', path: /^\/api\/2\.0\/sql\/warehouses/ },
  { method: 'PATCH', path: /^\/api\/2\.1\/unity-catalog\/permissions\/.+/ },
  { method: 'GET', path: /^\/api\/2\.1\/unity-catalog\// },
  { method: 'POST', path: /^\/api\/2\.0\/sql\/statements$/ },
  { method: 'POST', path: /^\/api\/2\.0\/token-management\/on-behalf-of\/tokens$/ },
  { method: 'POST', path: /^\/api\/2\.0\/accounts\/servicePrincipals\/[^/]+\/credentials\/secrets$/ },
  { method: 'DELETE', path: /^\/api\/2\.0\/accounts\/servicePrincipals\/[^/]+\/credentials\/secrets\/.+/ },
  { method: 'GET', path: /^\/api\/2\.0\/(accounts\/servicePrincipals\/[^/]+\/credentials\/secrets|workspace-conf)$/ },
  { method: 'GET', path: /^\/api\/2\.0\/token-management\/tokens$/ },
  { method: 'DELETE', path: /^\/api\/2\.0\/token-management\/tokens\/.+/ },
  { method: 'POST', path: /^\/api\/2\.0\/workspace\/(import|delete|mkdirs)$/ },
  { method: 'GET', path: /^\/api\/2\.0\/workspace\/(export|list|get-status)$/ },
];
/** Slow answers cost seconds each (the client's timeout, then the engine's settle wait): rarer than the others. */
const FAULT_KINDS = ['500', '500-after', '503', '429', 'reset', 'reset-after', '500', '500-after', '503', 'reset', 'reset-after', 'slow'] as const;

function randomFault(rnd: () => number): { rule: FaultRule; slow: boolean; label: string } {
  const t = FAULT_TARGETS[Math.floor(rnd() * FAULT_TARGETS.length)];
  const kind = FAULT_KINDS[Math.floor(rnd() * FAULT_KINDS.length)];
  const nth = 1 + Math.floor(rnd() * 3);
  const base = { method: t.method, path: t.path, nth };
  const label = `${kind} on ${t.method} ${t.path.source} #${nth}`;
  switch (kind) {
    case '500':
      return { rule: { ...base, status: 500 }, slow: false, label };
    case '500-after':
      return { rule: { ...base, status: 500, after: true }, slow: false, label };
    case '503':
      return { rule: { ...base, times: 1 + Math.floor(rnd() * 3), status: 503, headers: { 'retry-after': '0' } }, slow: false, label };
    case '429':
      return { rule: { ...base, times: 1 + Math.floor(rnd() * 3), status: 429, headers: { 'retry-after': '0' } }, slow: false, label };
    case 'reset':
      return { rule: { ...base, reset: true, times: 1 + Math.floor(rnd() * 2) }, slow: false, label };
    case 'reset-after':
      return { rule: { ...base, reset: true, after: true }, slow: false, label };
    case 'slow':
      return { rule: { ...base, delayMs: SLOW_MS }, slow: true, label };
  }
}

/** The objects that differ from `before`, each as a string. */
export function diff(before: Set<string>, after: Set<string>): { added: string[]; removed: string[] } {
  return { added: [...after].filter((x) => !before.has(x)), removed: [...before].filter((x) => !after.has(x)) };
}

/** Is a left-over object named by one of the error's resources (a principal covers its tokens, permissions and grants)? */
export function covered(item: string, refs: readonly ResourceRef[], state: EmulatorState): boolean {
  return refs.some((r) => {
    if (item.includes(r.id) || item.includes(` ${r.name} `) || item.endsWith(` ${r.name}`)) return true;
    if (r.kind === 'service-principal') {
      const sp = [...state.servicePrincipals.values()].find((s) => s.displayName === r.name || s.id === r.id);
      return !!sp && item.includes(sp.applicationId);
    }
    if (r.kind === 'record') return item.startsWith('file ') && r.id.startsWith(item.slice('file '.length));
    return false;
  });
}

/** Did a request time out somewhere in this error's causes? */
function timedOut(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && i < 10; x = (x as { cause?: unknown }).cause, i++) if (x instanceof RequestTimeoutError) return true;
  return false;
}
const typed = (e: unknown): boolean => e instanceof DomainError || e instanceof DatabricksClientError || isCancellation(e);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function heapMiB(gc: (() => void) | null): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed / 1_048_576;
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rnd = prng(seed);
  const boundMiB = o.memoryBoundMiB ?? 48;
  const faultRate = o.faultRate ?? 0.6;
  o.print(`soak: seed ${seed} for ${Math.round(o.durationMs / 1000)} s (repeat with --soak ${Math.round(o.durationMs / 1000)}s --seed ${seed}); heap growth bound ${boundMiB} MiB`);
  let gc: (() => void) | null = null;
  try {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  } catch {
    o.print('soak: could not expose the garbage collector; heap numbers are without a forced GC');
  }
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(errorText(reason));
  process.on('unhandledRejection', onUnhandled);
  const problems: string[] = [];
  const stalls: string[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const outcomes: Record<string, number> = {};
  const count = (k: string): void => void (outcomes[k] = (outcomes[k] ?? 0) + 1);
  let faults = 0;
  let cycles = 0;
  let operations = 0;
  const envs = await Promise.all([startSoakEnv('uc'), startSoakEnv('hive'), startSoakEnv('azure')]);
  const catalog = loadBuiltinCatalog();
  const partners = catalog.partners.filter((p) => p.handoff !== 'protocol');
  const started = Date.now();
  const deadline = started + o.durationMs;
  const warmUntil = started + Math.min(o.durationMs * 0.2, 60_000);
  let warmMiB: number | null = null;
  let lastProgress = started;

  const problem = (env: SoakEnv, cycle: number, what: string): void => {
    const stalledMs = loopDelay.max / 1e6;
    const list = stalledMs >= STALL_MS ? stalls : problems;
    const tail = stalledMs >= STALL_MS ? ` [event loop stood still ${Math.round(stalledMs)} ms in this cycle]` : '';
    if (list.length < 50) list.push(`cycle ${cycle} (${env.name}, seed ${seed}): ${what}${tail}`);
  };

  try {
    while (Date.now() < deadline && !o.signal?.aborted) {
      cycles += 1;
      loopDelay.reset();
      const env = envs[Math.floor(rnd() * envs.length)];
      const p = partners[Math.floor(rnd() * partners.length)];
      const choices = choicesFor(env, p, rnd);
      const state = env.emu.state;
      let connected = false;

      const op = async (name: string, fn: () => Promise<unknown>, check: (e: unknown, before: Set<string>) => void): Promise<boolean> => {
        operations += 1;
        let slow = false;
        const injected: string[] = [];
        if (rnd() < faultRate) {
          for (let i = 0, n = 1 + Math.floor(rnd() * 2); i < n; i++) {
            const f = randomFault(rnd);
            env.emu.faults.add(f.rule);
            slow ||= f.slow;
            injected.push(f.label);
            faults += 1;
          }
        }
        const before = stateItems(state);
        let error: unknown = null;
        try {
          await fn();
        } catch (e) {
          error = e;
        }
        env.emu.faults.clear();
        // a request the client gave up on (a slow fault, or a loaded machine) still lands at the emulator afterwards
        if (slow || timedOut(error)) await sleep(SLOW_MS + 100);
        const kind = error === null ? 'ok' : error instanceof Error ? error.name : 'thrown';
        count(`${name} ${kind}`);
        if (error !== null && !typed(error)) problem(env, cycles, `${name} ${p.id}: an untyped error ${errorText(error)} (faults: ${injected.join('; ') || 'none'})`);
        try {
          check(error, before);
        } catch (e) {
          problem(env, cycles, `${name} ${p.id}: ${(e as Error).message} (faults: ${injected.join('; ') || 'none'})`);
        }
        return error === null;
      };

      connected = await op(
        'connect',
        () => connect(env.ctx, p, choices, { deliverSecretOnce: () => undefined }),
        (e, before) => {
          if (e === null) return;
          const d = diff(before, stateItems(state));
          if (e instanceof RollbackIncompleteError) {
            const silent = d.added.filter((x) => !covered(x, e.leftovers, state));
            if (silent.length) throw new Error(`rollback incomplete, but left more than it named: ${silent.join(', ')} (named: ${e.leftovers.map((l) => `${l.kind} ${l.name} ${l.id}`).join(', ')})`);
          } else if (d.added.length || d.removed.length) {
            throw new Error(`${e instanceof ConnectRolledBackError ? 'said it rolled back' : `failed (${errorText(e)})`} but changed the workspace: +${d.added.join(', ')} -${d.removed.join(', ')}`);
          }
        },
      );
      if (connected) {
        await op('inspect', () => inspectConnection(env.client, p, { allowWarehouseStart: true }), () => undefined);
        if (p.servicePrincipalName) await op('rotate', () => rotateToken(env.ctx, p, { deliverSecretOnce: () => undefined }), () => undefined);
      }
      await op(
        'disconnect',
        () => disconnect(env.ctx, p, 'reset'),
        (e) => {
          const d = diff(env.baseline, stateItems(state));
          if (e === null && (d.added.length || d.removed.length)) throw new Error(`succeeded but the workspace differs from before the cycle: +${d.added.join(', ')} -${d.removed.join(', ')}`);
          if (e instanceof DisconnectIncompleteError) {
            const silent = d.added.filter((x) => !covered(x, e.remaining, state));
            if (silent.length) throw new Error(`incomplete, but left more than it named: ${silent.join(', ')}`);
          }
        },
      );

      // recovery: what a user would do next — disconnect again, without faults, until it succeeds
      let recovered = false;
      for (let i = 0; i < 3 && !recovered; i++) {
        try {
          await disconnect(env.ctx, p, 'reset');
          recovered = true;
        } catch (e) {
          if (i === 2) problem(env, cycles, `recovery disconnect of ${p.id} failed three times without faults: ${errorText(e)}`);
        }
      }
      const left = diff(env.baseline, stateItems(state));
      if (left.added.length || left.removed.length) {
        problem(env, cycles, `after the recovery disconnect of ${p.id}, the workspace differs from its start: +${left.added.join(', ')} -${left.removed.join(', ')}`);
        env.emu.reset();
        env.baseline = stateItems(state);
      }
      // test-double housekeeping: the emulator's request log and statement history grow with every request
      env.emu.clearRequests();
      state.statements.clear();
      state.oauthTokens.clear();

      if (warmMiB === null && Date.now() >= warmUntil) warmMiB = heapMiB(gc);
      if (Date.now() - lastProgress >= (o.progressMs ?? 10_000)) {
        lastProgress = Date.now();
        o.print(`soak: ${Math.round((lastProgress - started) / 1000)} s, ${cycles} cycles, ${operations} operations, ${faults} faults, ${problems.length} problem(s), heap ${heapMiB(null).toFixed(1)} MiB`);
      }
    }
  } finally {
    loopDelay.disable();
    process.off('unhandledRejection', onUnhandled);
    await Promise.allSettled(envs.map(async (e) => {
      await e.client.close();
      await e.emu.close();
    }));
  }
  const endMiB = heapMiB(gc);
  const warm = warmMiB ?? endMiB;
  const growth = endMiB - warm;
  const heap = { warmMiB: round(warm), endMiB: round(endMiB), growthMiB: round(growth), boundMiB };
  if (growth > boundMiB) problems.push(`heap grew ${growth.toFixed(1)} MiB after the warm-up (bound ${boundMiB} MiB)`);
  const ok = problems.length === 0 && unhandled.length === 0 && cycles > 0;
  o.print(`soak: ${ok ? 'ok' : 'FAILED'}: ${cycles} cycles, ${operations} operations, ${faults} faults injected; outcomes ${Object.entries(outcomes).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
  o.print(`soak: leftovers ${problems.filter((x) => /differs|left more/.test(x)).length}, unhandled rejections ${unhandled.length}, heap ${heap.warmMiB} → ${heap.endMiB} MiB (growth ${heap.growthMiB}, bound ${boundMiB})`);
  for (const x of [...problems, ...unhandled.map((u) => `unhandled rejection: ${u}`)]) o.print(`  ${x}`);
  if (stalls.length) o.print(`soak: ${stalls.length} finding(s) in cycles with an event-loop stall of ${STALL_MS} ms or more (the machine, not the engine; not counted):`);
  for (const x of stalls) o.print(`  ${x}`);
  return { ok, seed, cycles, operations, outcomes, faults, problems, stalls, unhandledRejections: unhandled, heap };
}

const round = (n: number): number => Math.round(n * 10) / 10;
