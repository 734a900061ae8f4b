/**
 * Which proxy to use. The choice per request (including NO_PROXY matching: exact host, its
 * subdomains, a leading `.` or `*.`, `host:port`, `*`) is undici's `EnvHttpProxyAgent`; this module
 * only decides its inputs:
 *
 * - VS Code's settings when given (`http.proxy` for every request, `http.noProxy` hosts reached
 *   directly, `http.proxyAuthorization` sent to the proxy, `http.proxyStrictSSL`);
 * - otherwise the environment: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, lowercase names first (as curl
 *   and undici read them). https targets use HTTPS_PROXY, falling back to HTTP_PROXY.
 * - `localhost` and every `*.localhost` name are never proxied (the transport resolves them itself).
 */

export type Env = Record<string, string | undefined>;

/** Network settings as VS Code users set them (all optional; unset ones fall back to the environment). */
export interface NetworkOptions {
  /** `http.proxy`: the proxy URL for every request; overrides HTTPS_PROXY / HTTP_PROXY. */
  proxy?: string;
  /** `http.noProxy`: hosts reached directly; overrides NO_PROXY. */
  noProxy?: readonly string[];
  /** `http.proxyStrictSSL` (default true): verify certificates on connections through the proxy. */
  proxyStrictSSL?: boolean;
  /** `http.proxyAuthorization`: the Proxy-Authorization header value (a secret). */
  proxyAuthorization?: string;
  /** `http.systemCertificates` (default true): trust the operating system's CA certificates. */
  systemCertificates?: boolean;
}

export interface ProxyConfig {
  /** Empty string: none. */
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  /** Where the proxy came from, for the log. */
  source: 'settings' | 'environment' | 'none';
}

function envValue(env: Env, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** `proxy.corp:3128` → `http://proxy.corp:3128`. */
function withScheme(proxy: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

/**
 * NO_PROXY plus `localhost` (which undici's matching extends to every `*.localhost` name): localhost
 * names are resolved to loopback by the transport itself (./lookup.ts) and must never reach a proxy.
 */
function withLocalhost(noProxy: string): string {
  if (noProxy.trim() === '*') return '*';
  return noProxy.trim() === '' ? 'localhost' : `${noProxy},localhost`;
}

export function proxyConfig(env: Env, network: NetworkOptions = {}): ProxyConfig {
  const noProxyList = network.noProxy?.map((h) => h.trim()).filter((h) => h !== '');
  const noProxy = withLocalhost(noProxyList && noProxyList.length > 0 ? noProxyList.join(',') : (envValue(env, 'no_proxy') ?? ''));
  const fromSettings = network.proxy?.trim();
  if (fromSettings) {
    const p = withScheme(fromSettings);
    return { httpProxy: p, httpsProxy: p, noProxy, source: 'settings' };
  }
  const http = envValue(env, 'http_proxy');
  const https = envValue(env, 'https_proxy') ?? http;
  if (!http && !https) return { httpProxy: '', httpsProxy: '', noProxy, source: 'none' };
  return { httpProxy: http ? withScheme(http) : '', httpsProxy: https ? withScheme(https) : '', noProxy, source: 'environment' };
}

