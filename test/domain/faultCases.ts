/** Fault-injection helpers shared by the engine's fault tests. */
import { loadBuiltinCatalog, type CatalogPartner, type ConnectChoices } from '../../src/domain';
import { readFileSync } from 'node:fs';
import type { FaultRule, Seed } from '../emulator';
import { DEMO_SEED_PATH, seedPath } from '../emulator';
import { clientFor, type Env } from './helpers';
import type { WorkspaceClient } from '../../src/client';
import { STARTER_WAREHOUSE } from '../fixtures/seed';

export const catalog = loadBuiltinCatalog();

export interface Case {
  name: string;
  partner: CatalogPartner;
  choices: ConnectChoices;
  seed?: Seed | string;
}

/** The demo workspace on Azure: on-behalf-of tokens refused, so the credential step creates an OAuth secret. */
function azureDemoSeed(): Seed {
  const seed = JSON.parse(readFileSync(DEMO_SEED_PATH, 'utf8')) as Seed & { options?: Record<string, unknown> };
  return { ...seed, options: { ...(seed.options ?? {}), cloud: 'azure' } } as Seed;
}

export const CASES: Case[] = [
  {
    name: 'Dataiku, Unity Catalog, new warehouse',
    partner: catalog.require('dataiku'),
    choices: { catalog: 'analytics', schemas: ['marketing', 'finance'], isHive: false, warehouse: { kind: 'create', name: 'DATAIKU_ENDPOINT' } },
  },
  {
    name: 'Hightouch, Hive metastore, existing warehouse',
    partner: catalog.require('hightouch'),
    choices: { catalog: 'hive_metastore', schemas: ['marketing'], isHive: true, warehouse: { kind: 'existing', id: '1a2b3c4d5e6f7a8b' } },
    seed: seedPath('hive-only.json'),
  },
  {
    // every fault of the token step, for the secret step: the OBO refusal, then the OAuth secret
    name: 'Census, Azure (OAuth secret), Unity Catalog, existing warehouse',
    partner: catalog.require('census'),
    choices: { catalog: 'analytics', schemas: ['marketing'], isHive: false, warehouse: { kind: 'existing', id: STARTER_WAREHOUSE } },
    seed: azureDemoSeed(),
  },
];

/**
 * The faults of the matrix: an error answer (500), one after the server did the work; throttling
 * (429, 503 with Retry-After) until the client's retries run out, and once after the work (the client
 * retries a request that was already carried out); a connection reset before and after the work; a
 * timeout (the request is carried out later).
 */
export type Kind = '500' | '500-after' | '429' | '503' | '429-after' | '503-after' | 'reset' | 'reset-after' | 'timeout';
export const KINDS: Kind[] = ['500', '500-after', '429', '503', '429-after', '503-after', 'reset', 'reset-after', 'timeout'];
export const MUTATING = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * Which kinds a request of the matrix gets: every kind at a POST; no timeout at the other writes (they
 * are idempotent and retried); a read, which changes nothing, 500 and a reset (one error answer, one
 * lost connection).
 */
export const kindsFor = (method: string): Kind[] => (method === 'POST' ? KINDS : MUTATING.has(method) ? KINDS.filter((k) => k !== 'timeout') : ['500', 'reset']);

export function rule(kind: Kind, method: string, path: string, nth: number): FaultRule {
  switch (kind) {
    case '500':
      return { method, path, nth, status: 500 };
    case '500-after':
      return { method, path, nth, status: 500, after: true };
    case '429':
    case '503':
      return { method, path, nth, times: 3, status: Number(kind), headers: { 'retry-after': '0' } }; // as many as the client tries
    case '429-after':
    case '503-after':
      return { method, path, nth, status: kind === '429-after' ? 429 : 503, after: true, headers: { 'retry-after': '0' } };
    case 'reset':
      return { method, path, nth, reset: true, times: 3 };
    case 'reset-after':
      return { method, path, nth, reset: true, after: true };
    case 'timeout':
      return { method, path, nth, delayMs: TIMEOUT_MS * 2, times: 3 };
  }
}

/** The client timeout of a request a timeout fault holds (the rule holds its answer twice as long, then does the work). */
export const TIMEOUT_MS = 80;

/**
 * A client for the timeout faults: only a request the emulator is about to hold (a delay rule acts on
 * it) gets the short timeout; every other request has the normal one, so a read that is slow on a
 * loaded machine does not time out in place of the faulted request. `timedOut()`: whether a request
 * timed out since `forget()`.
 */
export interface TimeoutClient {
  client: WorkspaceClient;
  timedOut(): boolean;
  forget(): void;
}
export function timeoutClientFor(env: Env): TimeoutClient {
  const log: string[] = [];
  const client = clientFor(env.emu, env.emu.adminToken, log, { requestTimeoutMs: (method, path) => (env.emu.faults.next(method, path)?.delayMs ? TIMEOUT_MS : undefined) });
  return { client, timedOut: () => log.some((l) => l.includes('REQUEST_TIMEOUT')), forget: () => void (log.length = 0) };
}

/** A request of a clean run: method, path and its occurrence; `pattern` / `nthOfPattern` match it in a later run. */
export interface CleanRequest {
  method: string;
  path: string;
  /** occurrence of this method + path */
  nth: number;
  /** the path with every id-like segment (a run of digits, a hex id) matching any id: ids differ from run to run */
  pattern: RegExp;
  /** occurrence of this method + pattern */
  nthOfPattern: number;
}

const ID_SEGMENT = /^(?:\d{6,}|[0-9a-f]{12,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const escape = (x: string): string => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `path` with its id-like segments matching any id */
export const pathPattern = (path: string): RegExp => new RegExp(`^${path.split('/').map((seg) => (ID_SEGMENT.test(seg) ? '[^/]+' : escape(seg))).join('/')}$`);

/** The requests a clean run makes, with the occurrence number of each method+path. */
export async function requestsOf(env: Env, run: () => Promise<unknown>): Promise<CleanRequest[]> {
  env.emu.clearRequests();
  await run();
  const seen = new Map<string, number>();
  const count = (k: string): number => {
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    return n;
  };
  return env.emu.requests.map((r) => {
    const pattern = pathPattern(r.path);
    return { method: r.method, path: r.path, nth: count(`${r.method} ${r.path}`), pattern, nthOfPattern: count(`${r.method} ${pattern.source}`) };
  });
}

/**
 * Waits until the emulator has answered every request it received for a method + path (a delayed
 * request is logged with status 0 until it is answered). Only for delay faults, where no request
 * is reset (a reset one also keeps status 0).
 */
export async function quiesce(env: Env, method?: string, path?: string): Promise<void> {
  if (!method) return;
  const pending = (): boolean => env.emu.requests.some((r) => r.method === method && r.path === path && r.status === 0);
  for (let i = 0; i < 500 && pending(); i++) await new Promise((r) => setTimeout(r, 10));
}
