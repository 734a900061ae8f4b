import type { CatalogPartner, PartnerCatalog } from '../../domain';
import type { Log } from '../log/log';
import type { Services } from '../services';
import type { Prompter } from '../ui/prompter';
import type { WorkspaceStore } from '../workspaces/workspaceStore';
import type { AccountStore } from '../accounts/accountStore';

/** What the extension-host suites get from activate() in ExtensionMode.Test (never in a shipped bundle). */
export interface PartnerConnectTestApi {
  services: Services;
  /** Replaces the prompter (tests script the answers); undefined restores the real one. */
  setPrompter(p: Prompter | undefined): void;
  /** Resolves when the environment bootstrap (demo/test workspace) is done. */
  ready: Promise<void>;
}

/** The catalog changes of the demo/test environment (the local partner simulator). */
export interface CatalogOverlay {
  base: PartnerCatalog;
  extra: CatalogPartner[];
  problems: string[];
}

/**
 * The demo and test hooks. Present only in the dev bundle (out/dev-extension, esbuild.mjs), and used by
 * src/extension.ts only outside ExtensionMode.Production.
 */
export interface DevHooks {
  /** PC_DEMO_*, PC_DEMO_ACCOUNT_* and PC_PARTNER_SIM_* from the environment: a session workspace or account, and simulator credentials. */
  bootstrap(store: WorkspaceStore, log: Log, env: NodeJS.ProcessEnv, accounts?: AccountStore): Promise<void>;
  /** Partners backed by the partner simulator (PC_PARTNER_SIM_URL, PC_PARTNER_SIM_CONFIG). */
  catalog(base: PartnerCatalog, log: Log, env: NodeJS.ProcessEnv): Promise<CatalogOverlay>;
  testApi(services: Services, setPrompter: (p: Prompter | undefined) => void, ready: Promise<void>): PartnerConnectTestApi;
}
