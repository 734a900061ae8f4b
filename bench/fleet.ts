/**
 * The fleet scenario of `npm run bench`: refreshing every workspace of an account (1, 10 and 100
 * workspaces of 30 built-in partners each) with 40 ms injected on every request, through the same
 * path as the extension: the account client lists the workspaces, each workspace gets its own
 * client (its own M2M token, its own keep-alive connections) and `refreshFleet` detects them with
 * bounded parallelism. Target: 100 workspaces in at most 2× the time of one. Memory: the heap the
 * snapshots retain per workspace, and the peak during a refresh.
 */
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { fork, type ChildProcess } from 'node:child_process';
import { createAccountClient, createWorkspaceClient, workspaceAuthFor, type WorkspaceClient } from '../src/client';
import { DEFAULT_REFRESH_CONCURRENCY, RecordCache, fleetWorkspacesOf, loadBuiltinCatalog, refreshFleet, type FleetTarget } from '../src/domain';
import type { AccountCommand, AccountRequests, AccountStarted } from './accountWorker';
import { benchFleetFloor, type FloorRow } from './fleetFloor';
import { collectGarbage } from './gc';
import { median, percentile } from './measure';

export const FLEET_SIZES = [1, 10, 100] as const;
export const FLEET_LATENCY_MS = 40;
/** 100 workspaces may take at most this many times one workspace */
export const FLEET_TARGET_FACTOR = 2;

class AccountWorker {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(private readonly worker: ChildProcess) {
    worker.on('message', (r: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(r.result);
      else p.reject(new Error(`account worker: ${r.error ?? '?'}`));
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }
  static create(): AccountWorker {
    return new AccountWorker(fork(join(__dirname, 'accountWorker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }
  call<T>(command: AccountCommand): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`account worker: ${command.cmd} timed out`));
      }, 120_000);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.worker.send({ id, command });
    });
  }
  async close(): Promise<void> {
    try {
      await this.call({ cmd: 'close' });
    } finally {
      this.worker.kill();
    }
  }
}

const forceGc = (): void => collectGarbage(2);
// V8's own count (process.memoryUsage() also reads the RSS from /proc: a syscall every 5 ms of sampling,
// counted as client CPU)
const heapMb = (): number => getHeapStatistics().used_heap_size / 1_048_576;

export interface FleetRow {
  workspaces: number;
  runs: number;
  /** the first refresh: workspace tokens minted, connections opened */
  coldMs: number;
  medianMs: number;
  p95Ms: number;
  /** CPU of the client (this process) per refresh */
  cpuMs: number;
  /** CPU of the emulator process per refresh (Databricks' side against a real account) */
  serverCpuMs: number;
  requests: number;
  /** sequential rounds the workspaces saw (gaps ≥ 0.6 × latency between arrivals) */
  rounds: number;
  concurrency: number;
  /** heap the snapshots and clients retain, per workspace (MiB) */
  retainedMbPerWorkspace: number;
  /** the heap's peak during a refresh above its level before (MiB) */
  peakMbDuringRefresh: number;
  loaded: number;
}

function roundsOf(at: number[], latencyMs: number): number {
  const s = [...at].sort((a, b) => a - b);
  let n = s.length ? 1 : 0;
  for (let i = 1; i < s.length; i++) if (s[i] - s[i - 1] >= 0.6 * latencyMs) n++;
  return n;
}

