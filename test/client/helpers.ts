/**
 * Helpers of the client tests: an emulator-backed client, temp dirs, rejections. Seed names, the
 * emulator hooks and raw HTTP are in test/fixtures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorkspaceClient, type WorkspaceClient, type WorkspaceClientOptions } from '../../src/client';

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
