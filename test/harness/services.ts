/**
 * The local stand-ins for the outside world: the Databricks workspace emulator and the partner
 * simulator, started in-process on 127.0.0.1 (port 0), plus the environment variables and settings
 * that hand them to the extension running in code-server.
 *
 * Environment contract (read by the extension in demo/test mode and by the host suites):
 *   PC_EMULATOR_URL, PC_EMULATOR_ADMIN_TOKEN   the emulator and its seed's first workspace admin PAT
 *   PC_DEMO_HOST, PC_DEMO_TOKEN                 the demo workspace host and the token to use for it
 *   PC_PARTNER_SIM_URL                          the partner simulator's base URL
 *   PC_PARTNER_SIM_USERNAME, PC_PARTNER_SIM_PASSWORD  its basic-auth credentials
 *   PC_PARTNER_SIM_CONFIG                       a PartnerConfig JSON file pointing at the simulator
 *   DATABRICKS_HOST, DATABRICKS_TOKEN           the same host/token, for the preconfigured workspace
 *                                               whose authType is "env"
 * These are emulator/simulator credentials: still, never print them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, seedPath, DEMO_SEED_PATH, type EmulatorHandle, type Seed } from '../emulator';
import { startAll } from '../fixtures/cleanup';
import { startPartnerSim, type PartnerSim, type PartnerSimOptions } from '../partner-sim';

/**
 * The demo workspace with partners in every state (connected, connected outside this extension,
 * check mark only, degraded; dbt Cloud and Hex not connected): what `npm run demo` and the e2e
 * journeys run on. (demo.json, the emulator's default seed, stays as the unit tests know it.)
 */
export const DEMO_PARTNERS_SEED_PATH = seedPath('demo-partners.json');

export interface Services {
  emulator: EmulatorHandle;
  partnerSim: PartnerSim;
  /** the PartnerConfig file written for the simulator */
  partnerConfigFile: string;
  /** environment for code-server (inherited by the extension host) */
  env: Record<string, string>;
  /** user settings for code-server (the workspace entry when `workspaceSetting` is set) */
  settings: Record<string, unknown>;
  close(): Promise<void>;
}

export interface ServicesOptions {
  seed?: Seed | string;
  emulatorPort?: number;
  partnerSim?: PartnerSimOptions;
  /** the workspace name shown in the tree (default: the seed's workspace name or "demo") */
  workspaceName?: string;
  /**
   * Also list the workspace in the `partnerConnect.workspaces` user setting (authType "env", reading
   * DATABRICKS_HOST/DATABRICKS_TOKEN). Default false: the extension adds the demo workspace for the
   * session from PC_DEMO_HOST/PC_DEMO_TOKEN (src/vscode/workspaces/bootstrap.ts).
   */
  workspaceSetting?: boolean;
}

export async function startServices(opts: ServicesOptions = {}): Promise<Services> {
  // Whatever was started is stopped again when a later step fails (a half-started set is never left running).
  const [services, started] = await startAll(async (started) => {
    const emulator = started.add(await startEmulator({ seed: opts.seed ?? DEMO_SEED_PATH, port: opts.emulatorPort ?? 0 }), (e) => e.close());
    const partnerSim = started.add(await startPartnerSim({ port: 0, ...opts.partnerSim }), (s) => s.close());
    seedPartnerConnections(emulator, partnerSim);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-services-'));
    started.defer(() => fs.rmSync(dir, { recursive: true, force: true }));
    const partnerConfigFile = path.join(dir, 'partner-sim.partner-config.json');
    fs.writeFileSync(partnerConfigFile, `${JSON.stringify(partnerSim.partnerConfig(), null, 2)}\n`, { mode: 0o600 });

    const workspaceName = opts.workspaceName ?? seedWorkspaceName(opts.seed ?? DEMO_SEED_PATH) ?? 'demo';
    const env: Record<string, string> = {
      PC_EMULATOR_URL: emulator.url,
      PC_EMULATOR_ADMIN_TOKEN: emulator.adminToken,
      PC_DEMO_HOST: emulator.url,
      PC_DEMO_TOKEN: emulator.adminToken,
      PC_DEMO_WORKSPACE_NAME: workspaceName,
      PC_PARTNER_SIM_URL: partnerSim.url,
      PC_PARTNER_SIM_USERNAME: partnerSim.credentials.username,
      PC_PARTNER_SIM_PASSWORD: partnerSim.credentials.password,
      PC_PARTNER_SIM_CONFIG: partnerConfigFile,
      // The preconfigured workspace uses authType "env": the client reads these.
      DATABRICKS_HOST: emulator.url,
      DATABRICKS_TOKEN: emulator.adminToken,
    };
    const settings: Record<string, unknown> = opts.workspaceSetting
      ? { 'partnerConnect.workspaces': [{ name: workspaceName, host: emulator.url, authType: 'env' }] }
      : {};
    return { emulator, partnerSim, partnerConfigFile, env, settings };
  });
  return { ...services, close: () => started.close() };
}

function seedWorkspaceName(seed: Seed | string): string | undefined {
  try {
    const raw: unknown = typeof seed === 'string' ? JSON.parse(fs.readFileSync(seed, 'utf8')) : seed;
    const ws = raw && typeof raw === 'object' ? (raw as { workspace?: { name?: unknown } }).workspace : undefined;
    return typeof ws?.name === 'string' ? ws.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tells the partner simulator about the connections the seed's records name
 * (`extras.partnerConnections`: partner, connection_id, service_principal_id, email, …), so that
 * disconnecting a seeded protocol partner reaches a partner that knows the connection. Idempotent;
 * call again after `emulator.reset()` when a journey needs them back.
 */
export function seedPartnerConnections(emulator: Pick<EmulatorHandle, 'state' | 'url'>, partnerSim: PartnerSim): number {
  const raw = emulator.state.extras.partnerConnections;
  if (!Array.isArray(raw)) return 0;
  const id = emulator.state.workspaceId;
  const workspaceId = Number.isSafeInteger(Number(id)) ? Number(id) : BigInt(id);
  let n = 0;
  for (const c of raw as unknown[]) {
    if (!c || typeof c !== 'object') continue;
    const e = c as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
    const id = str('connection_id');
    const email = str('email');
    if (!id || !email) continue;
    partnerSim.connections.set(id, {
      connection_id: id,
      workspace_id: workspaceId,
      databricks_organization_id: workspaceId,
      cloud_provider: 'aws',
      workspace_url: emulator.url,
      service_principal_id: str('service_principal_id'),
      email,
      account_domain: email.split('@')[1] ?? '',
      catalog_name: str('catalog_name'),
      cluster_id: str('cluster_id'),
      is_sql_warehouse: typeof e.is_sql_warehouse === 'boolean' ? e.is_sql_warehouse : undefined,
      created_seq: 0,
    });
    n++;
  }
  return n;
}
