/**
 * OAuth user-to-machine sign-in through the Databricks CLI, as the SDKs do it (sdk-go
 * `cli_token_source.go`): the CLI is `databricks_cli_path` / DATABRICKS_CLI_PATH, else `databricks`
 * on PATH, else the fallbacks the caller knows (the CLI bundled with the official Databricks
 * extension). `databricks auth token --profile <name>` when the workspace came from a profile and
 * the CLI is 0.207.1 or newer (`databricks version`), else `--host <host>` (ambiguous when two
 * profiles share a host). It prints `{access_token, token_type, expiry}` and refreshes the CLI's own
 * token cache; the token is cached here until shortly before `expiry` (5 minutes when none), single-flight.
 *
 * When the CLI says the login expired or never happened, the error is `LOGIN_REQUIRED` and carries
 * the `databricks auth login …` command to run (the extension offers it in a terminal, then retries).
 */
import { AuthConfigError } from '../errors';
import { redactSecrets } from '../redact';
import { CliTokenOutput } from '../schemas';
import { findExecutable, oneLine, runCommand, type Env } from './commands';
import { TokenCache, type AuthProvider } from './provider';

export interface DatabricksCliOptions {
  host: string;
  profile?: string;
  /** With `host` (an accounts host): the account, passed as `--account-id`. */
  accountId?: string;
  /** Path or name of the CLI executable (`databricks_cli_path`; default DATABRICKS_CLI_PATH, else `databricks` on PATH). */
  cliPath?: string;
  /** Tried when nothing is found on PATH, e.g. `<databricks.databricks extension>/bin/databricks`. */
  fallbackCliPaths?: readonly string[];
  /** Config file the profile lives in (DATABRICKS_CONFIG_FILE of the CLI). */
  configFile?: string;
  env?: Env;
  now?: () => number;
  timeoutMs?: number;
}

/** `--profile` for `auth token` needs this version (databricks/cli #855). */
const MIN_PROFILE_VERSION: readonly [number, number, number] = [0, 207, 1];

const versionCache = new Map<string, Promise<[number, number, number] | undefined>>();

/** `databricks version` → "Databricks CLI v0.207.1" → [0, 207, 1]; undefined when unknown (cached per path). */
export function databricksCliVersion(cli: string, env: Env): Promise<[number, number, number] | undefined> {
  let v = versionCache.get(cli);
  if (!v) {
    v = runCommand(cli, ['version'], env, 15_000).then((r) => {
      const m = /Databricks CLI v?(\d+)\.(\d+)\.(\d+)/.exec(r.stdout);
      return m ? ([Number(m[1]), Number(m[2]), Number(m[3])] as [number, number, number]) : undefined;
    });
    versionCache.set(cli, v);
  }
  return v;
}

function atLeast(v: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== (min[i] ?? 0)) return (v[i] ?? 0) > (min[i] ?? 0);
  return true;
}

/** stderr of `auth token` that means "sign in again" (expired refresh token, no login for this host / profile). */
const LOGIN_REQUIRED = /refresh token is invalid|invalid_grant|new access token could not be retrieved|not configured for this host|token not found|no token found|re-?authenticate|databricks auth login|expired|login is required/i;

