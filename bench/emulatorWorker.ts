/**
 * Worker-thread host of one workspace emulator (see ./protocol.ts). Listens on 127.0.0.1 only.
 * Besides the emulator it runs a tiny TCP relay, also on 127.0.0.1, that counts bytes and
 * connections; the bench sends a run through it only when it wants those numbers.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { startEmulator, type EmulatorHandle, type EmulatorState } from '../test/emulator';
import { startOfDay } from '../test/emulator/state';
import { collectGarbage } from './gc';
import type { Command, Envelope, LoggedRequest, RelayStats, Reply, StartArgs, StartResult, StateCounts } from './protocol';

const HOST = '127.0.0.1';

let emu: EmulatorHandle | undefined;
let relay: Server | undefined;
let startArgs: StartArgs | undefined;
const relaySockets = new Set<Socket>();
const stats: RelayStats = { bytesUp: 0, bytesDown: 0, connections: 0 };

function pad(n: number): string {
  return String(n).padStart(5, '0');
}

/** Filler principals and tokens: a busy workspace where almost nothing belongs to a partner. */
function populate(state: EmulatorState, args: StartArgs): void {
  const admin = [...state.users.values()].find((u) => u.groups.has('admins'));
  if (!admin) throw new Error('bench seed has no admin user');
  const fillers = [];
  for (let i = 1; i <= args.fillerServicePrincipals; i++) {
    fillers.push(state.addServicePrincipal({ displayName: `svc-filler-${pad(i)}`, entitlements: ['workspace-access'] }));
  }
  for (let i = 0; i < args.fillerTokens && fillers.length > 0; i++) {
    const owner = fillers[(i * 7919) % fillers.length];
    // used today: the emulator revokes tokens unused for 90 days (as Databricks does), which would empty the list
    state.issueToken({ owner, createdBy: admin, comment: `filler token ${i + 1}`, creationTime: 1_700_000_000_000 + i * 1000, lastUsedDay: startOfDay(state.now()) });
  }
  for (let i = 1; i <= (args.fillerWarehouses ?? 0); i++) {
    const id = `f111${pad(i)}0000000`.slice(0, 16);
    state.warehouses.set(id, {
      id,
      name: `wh-filler-${pad(i)}`,
      state: 'STOPPED',
      cluster_size: 'X-Small',
      min_num_clusters: 1,
      max_num_clusters: 1,
      auto_stop_mins: 10,
      warehouse_type: 'PRO',
      enable_serverless_compute: false,
      creator_name: admin.userName,
      creator_id: admin.id,
      tags: [],
      acl: [{ kind: 'user', name: admin.userName, level: 'IS_OWNER' }],
      startingPollsLeft: 0,
    });
  }
  for (let i = 1; i <= (args.fillerCatalogs ?? 0); i++) {
    const name = `cat_filler_${pad(i)}`;
    state.catalogs.set(name, { name, owner: admin.userName, catalog_type: 'MANAGED_CATALOG', created_at: 1_700_000_000_000, created_by: admin.userName });
  }
}

function applyLatency(handle: EmulatorHandle, ms: number): void {
  handle.faults.clear();
  // '*' is a prefix rule with an empty prefix: it matches every path. A rule with only delayMs adds latency.
  if (ms > 0) handle.faults.add({ path: '*', delayMs: ms });
}

function startRelay(target: number): Promise<number> {
  relay = createServer((client) => {
    stats.connections += 1;
    relaySockets.add(client);
    const upstream = tcpConnect(target, HOST);
    relaySockets.add(upstream);
    client.on('data', (b: Buffer) => {
      stats.bytesUp += b.length;
    });
    upstream.on('data', (b: Buffer) => {
      stats.bytesDown += b.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      relaySockets.delete(client);
      relaySockets.delete(upstream);
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  return new Promise((resolve, reject) => {
    relay!.once('error', reject);
    relay!.listen(0, HOST, () => {
      const a = relay!.address();
      if (a === null || typeof a === 'string') reject(new Error('relay has no port'));
      else resolve(a.port);
    });
  });
}

async function handle(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'start': {
      startArgs = c.args;
      emu = await startEmulator({ seed: c.args.seed, host: HOST, port: 0 });
      populate(emu.state, c.args);
      applyLatency(emu, c.args.latencyMs);
      const port = Number(new URL(emu.url).port);
      const relayPort = await startRelay(port);
      const r: StartResult = { url: emu.url, countingUrl: `http://${HOST}:${relayPort}`, adminToken: emu.adminToken };
      return r;
    }
    case 'reset': {
      if (!emu || !startArgs) throw new Error('not started');
      emu.reset();
      populate(emu.state, startArgs);
      applyLatency(emu, startArgs.latencyMs);
      // the garbage of the old state (1 000+ principals, 300 tokens) is collected now, untimed, not in
      // the middle of the timed run that follows (it inflated a disconnect or rotate at 0 ms ~2x)
      collectGarbage();
      return null;
    }
    case 'takeRequests': {
      if (!emu) throw new Error('not started');
      const out: LoggedRequest[] = emu.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, at: r.at }));
      emu.clearRequests();
      return out;
    }
    case 'relayStats':
      return { ...stats };
    case 'counts': {
      if (!emu) throw new Error('not started');
      const s = emu.state;
      const r: StateCounts = { servicePrincipals: s.servicePrincipals.size, tokens: s.tokens.size, warehouses: s.warehouses.size, files: s.files.size };
      return r;
    }
    case 'hasPath': {
      if (!emu) throw new Error('not started');
      return emu.state.files.has(c.path);
    }
    case 'close': {
      for (const s of relaySockets) s.destroy();
      await new Promise<void>((resolve) => (relay ? relay.close(() => resolve()) : resolve()));
      if (emu) await emu.close();
      return null;
    }
  }
}

if (!parentPort) throw new Error('emulatorWorker must run in a worker thread');
const port = parentPort;
port.on('message', (m: Envelope) => {
  handle(m.command).then(
    (result) => port.postMessage({ id: m.id, ok: true, result } satisfies Reply),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies Reply),
  );
});
