/**
 * Messages between the bench (main thread) and an emulator running in a worker thread.
 *
 * The emulator runs in its own thread so that server work and client work do not share one event
 * loop: on this 2-core machine the client and the emulator then run side by side, as they would
 * against a real workspace.
 */
import type { Seed } from '../test/emulator';

export interface StartArgs {
  seed: Seed;
  /** extra service principals named `svc-filler-00001` … added after the seed (and after every reset) */
  fillerServicePrincipals: number;
  /** extra tokens spread over the filler principals (created by the seed's admin) */
  fillerTokens: number;
  /** extra SQL warehouses `wh-filler-NNNNN` (stopped, owned by the seed's admin); default 0 */
  fillerWarehouses?: number;
  /** extra Unity Catalog catalogs `cat_filler_NNNNN` (owned by the seed's admin); default 0 */
  fillerCatalogs?: number;
  /** latency injected on every route (emulator fault `delayMs` on path '*'); 0 = none */
  latencyMs: number;
}

export interface StartResult {
  /** direct URL of the emulator */
  url: string;
  /** URL of a byte- and connection-counting TCP relay in front of the same emulator */
  countingUrl: string;
  adminToken: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** arrival time (ms, worker clock = same process clock) */
  at: number;
}

export interface RelayStats {
  /** bytes client → emulator */
  bytesUp: number;
  /** bytes emulator → client */
  bytesDown: number;
  /** TCP connections accepted */
  connections: number;
}

export interface StateCounts {
  servicePrincipals: number;
  tokens: number;
  warehouses: number;
  files: number;
}

export type Command =
  | { cmd: 'start'; args: StartArgs }
  | { cmd: 'reset' }
  | { cmd: 'takeRequests' }
  | { cmd: 'relayStats' }
  | { cmd: 'counts' }
  | { cmd: 'hasPath'; path: string }
  | { cmd: 'close' };

export interface Envelope {
  id: number;
  command: Command;
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