async function one(n: number, quick: boolean, log: (line: string) => void): Promise<FleetRow> {
  const catalog = loadBuiltinCatalog();
  const worker = AccountWorker.create();
  const clients: WorkspaceClient[] = [];
  try {
    const started = await worker.call<AccountStarted>({ cmd: 'start', workspaces: n, latencyMs: FLEET_LATENCY_MS });
    forceGc();
    const heap0 = heapMb();
    const auth = { type: 'oauth-m2m' as const, clientId: started.clientId, clientSecret: started.clientSecret };
    const account = createAccountClient({ host: started.url, accountId: started.accountId, auth, env: {}, product: { name: 'partner-connect-bench', version: '0.1.0' } });
    const workspaces = fleetWorkspacesOf(account.host, account.cloud, await account.listWorkspaces());
    await account.close();
    const targets: FleetTarget[] = workspaces.map((w) => {
      const c = createWorkspaceClient({ host: w.host ?? '', auth: workspaceAuthFor(auth), env: {}, product: { name: 'partner-connect-bench', version: '0.1.0' } });
      clients.push(c);
      // each workspace's records cache, as the extension keeps one per workspace: warm refreshes read only changed records
      return { workspace: w, client: async () => c, recordCache: new RecordCache() };
    });
    const refresh = () => refreshFleet(targets, catalog, { concurrency: DEFAULT_REFRESH_CONCURRENCY });
    await worker.call<AccountRequests>({ cmd: 'takeRequests' });
    const t0 = performance.now();
    let last = await refresh();
    const coldMs = performance.now() - t0;
    const loaded = last.columns.filter((c) => c.kind === 'ready').length;
    if (loaded !== n) log(`    note: ${n - loaded} of ${n} workspaces did not load: ${last.columns.filter((c) => c.kind === 'failed').map((c) => (c.kind === 'failed' ? c.failure.message : '')).slice(0, 2).join('; ')}`);
    const maxRuns = quick ? 1 : n >= 100 ? 6 : n >= 10 ? 6 : 10;
    const times: number[] = [];
    const cpu: number[] = [];
    const serverCpu: number[] = [];
    const requests: number[] = [];
    const rounds: number[] = [];
    // Timed runs follow each other as an admin's refreshes do: no forced collection before them (a full
    // collection shrinks the heap, and the refresh right after it paid ~70 ms at 100 workspaces for
    // growing it again). The memory is measured in a run of its own, below.
    for (let i = 0; i < maxRuns; i++) {
      await worker.call<AccountRequests>({ cmd: 'takeRequests' });
      const c0 = process.cpuUsage();
      const s = performance.now();
      last = await refresh();
      times.push(performance.now() - s);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      const r = await worker.call<AccountRequests>({ cmd: 'takeRequests' });
      requests.push(r.workspace + r.account);
      serverCpu.push(r.cpuMs);
      rounds.push(roundsOf(r.at, FLEET_LATENCY_MS));
    }
    if (process.env.PC_BENCH_TIMES) log(`    ${n}: ${times.map((t) => t.toFixed(0)).join(' ')} ms; CPU ${cpu.map((t) => t.toFixed(0)).join(' ')}`);
    // the memory run: from a collected heap, the peak above it while a refresh runs
    forceGc();
    const base = heapMb();
    let top = base;
    const sampler = setInterval(() => (top = Math.max(top, heapMb())), 5);
    last = await refresh();
    clearInterval(sampler);
    const peak = Math.max(top, heapMb()) - base;
    forceGc();
    const retained = (heapMb() - heap0) / n;
    void last;
    const sorted = [...times].sort((a, b) => a - b);
    return {
      workspaces: n,
      runs: times.length,
      coldMs,
      medianMs: median(times),
      p95Ms: percentile(sorted, 95),
      cpuMs: median(cpu),
      serverCpuMs: median(serverCpu),
      requests: median(requests),
      rounds: median(rounds),
      concurrency: DEFAULT_REFRESH_CONCURRENCY,
      retainedMbPerWorkspace: retained,
      peakMbDuringRefresh: peak,
      loaded,
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await worker.close();
  }
}

export interface FleetResult {
  rows: FleetRow[];
  /** 100 workspaces' median over one workspace's */
  factor: number | null;
  met: boolean | null;
  /** the same shape through bare undici and a bare server (./fleetFloor.ts): this machine's own factor */
  floor: { rows: FloorRow[]; factor: number | null; perRound: number[] } | null;
}

/** The mean answer size of a fleet detection of the generated workspaces (measured: 670 B). */
const FLOOR_BODY_BYTES = 670;

export async function benchFleet(o: { quick: boolean; log: (line: string) => void }): Promise<FleetResult> {
  const rows: FleetRow[] = [];
  for (const n of FLEET_SIZES) rows.push(await one(n, o.quick, o.log));
  const single = rows.find((r) => r.workspaces === 1);
  const hundred = rows.find((r) => r.workspaces === 100);
  const factor = single && hundred ? hundred.medianMs / single.medianMs : null;
  // the floor: as many requests per workspace as the 100-workspace refresh sent, in as many rounds as one workspace saw
  let floor: FleetResult['floor'] = null;
  if (single && hundred) {
    const perWorkspace = Math.round(hundred.requests / hundred.workspaces);
    const rounds = Math.max(1, single.rounds);
    const perRound = Array.from({ length: rounds }, (_, i) => Math.floor(perWorkspace / rounds) + (i < perWorkspace % rounds ? 1 : 0));
    const floorRows = await benchFleetFloor([1, 100], { perRound, latencyMs: FLEET_LATENCY_MS, bodyBytes: FLOOR_BODY_BYTES }, o.quick);
    const [f1, f100] = floorRows;
    floor = { rows: floorRows, factor: f100.medianMs / f1.medianMs, perRound };
  }
  return { rows, factor, met: factor === null ? null : factor <= FLEET_TARGET_FACTOR, floor };
}

export function printFleet(r: FleetResult, table: (header: string[], body: string[][]) => string): void {
  const f = (n: number, d = 0): string => n.toFixed(d);
  console.log(`\nFleet refresh (${FLEET_LATENCY_MS} ms per request, 30 partners per workspace, at most ${DEFAULT_REFRESH_CONCURRENCY} workspaces at once; warm = tokens and connections in place)\n`);
  console.log(
    table(
      ['workspaces', 'runs', 'median ms', 'p95 ms', 'cold ms', 'client CPU ms', 'emulator CPU ms', 'HTTP req', 'rounds', 'heap MiB/ws', 'peak MiB'],
      r.rows.map((x) => [String(x.workspaces), String(x.runs), f(x.medianMs, 1), f(x.p95Ms, 1), f(x.coldMs, 1), f(x.cpuMs, 1), f(x.serverCpuMs, 1), f(x.requests), f(x.rounds), f(x.retainedMbPerWorkspace, 3), f(x.peakMbDuringRefresh, 1)]),
    ),
  );
  if (r.factor !== null) {
    console.log(`\n  target: 100 workspaces ≤ ${FLEET_TARGET_FACTOR}× one workspace (median, warm) — ${r.factor.toFixed(2)}× → ${r.met ? 'MET' : 'NOT MET'}`);
  }
  if (r.floor && r.floor.factor !== null) {
    const [one, hundred] = r.floor.rows;
    console.log(
      `  floor on this machine (bare undici to a bare server, ${r.floor.perRound.join(' + ')} requests per workspace in ${r.floor.perRound.length} rounds, ${FLEET_LATENCY_MS} ms, no parsing or engine): ` +
        `1 workspace ${f(one.medianMs)} ms, 100 workspaces ${f(hundred.medianMs)} ms (client CPU ${f(hundred.cpuMs)} ms) — ${r.floor.factor.toFixed(2)}×`,
    );
    if (r.factor !== null) console.log(`  the extension over the floor: ${(r.factor / r.floor.factor).toFixed(2)}× the floor's factor; ${(r.rows[r.rows.length - 1].cpuMs / Math.max(1, hundred.cpuMs)).toFixed(1)}× its client CPU at 100`);
  }
}
