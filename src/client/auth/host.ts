/**
 * Workspace host normalisation: `adb-123.4.azuredatabricks.net/?o=123#x` → `https://adb-123.4.azuredatabricks.net`.
 * Adds `https://` when no scheme is given, drops path, query (`?o=` workspace id), fragment and
 * trailing slash. Plain `http://` is refused unless the host is loopback (127.0.0.0/8, localhost,
 * ::1) — local emulators and tests only. Credentials embedded in the URL are refused.
 */
import { AuthConfigError } from '../errors';

export function normaliseHost(input: string): string {
  const raw = input.trim();
  if (raw === '') {
    throw new AuthConfigError('MISSING_HOST', 'No workspace host given. Enter the workspace URL, e.g. https://dbc-a1b2c3d4-e5f6.cloud.databricks.com.');
  }
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AuthConfigError('INVALID_HOST', `"${shorten(raw)}" is not a valid workspace URL. Use the form https://<workspace-host>.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AuthConfigError('INVALID_HOST', `Workspace URL scheme "${url.protocol}" is not supported; use https://.`);
  }
  if (url.username || url.password) {
    throw new AuthConfigError('INVALID_HOST', 'The workspace URL must not contain a user name or password; configure credentials separately.');
  }
  if (url.hostname === '') {
    throw new AuthConfigError('INVALID_HOST', `"${shorten(raw)}" has no host name. Use the form https://<workspace-host>.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AuthConfigError(
      'INSECURE_HOST',
      `Refusing plain http:// for ${url.hostname}: credentials would travel unencrypted. Use https:// (http is allowed only for loopback hosts such as 127.0.0.1).`,
    );
  }
  return url.origin;
}

/** 127.0.0.0/8, localhost (and *.localhost), ::1. Accepts a bracketed IPv6 hostname as URL gives it. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (m) return m.slice(1).every((p) => Number(p) <= 255);
  const mapped = /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(h) ?? /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.exec(h);
  return mapped !== null;
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
