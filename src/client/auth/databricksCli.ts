/**
 * OAuth user-to-machine authentication through the Databricks CLI: runs
 * `databricks auth token --host <host>` (or `--profile <name>`), which prints
 * `{access_token, token_type, expiry}` and refreshes the CLI's own token cache. The token is cached
 * here until shortly before `expiry` (5 minutes when the CLI gives none), single-flight.
 */
import { execFile } from 'node:child_process';
import { AuthConfigError } from '../errors';
import { redactSecrets } from '../redact';
import { CliTokenOutput } from '../schemas';
import { TokenCache, type AuthProvider } from './provider';

export interface DatabricksCliOptions {
  host: string;
  profile?: string;
  /** With `host` (an accounts host): the account, passed as `--account-id`. */
  accountId?: string;
  /** Path or name of the CLI executable (default `databricks`, looked up on PATH of `env`). */
  cliPath?: string;
  /** Config file the profile lives in (DATABRICKS_CONFIG_FILE of the CLI). */
  configFile?: string;
  env?: Record<string, string | undefined>;
  now?: () => number;
  timeoutMs?: number;
}

interface ExecResult {
  stdout: string;
  stderr: string;
  error: (Error & { code?: unknown; killed?: boolean }) | null;
}

function run(file: string, args: string[], env: Record<string, string | undefined>, timeoutMs: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      resolve({ stdout: String(stdout), stderr: String(stderr), error });
    });
  });
}

export function databricksCliAuth(o: DatabricksCliOptions): AuthProvider {
  const cli = o.cliPath ?? 'databricks';
  const env = o.configFile ? { ...(o.env ?? process.env), DATABRICKS_CONFIG_FILE: o.configFile } : (o.env ?? process.env);
  const now = o.now ?? Date.now;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const account = o.accountId ? ['--account-id', o.accountId] : [];
  const args = o.profile ? ['auth', 'token', '--profile', o.profile] : ['auth', 'token', '--host', o.host, ...account];
  const loginHint = o.profile ? `databricks auth login --profile ${o.profile}` : `databricks auth login --host ${o.host}${o.accountId ? ` --account-id ${o.accountId}` : ''}`;
  let cache: TokenCache;

  const fetchToken = async (): Promise<{ value: string; expiresAt: number | undefined }> => {
    const r = await run(cli, args, env, timeoutMs);
    if (r.error) {
      if (r.error.code === 'ENOENT') {
        throw new AuthConfigError(
          'CLI_NOT_FOUND',
          `The Databricks CLI ("${cli}") was not found. Install it (https://docs.databricks.com/dev-tools/cli/install.html) and make sure it is on PATH, or choose another authentication type.`,
        );
      }
      const why = r.error.killed ? `did not finish within ${Math.round(timeoutMs / 1000)} s` : `exited with an error`;
      const stderr = redactSecrets(r.stderr.trim().replace(/\s+/g, ' '), cache.values()).slice(0, 300);
      throw new AuthConfigError(
        'CLI_FAILED',
        `"${cli} ${args.join(' ')}" ${why}${stderr ? `: ${stderr}` : ''}. Sign in again with "${loginHint}" and retry.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new AuthConfigError(
        'CLI_OUTPUT_INVALID',
        `"${cli} ${args.join(' ')}" did not print JSON. Update the Databricks CLI to a current version (0.200 or later) and sign in with "${loginHint}".`,
      );
    }
    const parsed = CliTokenOutput.safeParse(json);
    if (!parsed.success) {
      throw new AuthConfigError(
        'CLI_OUTPUT_INVALID',
        `"${cli} ${args.join(' ')}" printed JSON without an access_token. Update the Databricks CLI and sign in with "${loginHint}".`,
      );
    }
    const exp = parsed.data.expiry !== undefined ? Date.parse(parsed.data.expiry) : NaN;
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