export function databricksCliAuth(o: DatabricksCliOptions): AuthProvider {
  const baseEnv = o.env ?? process.env;
  const env: Env = o.configFile ? { ...baseEnv, DATABRICKS_CONFIG_FILE: o.configFile } : baseEnv;
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const explicit = o.cliPath ?? baseEnv.DATABRICKS_CLI_PATH;
  const account = o.accountId ? ['--account-id', o.accountId] : [];
  let cache: TokenCache;

  const locate = (): string => {
    const cli = findExecutable('databricks', env, { explicit, fallbacks: o.fallbackCliPaths });
    if (cli) return cli;
    throw new AuthConfigError(
      'CLI_NOT_FOUND',
      `The Databricks CLI (${explicit ? `"${explicit}" from databricks_cli_path / DATABRICKS_CLI_PATH` : '"databricks"'}) was not found (${explicit ? 'no such executable' : 'not on PATH'}${o.fallbackCliPaths?.length ? ', nor bundled with the Databricks extension' : ''}): ` +
        'install it (https://docs.databricks.com/dev-tools/cli/install.html) or the Databricks extension for VS Code, or choose another sign-in method.',
    );
  };

  const loginFor = (cli: string): { command: string; args: string[]; env?: Record<string, string> } => ({
    command: cli,
    args: ['auth', 'login', ...(o.profile ? ['--profile', o.profile] : ['--host', o.host, ...account])],
    ...(o.configFile ? { env: { DATABRICKS_CONFIG_FILE: o.configFile } } : {}),
  });

  const fetchToken = async (): Promise<{ value: string; expiresAt: number | undefined }> => {
    const cli = locate();
    let useProfile = o.profile !== undefined;
    if (useProfile) {
      const v = await databricksCliVersion(cli, env);
      // As the SDKs do: an unknown or older CLI gets --host (its --profile is not supported by `auth token`).
      if (!v || !atLeast(v, MIN_PROFILE_VERSION)) useProfile = false;
    }
    const args = useProfile ? ['auth', 'token', '--profile', o.profile as string] : ['auth', 'token', '--host', o.host, ...account];
    const login = loginFor(cli);
    const loginText = `databricks ${login.args.join(' ')}`;
    const r = await runCommand(cli, args, env, timeoutMs);
    const stderr = redactSecrets(oneLine(r.stderr), cache.values());
    if (r.failure?.kind === 'not-found') locate();
    if (r.failure) {
      if (r.failure.kind === 'timeout') {
        throw new AuthConfigError('CLI_FAILED', `"databricks ${args.join(' ')}" did not finish within ${Math.round(timeoutMs / 1000)} s: check that the CLI works in a terminal, then retry.`);
      }
      if (/no such command|unknown command "auth"/i.test(r.stderr)) {
        throw new AuthConfigError(
          'CLI_OUTPUT_INVALID',
          `${cli} is the legacy Databricks CLI, which cannot sign in with OAuth: install the current Databricks CLI (0.205 or later) and run "${loginText}".`,
        );
      }
      if (LOGIN_REQUIRED.test(r.stderr)) {
        throw new AuthConfigError(
          'LOGIN_REQUIRED',
          `The Databricks CLI's sign-in for ${o.profile ? `profile ${o.profile}` : o.host} has expired or was never made: run "${loginText}", then retry.`,
          { login },
        );
      }
      throw new AuthConfigError('CLI_FAILED', `"databricks ${args.join(' ')}" exited with an error${stderr ? `: ${stderr}` : ''}. Sign in again with "${loginText}" and retry.`, {
        login,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new AuthConfigError('CLI_OUTPUT_INVALID', `"databricks ${args.join(' ')}" did not print JSON: update the Databricks CLI (0.205 or later) and sign in with "${loginText}".`);
    }
    const parsed = CliTokenOutput.safeParse(json);
    if (!parsed.success) {
      throw new AuthConfigError('CLI_OUTPUT_INVALID', `"databricks ${args.join(' ')}" printed JSON without an access_token: update the Databricks CLI and sign in with "${loginText}".`);
    }
    const exp = parsed.data.expiry !== undefined ? Date.parse(parsed.data.expiry.replace(' ', 'T')) : NaN;
    return { value: parsed.data.access_token, expiresAt: Number.isNaN(exp) ? undefined : exp };
  };
  cache = new TokenCache(fetchToken, now, 5 * 60_000);

  return {
    type: 'databricks-cli',
    headers: async (signal) => ({ authorization: `Bearer ${await cache.get(signal, 'Databricks CLI sign-in')}` }),
    invalidate: () => {
      cache.invalidate();
      return Promise.resolve(true);
    },
    secrets: () => cache.values(),
  };
}
