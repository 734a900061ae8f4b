import { readFile } from 'node:fs/promises';
import { createCatalog, loadPartnerConfigFile, parseCatalogEntries, type CatalogPartner, type PartnerCatalog } from '../../domain';
import type { Log } from '../log/log';
import type { CatalogOverlay } from './types';

/** Id of the partner described by PC_PARTNER_SIM_CONFIG (demo/tests). */
export const SIM_CONFIG_PARTNER_ID = 'partner-simulator';

/**
 * Demo/test only: with PC_PARTNER_SIM_URL, the partners with a service principal (or those listed in
 * PC_PARTNER_SIM_PARTNERS) hand off to the local partner simulator; PC_PARTNER_SIM_CONFIG adds the
 * simulator's own PartnerConfig as the partner "Partner Simulator".
 */
export async function simulatorCatalog(base: PartnerCatalog, log: Log, env: NodeJS.ProcessEnv): Promise<CatalogOverlay> {
  const simUrl = env.PC_PARTNER_SIM_URL;
  const extra: CatalogPartner[] = [];
  const problems: string[] = [];
  if (!simUrl) return { base, extra, problems };
  const backed = simulatorBacked(base, simUrl, env.PC_PARTNER_SIM_PARTNERS);
  log.info(`Partners backed by the partner simulator at ${simUrl}: ${backed.partners.filter((p) => p.source === 'partner-simulator').map((p) => p.id).join(', ')}`);
  const simConfig = env.PC_PARTNER_SIM_CONFIG;
  if (simConfig) {
    try {
      const p = loadPartnerConfigFile(await readFile(simConfig, 'utf8'), 'partner-simulator');
      extra.push({ ...p, id: SIM_CONFIG_PARTNER_ID });
    } catch (e) {
      problems.push(`PC_PARTNER_SIM_CONFIG: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { base: backed, extra, problems };
}

/** Every partner with a service principal (or those listed) hands off to the simulator. */
function simulatorBacked(base: PartnerCatalog, simUrl: string, only: string | undefined): PartnerCatalog {
  const ids = only ? new Set(only.split(',').map((s) => s.trim()).filter(Boolean)) : undefined;
  const url = simUrl.replace(/\/+$/, '');
  const entries = base.partners.map((p) => {
    const selected = ids ? ids.has(p.id) : p.needsServicePrincipal;
    if (!selected || !p.needsServicePrincipal) return p;
    return {
      ...p,
      handoff: 'protocol' as const,
      source: 'partner-simulator',
      partnerConfig: {
        name: p.displayName,
        base_url: url,
        endpoints: {
          connect_path: '/connect',
          delete_connection_path: '/delete-connection',
          test_connection_path: '/test-connection',
          get_connectors_path: '/connectors',
        },
        hostnames: ['127.0.0.1', 'localhost'],
        auth_options: ['AUTH_PAT' as const],
        sign_up_page: `${url}/signup`,
      },
      provenance: { ...p.provenance, handoff: { basis: 'inferred' as const, note: 'demo/test: handed off to the local partner simulator (PC_PARTNER_SIM_URL)' } },
    };
  });
  return createCatalog(parseCatalogEntries(entries));
}
