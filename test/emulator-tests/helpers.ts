/** Small HTTP helpers for the emulator's own tests (real HTTP over 127.0.0.1). */
import type { EmulatorHandle } from '../emulator';

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  /** parsed JSON body, undefined when empty / not JSON */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test convenience
}

export async function call(
  emu: EmulatorHandle,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; query?: Record<string, string | number>; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<CallResult> {
  const url = new URL(path, emu.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const token = opts.token === undefined ? emu.adminToken : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export const SCIM = '/api/2.0/preview/scim/v2';
export const ADMIN = 'ava.admin@acme.example';
export const META = 'mia.meta@acme.example';
export const USER = 'noah.user@acme.example';
export const DBT_APP = '6f5ccf28-d83a-4957-9bfb-5bbfac551410';
export const HEX_APP = '0b7c1b3e-2f4a-4c55-9d8e-3a1f2e4d5c6b';
export const CI_APP = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
