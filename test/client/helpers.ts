/** Shared helpers of the client tests: an emulator-backed client, tiny local servers, temp dirs. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceClient, type WorkspaceClient, type WorkspaceClientOptions } from '../../src/client';
import type { EmulatorHandle } from '../emulator';

export const SCIM = '/api/2.0/preview/scim/v2';
export const ADMIN = 'ava.admin@acme.example';
export const USER = 'noah.user@acme.example';
export const DBT_APP = '6f5ccf28-d83a-4957-9bfb-5bbfac551410';
export const CI_APP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
export const CI_SECRET = 'demo-oauth-secret-ci-deployer';

export interface LoggedClient {
  client: WorkspaceClient;
  log: string[];
}

/** A PAT client for the emulator with fast retries, an empty environment (no proxy) and a log. */
export function clientFor(emu: { url: string; adminToken: string }, o: Partial<WorkspaceClientOptions> = {}): LoggedClient {
  const log: string[] = [];
  const client = createWorkspaceClient({
    host: emu.url,
    auth: { type: 'pat', token: emu.adminToken },
    env: {},
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    statementPoll: { initialDelayMs: 1, maxDelayMs: 5 },
    logger: (l) => log.push(l),
    ...o,
  });
  return { client, log };
}

/** Requests the emulator logged for a method + path (exact). */
export function hits(emu: EmulatorHandle, method: string, path: string): number {
  return emu.requests.filter((r) => r.method === method && r.path === path).length;
}

export interface TinyServer {
  url: string;
  port: number;
  server: Server;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 for answers the emulator cannot give. */
export async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<TinyServer> {
  const requests: TinyServer['requests'] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function tempDir(prefix = 'pc-client-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rejects with the error `p` rejects with (fails when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
