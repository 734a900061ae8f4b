/** Main-thread handle of an emulator running in a worker thread (./emulatorWorker.ts). */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Command, LoggedRequest, RelayStats, Reply, StartArgs, StartResult, StateCounts } from './protocol';

const CALL_TIMEOUT_MS = 60_000;

export class RemoteEmulator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  /** direct URL of the emulator */
  url = '';
  /** byte/connection-counting relay in front of the same emulator */
  countingUrl = '';
  adminToken = '';

  private constructor(
    private readonly worker: Worker,
    readonly latencyMs: number,
  ) {
    worker.on('message', (r: Reply) => this.settle(r));
    worker.on('error', (e) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(e);
      }
      this.pending.clear();
    });
  }

  static async start(args: StartArgs): Promise<RemoteEmulator> {
    const emu = new RemoteEmulator(new Worker(join(__dirname, 'emulatorWorker.js')), args.latencyMs);
    try {
      const started = (await emu.call({ cmd: 'start', args })) as StartResult;
      emu.url = started.url;
      emu.countingUrl = started.countingUrl;
      emu.adminToken = started.adminToken;
    } catch (e) {
      await emu.worker.terminate();
      throw e;
    }
    return emu;
  }

  private settle(r: Reply): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.result);
    else p.reject(new Error(`emulator worker: ${r.error}`));
  }

  private call(command: Command): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`emulator worker: ${command.cmd} timed out`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, command });
    });
  }

  /** Reloads the seed, re-adds the fillers and the latency rule, clears the request log. */
  async reset(): Promise<void> {
    await this.call({ cmd: 'reset' });
  }
  /** The request log since the last call (and clears it). */
  async takeRequests(): Promise<LoggedRequest[]> {
    return (await this.call({ cmd: 'takeRequests' })) as LoggedRequest[];
  }
  async relayStats(): Promise<RelayStats> {
    return (await this.call({ cmd: 'relayStats' })) as RelayStats;
  }
  async counts(): Promise<StateCounts> {
    return (await this.call({ cmd: 'counts' })) as StateCounts;
  }
  async hasPath(path: string): Promise<boolean> {
    return (await this.call({ cmd: 'hasPath', path })) as boolean;
  }
  async close(): Promise<void> {
    try {
      await this.call({ cmd: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}
