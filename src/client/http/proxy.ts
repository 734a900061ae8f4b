/**
 * Proxy selection from the environment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lowercase names win,
 * as in curl and undici). https targets use HTTPS_PROXY, falling back to HTTP_PROXY; http targets
 * use HTTP_PROXY. NO_PROXY is a comma/space separated list: `*` (everything), host names (matching
 * the host and its subdomains; a leading `.` or `*.` is allowed), IP addresses, optional `:port`.
 */

import { isLocalhostName } from './lookup';

export type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** The proxy URL to use for `target`, or undefined for a direct connection. */
export function proxyForUrl(target: string | URL, env: Env): string | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  // localhost names are resolved to loopback by the transport itself (./lookup.ts): a proxy must never get them
  if (isLocalhostName(url.hostname)) return undefined;
  const proxy = url.protocol === 'https:' ? (envValue(env, 'https_proxy') ?? envValue(env, 'http_proxy')) : envValue(env, 'http_proxy');
  if (proxy === undefined) return undefined;
  if (bypassesProxy(url, envValue(env, 'no_proxy'))) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/** True when NO_PROXY says `url` must be reached directly. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const rawEntry of noProxy.split(/[\s,]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    let name = entry;
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      name = bracketed[1];
      entryPort = bracketed[2];
    } else {
      const m = /^([^:]+):(\d+)$/.exec(entry);
      if (m) {
        name = m[1];
        entryPort = m[2];
      }
    }
    if (entryPort !== undefined && entryPort !== port) continue;
    name = name.replace(/^\*?\./, '');
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
