/**
 * OAuth machine-to-machine (client credentials) authentication:
 * `POST {host}/oidc/v1/token` with `grant_type=client_credentials&scope=all-apis` and the client id
 * and secret as HTTP Basic credentials (form-urlencoded first, per RFC 6749 §2.3.1). The access token
 * is cached, refreshed shortly before it expires, fetched once for concurrent callers, and dropped
 * on a 401 so the next request fetches a new one.
 */
import { AuthConfigError, DatabricksApiError } from '../errors';
import type { HttpTransport } from '../http/transport';
import { OAuthTokenResponse } from '../schemas';
import { TokenCache, type AuthProvider } from './provider';

export interface OAuthM2mOptions {
  host: string;
  clientId: string;
  clientSecret: string;
  transport: HttpTransport;
  now?: () => number;
  /** Timeout of the token request in ms. */
  timeoutMs?: number;
  /** The token endpoint (default `{host}/oidc/v1/token`; an account's is `{accounts host}/oidc/accounts/{id}/v1/token`). */
  tokenUrl?: string;
  /** What the principal must belong to, for the error text (default "this workspace"). */
  audience?: string;
  /** Extra headers of the token request (X-Databricks-Workspace-Id on a unified host). */
  headers?: Record<string, string>;
}

export function oauthM2mAuth(o: OAuthM2mOptions): AuthProvider {
  if (o.clientId.trim() === '' || o.clientSecret.trim() === '') {
    throw new AuthConfigError(
      'MISSING_CREDENTIALS',
      'OAuth M2M needs both a client id (the service principal application id) and a client secret. Create a secret for the service principal in the account or workspace settings.',
    );
  }
  const now = o.now ?? Date.now;
  const basic = Buffer.from(`${encodeURIComponent(o.clientId)}:${encodeURIComponent(o.clientSecret)}`).toString('base64');
  const tokenUrl = o.tokenUrl ?? `${o.host}/oidc/v1/token`;

  const cache = new TokenCache(
    async () => {
      try {
        const started = now();
        const res = await o.transport.requestJson(
          {
            method: 'POST',
            url: tokenUrl,
            form: { grant_type: 'client_credentials', scope: 'all-apis' },
            headers: { ...o.headers, authorization: `Basic ${basic}` },
            // Asking for a token twice is harmless.
            idempotent: true,
            timeoutMs: o.timeoutMs,
            label: 'OAuth token request',
          },
          OAuthTokenResponse,
        );
        const expiresAt = res.expires_in !== undefined && Number.isFinite(res.expires_in) ? started + res.expires_in * 1000 : undefined;
        return { value: res.access_token, expiresAt };
      } catch (e) {
        if (e instanceof DatabricksApiError && (e.status === 400 || e.status === 401 || e.status === 403)) {
          throw new AuthConfigError(
            'OAUTH_FAILED',
            `OAuth M2M sign-in to ${o.host} failed for client id ${o.clientId}: ${e.errorCode}${e.serverMessage ? ` — ${e.serverMessage}` : ''}. ` +
              `Check the client id (the service principal application id) and its secret, and that the service principal belongs to ${o.audience ?? 'this workspace'}.`,
          );
        }
        throw e;
      }
    },
    now,
    3_600_000,
  );

  return {
    type: 'oauth-m2m',
    headers: async (signal) => ({ authorization: `Bearer ${await cache.get(signal, 'OAuth token request')}` }),
    invalidate: () => {
      cache.invalidate();
      return Promise.resolve(true);
    },
    secrets: () => [o.clientSecret, basic, ...cache.values()],
  };
}
