/**
 * Keeping the secrets of a partner call out of what is logged and returned: a loggable copy of a
 * connect request, the secrets it carries, the forms a partner might echo one back in (URL-encoded,
 * base64), and the check and scrub of a partner's text for them.
 */
import { redactSecrets } from '../redact';
import type { ConnectRequestInput } from './partnerConfig';

/**
 * A copy of the request that is safe to log: the token and OAuth secrets replaced by a marker,
 * and the user's name/email left out.
 */
export function redactConnectRequest(req: ConnectRequestInput): Record<string, unknown> {
  return {
    workspace_id: req.workspace_id,
    cloud_provider: req.cloud_provider,
    is_connection_established: req.user_info.is_connection_established,
    connection_id: req.connection_id,
    service_principal_id: req.service_principal_id,
    cluster_id: req.cluster_id,
    is_sql_warehouse: req.is_sql_warehouse,
    catalog_name: req.catalog_name,
    demo: req.demo,
    personal_access_token: typeof req.user_info.auth?.personal_access_token === 'string' ? '<redacted>' : req.user_info.auth?.personal_access_token === null ? null : '<absent>',
    ...(req.service_principal_oauth_secret !== undefined ? { service_principal_oauth_secret: '<redacted>' } : {}),
  };
}

/** The secret values a connect request carries (the token, an OAuth token or secret). */
export function secretsOf(req: ConnectRequestInput): string[] {
  return [req.user_info.auth?.personal_access_token, req.user_info.auth?.oauth_token, req.service_principal_oauth_secret].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

/**
 * A secret as a partner might echo it back: as is, URL-encoded, base64 and base64url (with and
 * without padding).
 */
export function secretForms(secrets: readonly string[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (s.length < 4) continue;
    const b64 = Buffer.from(s, 'utf8').toString('base64');
    for (const f of [s, encodeURIComponent(s), b64, b64.replace(/=+$/, ''), Buffer.from(s, 'utf8').toString('base64url')]) out.add(f);
  }
  // longest first, so that a form containing another is replaced whole
  return [...out].sort((a, b) => b.length - a.length);
}

/** True when `text` holds one of the secrets in any of the forms of `secretForms` (also after URL-decoding). */
export function carriesSecret(text: string, secrets: readonly string[]): boolean {
  const forms = secretForms(secrets);
  let decoded = text;
  try {
    decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    /* not URL-encoded */
  }
  return forms.some((f) => text.includes(f) || decoded.includes(f));
}

/** One line, every secret (known values and secret-looking patterns) removed by the project's redactor. */
export function scrub(line: string, secrets: readonly string[]): string {
  return redactSecrets(line, secrets).replace(/[\r\n]+/g, ' ');
}
