/**
 * Workspace host normalisation: `adb-123.4.azuredatabricks.net/?o=123#x` → `https://adb-123.4.azuredatabricks.net`.
 * Adds `https://` when no scheme is given, drops path, query, fragment and trailing slash. Plain
 * `http://` is refused unless the host is a literal loopback address (127.0.0.0/8, ::1) or exactly
 * `localhost` — local emulators and tests only. Credentials embedded in the URL are refused.
 *
 * Unified hosts (one host name in front of many workspaces) name the workspace in the query:
 * `?w=<id>` (any identifier), `?o=<id>` or `?workspace_id=<id>` (numeric), as the SDKs read them;
 * `parseWorkspaceHost` returns that id so every request can carry `X-Databricks-Workspace-Id`.
 */
import { AuthConfigError } from '../errors';
import { redactSecrets } from '../redact';

export interface WorkspaceHost {
  /** Origin: scheme, host name, port. */
  host: string;
  /** Workspace id named by the URL's query, if any. */
  workspaceId?: string;
}

export function parseWorkspaceHost(input: string): WorkspaceHost {
  const raw = input.trim();
  if (raw === '') {
    throw new AuthConfigError('MISSING_HOST', 'No workspace host given. Enter the workspace URL, e.g. https://dbc-a1b2c3d4-e5f6.cloud.databricks.com.');
  }
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AuthConfigError('INVALID_HOST', `"${quoted(raw, withScheme)}" is not a valid workspace URL. Use the form https://<workspace-host>.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthConfigError('INVALID_HOST', `Workspace URL scheme "${url.protocol}" is not supported; use https://.`);
  }
  if (url.username || url.password) {
    throw new AuthConfigError('INVALID_HOST', 'The workspace URL must not contain a user name or password; configure credentials separately.');
  }
  if (url.hostname === '') {
    throw new AuthConfigError('INVALID_HOST', `"${quoted(raw, withScheme)}" has no host name. Use the form https://<workspace-host>.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AuthConfigError(
      'INSECURE_HOST',
      `Refusing plain http:// for ${url.hostname}: credentials would travel unencrypted. Use https:// (http is allowed only for loopback: 127.0.0.1, ::1, localhost and *.localhost, which this extension always resolves to loopback).`,
    );
  }
  const workspaceId = workspaceIdFromQuery(url.searchParams);
  return workspaceId !== undefined ? { host: url.origin, workspaceId } : { host: url.origin };
}

export function normaliseHost(input: string): string {
  return parseWorkspaceHost(input).host;
}

/** `?w=` (any identifier) wins over `?o=` / `?workspace_id=` (numeric only), as in the SDKs. */
export function workspaceIdFromQuery(q: URLSearchParams): string | undefined {
  const w = q.get('w')?.trim();
  if (w) return w;
  for (const key of ['o', 'workspace_id']) {
    const v = q.get(key)?.trim();
    if (v && /^\d{1,19}$/.test(v)) return v;
  }
  return undefined;
}

/**
 * Literal loopback addresses (127.0.0.0/8, ::1, IPv4-mapped 127.x), `localhost` and names under
 * `.localhost`. A system resolver or a proxy could send a `*.localhost` name elsewhere, so the
 * transport never lets them: it resolves localhost names to loopback itself (RFC 6761 §6.3,
 * ../http/lookup.ts) and never sends them through a proxy (../http/proxy.ts). Not `localhost.`
 * (a fully qualified name some resolvers look up). Accepts a bracketed IPv6 hostname as URL gives it.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.localhost$/.test(h)) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (m) return m.slice(1).every((p) => Number(p) <= 255);
  const mapped = /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(h) ?? /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.exec(h);
  return mapped !== null;
}

/** https, or http to a loopback host: the only URLs a credential may be sent to. */
export function isSecureOrLoopbackUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Azure Databricks host names (public cloud, US Government, China). */
export function isAzureHost(host: string): boolean {
  let h: string;
  try {
    h = new URL(host).hostname.toLowerCase();
  } catch {
    return false;
  }
  return /\.(azuredatabricks\.net|databricks\.azure\.us|databricks\.azure\.cn)$/.test(h);
}

/**
 * The input as an error message may quote it: a password in it (`u:pw@…`, `?token=…`) redacted —
 * looked for in the URL as parsed, with the scheme added — and cut to 80 characters.
 */
function quoted(raw: string, withScheme: string): string {
  const added = withScheme.length - raw.length;
  const s = redactSecrets(withScheme).slice(added);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
