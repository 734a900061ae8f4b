/**
 * The demo account for `npm run demo -- --fleet`, the extension-host suite and the fleet journey:
 * the account emulator with the demo fleet (13 workspaces), its partner connections told to the
 * partner simulator, and the environment that hands the account to the extension for the session
 * (PC_DEMO_ACCOUNT_*, read by src/vscode/dev/bootstrap.ts). Fake emulator credentials; never print them.
 */
import { seedPartnerConnections } from '../harness/services';
import type { PartnerSim } from '../partner-sim';
import { startAccountEmulator, type AccountEmulatorHandle, type StartAccountEmulatorOptions } from './index';
import { demoFleet } from './fleetSeeds';

export const DEMO_ACCOUNT_NAME = 'Acme account';

export interface FleetServices {
  acct: AccountEmulatorHandle;
  env: Record<string, string>;
  /** tells the partner simulator again about the seeded connections (after a reset) */
  reseed(): number;
  close(): Promise<void>;
}

export async function startFleetServices(o: { partnerSim?: PartnerSim; accountName?: string } & Partial<StartAccountEmulatorOptions> = {}): Promise<FleetServices> {
  const { partnerSim, accountName, ...rest } = o;
  const acct = await startAccountEmulator({ workspaces: demoFleet(), ...rest });
  const reseed = (): number => (partnerSim ? acct.workspaces.reduce((n, w) => n + seedPartnerConnections({ state: w.core.state, url: w.url }, partnerSim), 0) : 0);
  reseed();
  return {
    acct,
    env: {
      PC_DEMO_ACCOUNT_HOST: acct.url,
      PC_DEMO_ACCOUNT_ID: acct.accountId,
      PC_DEMO_ACCOUNT_CLIENT_ID: acct.admin.applicationId,
      PC_DEMO_ACCOUNT_CLIENT_SECRET: acct.admin.secret,
      PC_DEMO_ACCOUNT_NAME: accountName ?? DEMO_ACCOUNT_NAME,
    },
    reseed,
    close: () => acct.close(),
  };
}

/** The services' environment for the fleet demo: the account instead of the single demo workspace. */
export function fleetEnvironment(base: Record<string, string>, fleet: FleetServices): Record<string, string> {
  const env = { ...base, ...fleet.env };
  for (const k of ['PC_DEMO_HOST', 'PC_DEMO_TOKEN', 'PC_DEMO_WORKSPACE_NAME', 'DATABRICKS_HOST', 'DATABRICKS_TOKEN']) delete env[k];
  return env;
}
