/**
 * AuthConfig → AuthProvider, and the SDKs' default chain for a configuration with a host and no
 * credentials (`auth_type` unset, no token, no client secret): the Databricks CLI's login (a
 * profile written by `databricks auth login` works without `auth_type`), then — on Azure hosts — the
 * Azure CLI's (`az login`), as sdk-go `auth_default.go` tries them. The first one that yields a token
 * is kept; when none does, the error says what to run (the CLI's `LOGIN_REQUIRED` when it has an
 * expired login for this host, so the extension can offer `databricks auth login`).
 */
import type { AuthConfig } from '../api';
import { AuthConfigError } from '../errors';
import type { HttpTransport } from '../http/transport';
import { azureCliAuth, azureClientSecretAuth } from './azure';
import type { Env } from './commands';
import { databricksCliAuth } from './databricksCli';
import { isAzureHost } from './host';
import { oauthM2mAuth } from './oauthM2m';
import { patAuth } from './pat';
import type { AuthProvider } from './provider';

export interface ProviderContext {
  host: string;
  transport: HttpTransport;
  env?: Env;
  now?: () => number;
  timeoutMs?: number;
  /** Extra headers for token requests to the workspace (X-Databricks-Workspace-Id). */
  routing?: Record<string, string>;
  /** Where else the Databricks CLI may be (the official extension's bundled CLI). */
  fallbackCliPaths?: readonly string[];
}

export function authProviderFor(auth: AuthConfig, c: ProviderContext): AuthProvider {
  switch (auth.type) {
    case 'pat':
      return patAuth(auth.token);
    case 'oauth-m2m':
      return oauthM2mAuth({ host: c.host, clientId: auth.clientId, clientSecret: auth.clientSecret, transport: c.transport, now: c.now, timeoutMs: c.timeoutMs, headers: c.routing });
    case 'databricks-cli':
      return databricksCliAuth({ host: c.host, profile: auth.profile, cliPath: auth.cliPath, configFile: auth.configFile, fallbackCliPaths: c.fallbackCliPaths, env: c.env, now: c.now });
    case 'azure-cli':
      return azureCliAuth({ host: c.host, transport: c.transport, tenantId: auth.tenantId, azureResourceId: auth.azureResourceId, env: c.env, now: c.now });
    case 'azure-client-secret': {
      const { type: _type, ...config } = auth;
      return azureClientSecretAuth({ ...config, host: c.host, transport: c.transport, now: c.now, timeoutMs: c.timeoutMs });
    }
    case 'default':
      return defaultChain(auth, c);
    default: {
      const t: unknown = (auth as { type?: unknown }).type;
      throw new AuthConfigError(
        'UNSUPPORTED_AUTH_TYPE',
        `Authentication type "${String(t)}" is not supported; use pat, oauth-m2m, databricks-cli, azure-cli or azure-client-secret.`,
      );
    }
  }
}

/** Errors after which the chain tries the next method (this one has nothing for the host). */
const NEXT = new Set(['CLI_NOT_FOUND', 'LOGIN_REQUIRED', 'CLI_FAILED', 'CLI_OUTPUT_INVALID', 'AZURE_CLI_NOT_FOUND', 'AZURE_CLI_FAILED']);

function defaultChain(auth: Extract<AuthConfig, { type: 'default' }>, c: ProviderContext): AuthProvider {
  const candidates: Array<{ name: 'databricks-cli' | 'azure-cli'; make: () => AuthProvider }> = [
    { name: 'databricks-cli', make: () => authProviderFor({ type: 'databricks-cli', profile: auth.profile, cliPath: auth.cliPath, configFile: auth.configFile }, c) },
  ];
  if (isAzureHost(c.host) || auth.azureEnvironment) {
    candidates.push({ name: 'azure-cli', make: () => authProviderFor({ type: 'azure-cli', tenantId: auth.tenantId, azureEnvironment: auth.azureEnvironment }, c) });
  }
  let chosen: AuthProvider | undefined;
  let pending: Promise<AuthProvider> | undefined;
  const tried: AuthProvider[] = [];

  const choose = async (signal?: AbortSignal): Promise<AuthProvider> => {
    if (chosen) return chosen;
    pending ??= (async () => {
      const failures: AuthConfigError[] = [];
      for (const cand of candidates) {
        const p = cand.make();
        tried.push(p);
        try {
          await p.headers(signal);
          chosen = p;
          return p;
        } catch (e) {
          if (e instanceof AuthConfigError && NEXT.has(e.code)) {
            failures.push(e);
            continue;
          }
          throw e;
        }
      }
      // The most useful failure: an expired login the user can renew, else a summary.
      const renew = failures.find((f) => f.code === 'LOGIN_REQUIRED' && f.login);
      if (renew) throw renew;
      const azure = candidates.some((x) => x.name === 'azure-cli');
      throw new AuthConfigError(
        'NOT_SIGNED_IN',
        `${auth.profile ? `Profile [${auth.profile}]` : c.host} has a host but no credentials, and no sign-in was found for it ` +
          `(${failures.map((f) => f.message.replace(/\.$/, '')).join('; ')}): run "databricks auth login ${auth.profile ? `--profile ${auth.profile}` : `--host ${c.host}`}"` +
          `${azure ? ' (or "az login")' : ''}, or add a token or client id and secret to it.`,
      );
    })();
    pending.catch(() => (pending = undefined));
    return pending;
  };

  return {
    get type() {
      return chosen?.type ?? 'default';
    },
    headers: async (signal) => (await choose(signal)).headers(signal),
    invalidate: async () => (chosen ? chosen.invalidate() : false),
    secrets: () => tried.flatMap((p) => p.secrets()),
  };
}
