/** The engine tests' fleet: the account emulator, the account client, and a client + engine context per workspace. */
import { createAccountClient, createWorkspaceClient, workspaceAuthFor, type AccountClient, type WorkspaceClient } from '../../src/client';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import { fleetWorkspacesOf, loadBuiltinCatalog, type BulkTarget, type EngineContext, type FleetTarget, type FleetWorkspace, type PartnerCatalog } from '../../src/domain';
import { startAccountEmulator, type AccountEmulatorHandle, type StartAccountEmulatorOptions } from '../account-emulator';
import { demoFleet } from '../account-emulator/fleetSeeds';

export interface Fleet {
  acct: AccountEmulatorHandle;
  account: AccountClient;
  catalog: PartnerCatalog;
  workspaces: FleetWorkspace[];
  /** one per workspace (keyed by name), created on first use */
  client(name: string): WorkspaceClient;
  ctx(name: string): EngineContext;
  targets(names?: readonly string[]): Array<BulkTarget & FleetTarget>;
  log: string[];
  close(): Promise<void>;
}

export async function startFleet(o: Partial<StartAccountEmulatorOptions> = {}): Promise<Fleet> {
  const acct = await startAccountEmulator({ workspaces: demoFleet(), ...o });
  const log: string[] = [];
  const auth = { type: 'oauth-m2m' as const, clientId: acct.admin.applicationId, clientSecret: acct.admin.secret };
  const account = createAccountClient({ host: acct.url, accountId: acct.accountId, auth, env: {}, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
  const workspaces = fleetWorkspacesOf(account.host, account.cloud, await account.listWorkspaces());
  const clients = new Map<string, WorkspaceClient>();
  const client = (name: string): WorkspaceClient => {
    let c = clients.get(name);
    if (!c) {
      const ws = workspaces.find((w) => w.name === name);
      if (!ws?.host) throw new Error(`fleet test: no URL for ${name}`);
      c = createWorkspaceClient({
        host: ws.host,
        auth: workspaceAuthFor(auth),
        env: {},
        retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
        statementPoll: { initialDelayMs: 1, maxDelayMs: 5 },
        logger: (l) => log.push(`[${name}] ${l}`),
      });
      clients.set(name, c);
    }
    return c;
  };
  const ctx = (name: string): EngineContext => ({
    client: client(name),
    extensionVersion: '0.0.0-test',
    logger: (l) => log.push(`[${name}] ${l}`),
    rollbackSettleMs: 100,
    rollbackRetryDelaysMs: [5, 20],
    partnerClientFactory: (config, credentials, logger) => createPartnerApiClient({ config, credentials, logger, retryDelaysMs: [1, 2, 4], env: {} }),
  });
  return {
    acct,
    account,
    catalog: loadBuiltinCatalog(),
    workspaces,
    client,
    ctx,
    targets: (names) =>
      workspaces
        .filter((w) => !names || names.includes(w.name))
        .map((w) => ({ key: w.name, workspace: w, client: async () => client(w.name), context: async () => ctx(w.name) })),
    log,
    close: async () => {
      await Promise.all([...clients.values()].map((c) => c.close()));
      await account.close();
      await acct.close();
    },
  };
}
