/**
 * Raw HTTP with the same credentials as the product's client, for the few checks that are about the
 * wire itself (a response header, the exact error body, how large ids are spelled) and for fixtures
 * the extension never creates (a schema to grant on). Everything else goes through src/client.
 *
 * Retries: none. A raw call is one request and its answer, whatever the status.
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';
import type { AuthConfig } from '../src/client';
import { createHttpTransport, DatabricksApiError, normaliseHost, redactSecrets, STATUS_ERROR_CODES } from '../src/client';
import type { AuthProvider } from '../src/client/auth/provider';
import { createAuthProvider } from '../src/client/workspaceClient';

export interface RawResponse {
  status: number;
  /** lower-case names */
  headers: Record<string, string>;
  /** the body, secrets redacted */
  text: string;
  /** the body parsed as JSON, undefined when it is not JSON */
  json: unknown;
}

export interface RawClient {
  request(method: string, path: string, p?: { query?: Record<string, string>; body?: unknown; signal?: AbortSignal }): Promise<RawResponse>;
  close(): Promise<void>;
}

export function createRawClient(o: { host: string; auth: AuthConfig; env?: Record<string, string | undefined>; timeoutMs?: number }): RawClient {
  const host = normaliseHost(o.host);
  const env = o.env ?? process.env;
  const transport = createHttpTransport({ userAgent: 'partner-connect-conformance/raw', env, timeoutMs: o.timeoutMs });
  const provider: AuthProvider = createAuthProvider({ host, auth: o.auth, env, timeoutMs: o.timeoutMs }, host, transport);
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => env[k]);
  const dispatcher: Dispatcher = proxied
    ? new EnvHttpProxyAgent({ httpProxy: env.http_proxy ?? env.HTTP_PROXY, httpsProxy: env.https_proxy ?? env.HTTPS_PROXY, noProxy: env.no_proxy ?? env.NO_PROXY })
    : new Agent({ keepAliveTimeout: 10_000 });
  return {
    async request(method, path, p = {}) {
      const url = new URL(host + path);
      for (const [k, v] of Object.entries(p.query ?? {})) url.searchParams.set(k, v);
      const headers: Record<string, string> = { accept: 'application/json', ...(await provider.headers(p.signal)) };
      let body: string | undefined;
      if (p.body !== undefined) {
        body = JSON.stringify(p.body);
        headers['content-type'] = 'application/json';
      }
      const res = await request(url, { method: method as Dispatcher.HttpMethod, headers, body, dispatcher, signal: p.signal, headersTimeout: o.timeoutMs ?? 60_000, bodyTimeout: o.timeoutMs ?? 60_000 });
      const text = redactSecrets(await res.body.text(), provider.secrets());
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      let json: unknown;
      try {
        json = text.length ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: out, text, json };
    },
    async close() {
      await Promise.allSettled([dispatcher.close(), transport.close()]);
    },
  };
}

/** A raw answer that is not a success, as the client's own error type (so refusals read the same everywhere). */
export function rawError(method: string, path: string, r: RawResponse): DatabricksApiError {
  const b = (r.json ?? {}) as { error_code?: unknown; message?: unknown; detail?: unknown };
  const code = typeof b.error_code === 'string' ? b.error_code : STATUS_ERROR_CODES[r.status] ?? String(r.status);
  const message = typeof b.message === 'string' ? b.message : typeof b.detail === 'string' ? b.detail : r.text.slice(0, 200);
  return new DatabricksApiError({ status: r.status, errorCode: code, serverMessage: message, method, path, requestId: r.headers['x-request-id'] });
}

/** Sends a raw request and throws the client's error type unless the status is one of `ok`. */
export async function rawExpect(raw: RawClient, method: string, path: string, p: Parameters<RawClient['request']>[2], ok: number[] = [200]): Promise<RawResponse> {
  const r = await raw.request(method, path, p);
  if (!ok.includes(r.status)) throw rawError(method, path, r);
  return r;
}
