/**
 * The one URL parser for every URL that comes from outside and is used to send a credential or to
 * open a page: a PartnerConfig's `base_url` (checked when the file is loaded), the redirect
 * allow-list of the Partner Connect protocol, and the opener (`src/vscode/ui/openUrl.ts` checks
 * what VS Code makes of the same text before anything is opened).
 *
 * Rules:
 * - an absolute `https:` URL, or `http:` only to a loopback host (`isLoopbackHost`: 127.0.0.0/8,
 *   ::1, `localhost` and names under `.localhost`, which the transport and the partner client
 *   resolve to loopback themselves, never through DNS or a proxy);
 * - no `user:password@`;
 * - canonical: the text is exactly what the WHATWG URL parser prints back (`url.href`; a bare origin
 *   may leave out the final `/`). Anything a parser could read in two ways is refused: `\`, spaces,
 *   tabs and line breaks, upper-case host names, default ports, dot segments, percent-encoding the
 *   parser would change. `https://app.partner.example\@evil.example/` is refused here, whereas a
 *   lenient parser reads app.partner.example and another reads evil.example.
 */
import { isLoopbackHost } from './auth/host';

export type UrlProblem = 'not-a-url' | 'not-canonical' | 'scheme' | 'insecure' | 'userinfo' | 'no-host' | 'query' | 'fragment';

export type CheckedUrl = { ok: true; url: URL } | { ok: false; problem: UrlProblem; reason: string };

export interface UrlRules {
  /** refuse a query string (a base URL that endpoint paths are appended to) */
  noQuery?: boolean;
  /** refuse a fragment */
  noFragment?: boolean;
}

// eslint-disable-next-line no-control-regex -- control characters are what makes a URL ambiguous
const AMBIGUOUS = /[\\\s\u0000-\u001f\u007f]/;

/** The origin and path of a URL, for log lines and messages (never its user info, query or fragment). */
export function originAndPath(url: URL | string): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Parses `input` by the rules above; the reason names the URL by origin + path only. */
export function checkUrl(input: string, rules: UrlRules = {}): CheckedUrl {
  const bad = (problem: UrlProblem, reason: string): CheckedUrl => ({ ok: false, problem, reason });
  let u: URL;
  try {
    u = new URL(input);
  } catch {
    return bad('not-a-url', 'is not an absolute URL');
  }
  const where = originAndPath(u);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return bad('scheme', `${u.protocol} URLs are not allowed (https only)`);
  if (u.username !== '' || u.password !== '') return bad('userinfo', `${where} must not contain a user name or password`);
  if (u.hostname === '') return bad('no-host', 'has no host name');
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return bad('insecure', `${where} uses plain http; use https (http is allowed only for loopback: 127.0.0.1, ::1, localhost and *.localhost)`);
  }
  const canonical = input === u.href || (u.pathname === '/' && u.search === '' && u.hash === '' && `${input}/` === u.href);
  if (AMBIGUOUS.test(input) || !canonical) return bad('not-canonical', `is not written in canonical form (it reads as ${where}): refused, because URL parsers may disagree about where it leads`);
  if (rules.noQuery && u.search !== '') return bad('query', `${where} must not have a query string`);
  if (rules.noFragment && u.hash !== '') return bad('fragment', `${where} must not have a fragment`);
  return { ok: true, url: u };
}

/** A PartnerConfig's `base_url`: https (http only for loopback), no user info, no query or fragment, canonical. */
export function checkPartnerBaseUrl(input: string): CheckedUrl {
  return checkUrl(input, { noQuery: true, noFragment: true });
}

/** Host names compare case-insensitively and without a trailing dot. */
export function normalizeHostname(h: string): string {
  return h.trim().toLowerCase().replace(/\.$/, '');
}

/** `scheme://host[:port]` of a URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
