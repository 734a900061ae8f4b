/**
 * The floor of the fleet scenario (./fleet.ts) on this machine: the same number of workspaces,
 * requests per workspace and sequential rounds, the same injected latency and keep-alive, but bare
 * undici against a bare Node HTTP server (in a child process, as the account emulator is) — no
 * parsing, no schemas, no engine. What 100 workspaces cost over one there is what HTTP/1.1 and this
 * machine's cores cost by themselves; the extension's factor is read against it.
 *
 * Run as a child with `server <latencyMs> <bodyBytes>`: it prints its port over IPC.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { median } from './measure';

export interface FloorShape {
  /** requests per workspace in each sequential round (one workspace's detection has 3–4) */
  perRound: number[];
  latencyMs: number;
  /** size of each answer (about the detection's average) */
  bodyBytes: number;
}

export interface FloorRow {
  workspaces: number;
  runs: number;
  medianMs: number;
  cpuMs: number;
  requests: number;
}

function serve(latencyMs: number, bodyBytes: number): void {
  const body = JSON.stringify({ value: 'x'.repeat(Math.max(0, bodyBytes - 12)) });
  const server = createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': '00000000-0000-4000-8000-000000000000' });
      res.end(body);
    }, latencyMs);
  });
  // idle connections kept as the account emulator keeps them (60 s)
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.send?.(typeof a === 'object' && a ? a.port : 0);
  });
  process.on('disconnect', () => process.exit(0));
}

/** Median warm refresh of `n` bare workspaces (each its own keep-alive agent). */
async function measure(port: number, n: number, shape: FloorShape, runs: number): Promise<FloorRow> {
  const agents = Array.from({ length: n }, () => new Agent({ keepAliveTimeout: 60_000 }));
  const url = `http://127.0.0.1:${port}/api/2.0/floor`;
  const refresh = async (): Promise<void> => {
    await Promise.all(
      agents.map(async (dispatcher) => {
        for (const k of shape.perRound) {
          await Promise.all(
            Array.from({ length: k }, async () => {
              const r = await request(url, { dispatcher, headers: { accept: 'application/json', authorization: 'Bearer floor' } });
              await r.body.text();
            }),
          );
        }
      }),
    );
  };
  try {
    await refresh();
    await refresh();
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await refresh();
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    return { workspaces: n, runs, medianMs: median(times), cpuMs: median(cpu), requests: n * shape.perRound.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(agents.map((a) => a.close()));
  }
}

export async function benchFleetFloor(sizes: readonly number[], shape: FloorShape, quick: boolean): Promise<FloorRow[]> {
  const child = fork(__filename, ['server', String(shape.latencyMs), String(shape.bodyBytes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fleet floor: the server did not start in 30 s')), 30_000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve(Number(m));
      });
      child.once('error', reject);
    });
    const rows: FloorRow[] = [];
    for (const n of sizes) rows.push(await measure(port, n, shape, quick ? 2 : n >= 100 ? 8 : 10));
    return rows;
  } finally {
    child.kill();
  }
}

if (require.main === module && process.argv[2] === 'server') serve(Number(process.argv[3]), Number(process.argv[4]));
