/**
 * Secret scrubbing for everything the client turns into text: error messages, body snippets and
 * log lines. Two layers: the literal secret values the client knows about (PAT, client secret,
 * fetched access tokens) and patterns that catch secrets we were never told about (a server or
 * proxy echoing a header, a `token_value` in a body we could not parse, a `dapi…` PAT).
 */

const REDACTED = '[REDACTED]';

/** Keys whose values are secrets, in JSON bodies, query strings and form bodies. */
const SECRET_KEYS = [
  'token_value',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'password',
  'token',
  'secret',
  'authorization',
  'personal_access_token',
];
const SECRET_KEY_ALT = SECRET_KEYS.join('|');

const PATTERNS: Array<[RegExp, string]> = [
  // "token_value": "..."  (JSON, also with escaped quotes inside a stringified body)
  [new RegExp(`(\\\\?"(?:${SECRET_KEY_ALT})\\\\?"\\s*:\\s*\\\\?")((?:[^"\\\\]|\\\\.)*?)(\\\\?")`, 'gi'), `$1${REDACTED}$3`],
  // Authorization / Proxy-Authorization header values, Bearer and Basic credentials
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // token_value=...  (query strings, form bodies, INI-ish text)
  [new RegExp(`(\\b(?:${SECRET_KEY_ALT})\\s*[=:]\\s*)([^\\s&"',;]+)`, 'gi'), `$1${REDACTED}`],
  // Databricks personal access tokens
  [/\bdapi[0-9a-zA-Z]{8,}(?:-\d+)?/g, REDACTED],
  // Databricks OAuth secrets
  [/\bdose[0-9a-zA-Z]{8,}/g, REDACTED],
  // JWT-looking tokens (OAuth access tokens)
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?/g, REDACTED],
];

/** Removes every known secret value and every secret-looking pattern from `text`. */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  const known = [...knownSecrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of known) out = out.split(s).join(REDACTED);
  for (const [re, repl] of PATTERNS) out = out.replace(re, repl);
  return out;
}

/** True when a query/form parameter name denotes a secret. */
export function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_KEYS.some((k) => n === k || n.endsWith(`_${k}`));
}

/** A path with query, where the values of secret-like parameters are replaced. */
export function redactPathAndQuery(pathWithQuery: string): string {
  const i = pathWithQuery.indexOf('?');
  if (i < 0) return pathWithQuery;
  const path = pathWithQuery.slice(0, i);
  const params = new URLSearchParams(pathWithQuery.slice(i + 1));
  const parts: string[] = [];
  for (const [k, v] of params) parts.push(`${encodeURIComponent(k)}=${isSecretParam(k) ? REDACTED : encodeURIComponent(v)}`);
  return `${path}?${parts.join('&')}`;
}

/**
 * A short, single-line, printable excerpt of a body for an error message: control characters
 * and runs of whitespace collapsed, secrets removed, cut to `max` characters.
 */
export function bodySnippet(text: string, knownSecrets: Iterable<string> = [], max = 100): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const clean = redactSecrets(oneLine, knownSecrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
