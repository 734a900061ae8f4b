/**
 * Settings that shape every request, parsed with zod (no `vscode` import: unit-tested under
 * test/vscode-free). The adapter (./clients.ts) reads the raw values from VS Code.
 *
 * - VS Code's `http.proxy`, `http.noProxy`, `http.proxyStrictSSL`, `http.proxyAuthorization` and
 *   `http.systemCertificates` become the client's NetworkOptions; unset ones leave the environment
 *   (HTTPS_PROXY / HTTP_PROXY / NO_PROXY) in charge.
 * - `partnerConnect.requestTimeoutSeconds`: a number, clamped to 5–600; anything else is the default
 *   60 with a warning.
 */
import * as z from 'zod';
import type { NetworkOptions } from '../../client';

export interface RawHttpSettings {
  proxy?: unknown;
  noProxy?: unknown;
  proxyStrictSSL?: unknown;
  proxyAuthorization?: unknown;
  systemCertificates?: unknown;
}

const OptionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .catch(undefined);
const OptionalBool = z.boolean().optional().catch(undefined);
const HostList = z
  .array(z.unknown())
  .transform((a) => a.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x !== ''))
  .optional()
  .catch(undefined);

export function networkOptions(raw: RawHttpSettings): { options: NetworkOptions; warnings: string[] } {
  const warnings: string[] = [];
  const proxy = OptionalString.parse(raw.proxy);
  const options: NetworkOptions = {};
  if (proxy) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) && !/^(https?|socks5?h?):\/\//i.test(proxy)) {
      warnings.push(`http.proxy "${safeProxy(proxy)}" has a scheme the extension cannot use (http:// or https://); it is ignored.`);
    } else if (/^socks/i.test(proxy)) {
      warnings.push(`http.proxy "${safeProxy(proxy)}" is a SOCKS proxy, which the extension does not support; it is ignored (set HTTPS_PROXY to an HTTP proxy instead).`);
    } else {
      options.proxy = proxy;
    }
  }
  const noProxy = HostList.parse(raw.noProxy);
  if (noProxy && noProxy.length > 0) options.noProxy = noProxy;
  const strict = OptionalBool.parse(raw.proxyStrictSSL);
  if (strict === false) options.proxyStrictSSL = false;
  const auth = OptionalString.parse(raw.proxyAuthorization);
  if (auth) options.proxyAuthorization = auth;
  const system = OptionalBool.parse(raw.systemCertificates);
  if (system === false) options.systemCertificates = false;
  return { options, warnings };
}

/** The proxy URL without user info, for messages. */
function safeProxy(p: string): string {
  return p.replace(/\/\/[^/@]*@/, '//');
}

export const DEFAULT_TIMEOUT_SECONDS = 60;
export const MIN_TIMEOUT_SECONDS = 5;
export const MAX_TIMEOUT_SECONDS = 600;

export function requestTimeoutMs(raw: unknown): { ms: number; warning?: string } {
  if (raw === undefined || raw === null) return { ms: DEFAULT_TIMEOUT_SECONDS * 1000 };
  const n = z.number().finite().safeParse(raw);
  if (!n.success) {
    return {
      ms: DEFAULT_TIMEOUT_SECONDS * 1000,
      warning: `partnerConnect.requestTimeoutSeconds must be a number of seconds (${MIN_TIMEOUT_SECONDS}–${MAX_TIMEOUT_SECONDS}); using ${DEFAULT_TIMEOUT_SECONDS}.`,
    };
  }
  const clamped = Math.min(MAX_TIMEOUT_SECONDS, Math.max(MIN_TIMEOUT_SECONDS, n.data));
  if (clamped !== n.data) {
    return { ms: Math.round(clamped * 1000), warning: `partnerConnect.requestTimeoutSeconds = ${n.data} is outside ${MIN_TIMEOUT_SECONDS}–${MAX_TIMEOUT_SECONDS}; using ${clamped}.` };
  }
  return { ms: Math.round(clamped * 1000) };
}
