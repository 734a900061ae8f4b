/**
 * A failed HTTP attempt in words: an error body's code and message (secrets redacted), a network or
 * TLS failure with what to do about it, and the typed client error the transport throws for it.
 */
import { NetworkError, RequestTimeoutError, STATUS_ERROR_CODES, UnexpectedResponseError, parseErrorBody } from '../errors';
import { bodySnippet, redactSecrets } from '../redact';

/** An attempt that got no usable answer: its failure code (ECONNREFUSED, REQUEST_TIMEOUT, BODY_CUT_OFF, …) and what happened. */
export interface AttemptFailure {
  kind: 'network';
  code: string;
  message: string;
}

export function describeErrorBody(status: number, text: string, contentType: string, secrets: Iterable<string>): { errorCode: string; message: string; requestId?: string } {
  const known = [...secrets];
  const fallbackCode = STATUS_ERROR_CODES[status] ?? `HTTP_${status}`;
  const trimmed = text.trim();
  if (trimmed === '') return { errorCode: fallbackCode, message: '' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    const kind = /html/i.test(contentType) || trimmed.startsWith('<') ? 'an HTML page' : `a non-JSON body (${contentType || 'no content-type'})`;
    return {
      errorCode: fallbackCode,
      message: `the response was ${kind}, which usually comes from a proxy or gateway rather than Databricks; it starts with "${bodySnippet(trimmed, known)}"`,
    };
  }
  const parsed = parseErrorBody(value, status);
  if (!parsed) return { errorCode: fallbackCode, message: `unrecognised error body "${bodySnippet(trimmed, known)}"` };
  // the code and request id are quoted in messages too: scrubbed like the message
  return {
    errorCode: redactSecrets(parsed.errorCode, known).slice(0, 200),
    message: redactSecrets(parsed.message, known),
    ...(parsed.requestId !== undefined ? { requestId: redactSecrets(parsed.requestId, known).slice(0, 200) } : {}),
  };
}

export function describeNetworkError(e: unknown, phase: 'request' | 'body'): AttemptFailure {
  const err = e instanceof Error ? e : new Error(String(e));
  const cause = (err as { cause?: unknown }).cause;
  const code =
    (err as { code?: unknown }).code ?? (cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined);
  const proxy = /Proxy response \((\d+)\)/.exec(err.message);
  if (proxy) {
    return { kind: 'network', code: proxy[1] === '407' ? 'PROXY_AUTH_REQUIRED' : 'PROXY_TUNNEL_REFUSED', message: err.message };
  }
  if (phase === 'body') return { kind: 'network', code: 'BODY_CUT_OFF', message: err.message };
  return { kind: 'network', code: typeof code === 'string' ? code : 'NETWORK_ERROR', message: err.message };
}

/** A certificate problem named in words, with what to do. */
const TLS_PROBLEMS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed CA that is not trusted here',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is issued by a CA that is not trusted here, typically a TLS-inspecting corporate proxy',
  UNABLE_TO_GET_ISSUER_CERT: 'it is issued by a CA that is not trusted here, typically a TLS-inspecting corporate proxy',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it cannot be traced to a trusted CA, typically because a corporate proxy inspects TLS',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
  CERT_REVOKED: 'it was revoked',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
};

/**
 * What to do about a certificate problem: a CA that is not trusted here is added to the OS store;
 * a certificate that is wrong in itself is not fixed by trusting anything more.
 */
function tlsFix(code: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'the server (or a TLS-inspecting proxy in between) must renew its certificate; tell its administrators, and do not turn certificate checks off';
    case 'CERT_NOT_YET_VALID':
      return 'check this computer\'s date and time';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'check the workspace URL (use the host name the workspace is reached by, not an IP address or alias); if a proxy intercepts TLS, its certificate must name this host';
    case 'CERT_REVOKED':
    case 'CERT_SIGNATURE_FAILURE':
      return 'the certificate cannot be trusted: tell the administrators of the server or proxy, and do not turn certificate checks off';
    default:
      return 'if your organisation uses its own CA, add it to the operating system\'s trusted certificates (or point NODE_EXTRA_CA_CERTS at its PEM file) and reload VS Code';
  }
}

function isTlsCode(code: string): boolean {
  return code in TLS_PROBLEMS || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL/i.test(code);
}

export function networkError(
  f: AttemptFailure,
  method: string,
  path: string,
  attempts: number,
  timeoutMs: number,
  cap: number,
  cls: 'not-sent' | 'ambiguous' | 'fatal',
  idempotent: boolean,
  redact: (s: string) => string,
  host = '',
): Error {
  const where = `${method} ${path.split('?')[0]}`;
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  if (f.code === 'REQUEST_TIMEOUT') return new RequestTimeoutError(method, path, timeoutMs, attempts);
  if (f.code === 'BODY_CUT_OFF') {
    return new UnexpectedResponseError({ reason: 'truncated', status: 0, method, path, contentType: '', snippet: '', detail: redact(f.message), attempts });
  }
  if (f.code === 'BODY_TOO_LARGE') {
    return new UnexpectedResponseError({ reason: 'too-large', status: 0, method, path, contentType: '', snippet: '', detail: `${redact(f.message)}; the limit is ${cap} bytes`, attempts });
  }
  let why: string;
  switch (f.code) {
    case 'ECONNREFUSED':
      why = 'the connection was refused: check the workspace URL and that nothing blocks it (firewall, VPN)';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      why = 'the host name could not be resolved: check the workspace URL and your DNS / VPN';
      break;
    case 'PROXY_AUTH_REQUIRED':
      why =
        'the proxy requires authentication (HTTP 407): set VS Code\'s http.proxyAuthorization (e.g. "Basic <base64 of user:password>"), or put user:password@ in http.proxy / HTTPS_PROXY';
      break;
    case 'PROXY_TUNNEL_REFUSED':
      why = 'the proxy refused to open a tunnel: check http.proxy / http.noProxy (or HTTPS_PROXY / NO_PROXY)';
      break;
    default:
      if (isTlsCode(f.code)) {
        const problem = TLS_PROBLEMS[f.code] ?? 'it is not trusted here';
        why = `the TLS certificate could not be verified${host ? ` for ${host}` : ''} (${problem}): ${tlsFix(f.code)}`;
      } else if (cls === 'ambiguous') {
        why = idempotent
          ? 'the connection was interrupted'
          : 'the connection was interrupted after the request may have reached the workspace, so it was not re-sent (it may or may not have taken effect — check before trying again)';
      } else {
        why = `the network request failed (${redact(f.message)})`;
      }
  }
  return new NetworkError(redact(`${where} failed ${tries}: ${why} [${f.code}].`), f.code, method, path, attempts);
}
