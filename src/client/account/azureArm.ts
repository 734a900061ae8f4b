/**
 * Azure Databricks workspaces from Azure Resource Manager, through the Azure CLI — the fallback
 * when an Azure account's workspace list is not available (the approach Databricks' Security
 * Analysis Tool takes): `az account list` for the subscriptions, then for each enabled one
 * `az rest GET https://management.azure.com/subscriptions/{id}/providers/Microsoft.Databricks/workspaces`
 * (Reader on the subscription is enough). Each workspace's `properties.workspaceUrl` is its host.
 * The CLI signs in itself (`az login`); no credential passes through here.
 */
import { execFile } from 'node:child_process';
import * as z from 'zod';
import { AuthConfigError, CancelledError } from '../errors';
import { redactSecrets } from '../redact';
import { normaliseHost } from '../auth/host';

export interface ArmWorkspace {
  name: string;
  host: string;
  /** properties.workspaceId (the numeric id), when ARM gives it */
  workspaceId?: string;
  subscriptionId: string;
  subscriptionName?: string;
  resourceGroup?: string;
  location?: string;
}

const Subscriptions = z.array(z.object({ id: z.string(), name: z.string().optional(), state: z.string().optional() }));
const WorkspacePage = z.object({
  value: z
    .array(
      z.object({
        id: z.string().optional(),
        name: z.string(),
        location: z.string().optional(),
        properties: z.object({ workspaceUrl: z.string().optional(), workspaceId: z.union([z.string(), z.number()]).transform(String).optional() }).optional(),
      }),
    )
    .default([]),
  nextLink: z.string().nullable().optional(),
});

const ARM = 'https://management.azure.com';
const API_VERSION = '2018-04-01';

function run(az: string, args: string[], env: Record<string, string | undefined>, signal: AbortSignal | undefined, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(az, args, { env: env as NodeJS.ProcessEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true, signal }, (error, stdout, stderr) => {
      if (!error) return resolve(String(stdout));
      if (signal?.aborted) return reject(new CancelledError('The Azure CLI'));
      if ((error as { code?: unknown }).code === 'ENOENT') {
        return reject(new AuthConfigError('CLI_NOT_FOUND', `The Azure CLI ("${az}") was not found. Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), sign in with "az login", or add the workspaces by URL.`));
      }
      const why = redactSecrets(String(stderr).trim().replace(/\s+/g, ' ')).slice(0, 300);
      reject(new AuthConfigError('CLI_FAILED', `"${az} ${args.slice(0, 2).join(' ')}" failed${why ? `: ${why}` : ''}. Sign in with "az login" (Reader on the subscriptions is enough), or add the workspaces by URL.`));
    });
  });
}

function parse<S extends z.ZodTypeAny>(text: string, schema: S, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AuthConfigError('CLI_OUTPUT_INVALID', `The Azure CLI did not print JSON for ${what}. Update the Azure CLI.`);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new AuthConfigError('CLI_OUTPUT_INVALID', `The Azure CLI printed unexpected JSON for ${what}.`);
  return r.data as z.output<S>;
}

export async function azureDatabricksWorkspaces(o: { azPath?: string; env?: Record<string, string | undefined>; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ArmWorkspace[]> {
  const az = o.azPath ?? 'az';
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? 60_000;
  const subs = parse(await run(az, ['account', 'list', '--output', 'json'], env, o.signal, timeoutMs), Subscriptions, 'the subscriptions').filter((x) => !x.state || x.state === 'Enabled');
  const perSub = await Promise.all(
    subs.map(async (sub) => {
      const out: ArmWorkspace[] = [];
      let url: string | null | undefined = `${ARM}/subscriptions/${encodeURIComponent(sub.id)}/providers/Microsoft.Databricks/workspaces?api-version=${API_VERSION}`;
      for (let page = 0; url && page < 100; page++) {
        if (!url.startsWith(`${ARM}/`)) break; // only ever follow ARM's own links
        const p: z.output<typeof WorkspacePage> = parse(await run(az, ['rest', '--method', 'get', '--url', url, '--output', 'json'], env, o.signal, timeoutMs), WorkspacePage, `the workspaces of subscription ${sub.id}`);
        for (const w of p.value) {
          const raw = w.properties?.workspaceUrl;
          if (!raw) continue;
          let host: string;
          try {
            host = normaliseHost(raw);
          } catch {
            continue;
          }
          const rg = /\/resourceGroups\/([^/]+)/i.exec(w.id ?? '')?.[1];
          out.push({ name: w.name, host, workspaceId: w.properties?.workspaceId, subscriptionId: sub.id, subscriptionName: sub.name, resourceGroup: rg, location: w.location });
        }
        url = p.nextLink;
      }
      return out;
    }),
  );
  return perSub.flat().sort((a, b) => a.name.localeCompare(b.name));
}
