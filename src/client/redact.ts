/**
 * The one secret redactor of the project: every error message, body snippet, log line (the client's,
 * the Partner Connect protocol client's and the extension's output channel) goes through it.
 *
 * Two layers:
 * 1. the literal secret values in use (PATs, client secrets, fetched access tokens, partner
 *    passwords), also in their URL-encoded and JSON-escaped forms;
 * 2. patterns that catch secrets nobody registered: `Authorization:` / `Proxy-Authorization:` header
 *    values of any scheme (`Bearer`, `Basic`, `token`, …), `Bearer` / `Basic` credentials in any case,
 *    `key=value` / `key: value` / `"key": "value"` for secret-like keys (token, client_secret,
 *    password, pwd, api_key, service_principal_oauth_secret, …) — also when the JSON string is
 *    cut off — URL user info (`https://user:pass@host`), JWTs, Databricks PATs (`dapi…`) and OAuth
 *    secrets (`dose…`), PEM private keys, cookies.
 */

export const REDACTED = '[REDACTED]';

/**
 * A key whose value is a secret: ends with secret / token / password / passwd / pwd / api key /
 * authorization / credential(s) / private key / cookie (so `client_secret`, `token_value`,
 * `personal_access_token`, `service_principal_oauth_secret`, `X-Databricks-Azure-SP-Management-Token`
 * all match; `token_type`, `token_id`, `expiry_time` do not).
 */
const KEY = String.raw`[A-Za-z0-9_.-]*?(?:secret|token|password|passwd|pwd|api[_-]?key|apikey|authorization|credentials?|private[_-]?key|cookie|token_value|sig|signature)`;
const KEY_RE = new RegExp(`^${KEY}$`, 'i');

/** A Basic credential: base64 of `user:password` (so "basic authentication" in prose is left alone). */
function basicCredential(match: string, scheme: string, space: string, value: string): string {
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // Control characters or replacement characters: not text, so not "user:password".
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  return decoded.includes(':') && !/[\u0000-\u0008\ufffd]/.test(decoded) ? `${scheme}${space}${REDACTED}` : match;
}

type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Databricks personal access tokens and OAuth secrets. */
const DATABRICKS_SECRET_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bdapi[0-9a-zA-Z]{8,}(?:-\d+)?/g, REDACTED],
  [/\bdose[0-9a-zA-Z]{8,}/g, REDACTED],
];

const PATTERNS: ReadonlyArray<readonly [RegExp, Replacement]> = [
  // PEM private keys (also cut off).
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // \"key\":\"value\" — JSON inside a JSON string — up to the escaped closing quote (or the end).
  [new RegExp(String.raw`(\\"${KEY}\\"\s*:\s*\\")((?:[^"\\\r\n]|\\[^"\r\n])*?)(\\"|(?=[\r\n])|$)`, 'gi'), `$1${REDACTED}$3`],
  // "key": "value" in JSON, escaped quotes inside the value included, also when the string is cut off.
  [new RegExp(String.raw`((?<!\\)"${KEY}"\s*:\s*")((?:[^"\\\r\n]|\\.)*)("|(?=[\r\n])|$)`, 'gi'), `$1${REDACTED}$3`],
  // Authorization / Proxy-Authorization header values, whatever the scheme (Bearer, Basic, token, …), to the end of the line.
  [/\b((?:proxy-)?authorization\s*[:=]\s*['"]?)(?!\[REDACTED\])[^\r\n"',;]+/gi, `$1${REDACTED}`],
  // Cookies
  [/\b((?:set-)?cookie\s*:\s*)[^\r\n]+/gi, `$1${REDACTED}`],
  // Bearer (8+ token characters) and Basic (base64 of user:password) credentials anywhere, any case.
  [/\b(bearer)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi, `$1$2${REDACTED}`],
  [/\b(basic)(\s+)([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi, basicCredential],
  // key=value and key: value (query strings, form bodies, INI text, prose); placeholders like <token> are left.
  [new RegExp(String.raw`(\b${KEY}\s*[=:]\s*['"]?)(?![<\[{(])([^\s&"',;}]+)`, 'gi'), `$1${REDACTED}`],
  // URL user info: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, `$1${REDACTED}@`],
  // JWTs (OAuth access and ID tokens), also without a signature part.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g, REDACTED],
  // Databricks personal access tokens and OAuth secrets.
  ...DATABRICKS_SECRET_SHAPES,
];

/**
 * Letters, digits, hyphens and underscores only (a request id, a UUID, a hex id, an error code such as
 * RESOURCE_DOES_NOT_EXIST): of the patterns only the PAT and OAuth secret shapes can match such a text
 * (the others need a space, `=`, `:`, a quote, a dot, a slash or `@`), and of the known values only
 * their plain form (the encoded forms need `%` or a backslash). Such texts are redacted with just
 * those: the same result for a fraction of the work.
 */
const PLAIN = /^[A-Za-z0-9_-]{0,256}$/;

function redactPlain(text: string, knownSecrets: Iterable<string>): string {
  let out = text;
  const known = [...new Set([...knownSecrets].filter((s) => typeof s === 'string' && s.length >= 4))].sort((a, b) => b.length - a.length);
  for (const s of known) if (out.includes(s)) out = out.split(s).join(REDACTED);
  for (const [re, repl] of DATABRICKS_SECRET_SHAPES) out = out.replace(re, repl);
  return out;
}

/**
 * The forms a secret value may take in text: itself, URL-encoded, JSON-escaped. An encoded form
 * differs from the value only by a `%` or a backslash, so a text without that character cannot hold it:
 * it is not computed (redacting a short text, such as a request id, costs next to nothing then).
 */
function forms(secret: string, pct: boolean, backslash: boolean): string[] {
  const out = new Set<string>([secret]);
  if (pct) out.add(encodeURIComponent(secret));
  if (backslash) out.add(JSON.stringify(secret).slice(1, -1));
  return [...out].filter((s) => s.length >= 4);
}

/** Removes every known secret value (and its encoded forms) and every secret-looking pattern from `text`. */
export function redactSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  if (PLAIN.test(text)) return redactPlain(text, knownSecrets);
  let out = text;
  const pct = text.includes('%');
  const backslash = text.includes('\\');
  const known = [...new Set([...knownSecrets].filter((s) => typeof s === 'string' && s.length >= 4).flatMap((s) => forms(s, pct, backslash)))].sort((a, b) => b.length - a.length);
  for (const s of known) if (out.includes(s)) out = out.split(s).join(REDACTED);
  for (const [re, repl] of PATTERNS) out = typeof repl === 'string' ? out.replace(re, repl) : out.replace(re, repl);
  return out;
}

/**
 * A set of secret values plus the patterns above. The extension's log keeps one and registers every
 * credential it reads; other code passes its own secrets to `redactSecrets`.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(initial: Iterable<string> = []) {
    for (const s of initial) this.addSecret(s);
  }

  /** Registers a concrete secret value (4 characters or more); every later occurrence is replaced. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.add(value);
  }

  redact(text: string, extra: Iterable<string> = []): string {
    return redactSecrets(text, [...this.secrets, ...extra]);
  }
}

/** True when a query/form parameter name denotes a secret. */
export function isSecretParam(name: string): boolean {
  return KEY_RE.test(name) || /^(code|key)$/i.test(name);
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
  // Only the start is shown: the patterns need not run over a body of many megabytes (a secret that
  // starts in the part shown is still whole in this much, or cut off where the patterns expect it).
  const head = text.length > max * 40 ? text.slice(0, max * 40) : text;
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  const oneLine = head.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  const clean = redactSecrets(oneLine, knownSecrets);
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
