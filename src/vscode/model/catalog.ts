import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createCatalog, loadBuiltinCatalog, loadPartnerConfigFile, mergeCatalog, parseCatalogEntries, type CatalogPartner, type PartnerCatalog } from '../../domain';
import type { Log } from '../log/log';

/** Id of the partner described by PC_PARTNER_SIM_CONFIG (demo/tests). */
export const SIM_CONFIG_PARTNER_ID = 'partner-simulator';

/**
 * The partner catalog the extension uses: the built-in catalog, plus PartnerConfig files from the
 * user setting `partnerConnect.partnerConfigFiles`, plus — for demos and tests only — partners
 * backed by the local partner simulator when PC_PARTNER_SIM_URL is set.
 */
export async function loadCatalog(log: Log, env: NodeJS.ProcessEnv = process.env): Promise<{ catalog: PartnerCatalog; problems: string[] }> {
  const problems: string[] = [];
  let base = loadBuiltinCatalog();
  const simUrl = env.PC_PARTNER_SIM_URL;
  if (simUrl) {
    base = simulatorBacked(base, simUrl, env.PC_PARTNER_SIM_PARTNERS);
    log.info(`Partners backed by the partner simulator at ${simUrl}: ${base.partners.filter((p) => p.source === 'partner-simulator').map((p) => p.id).join(', ')}`);
  }
  const inspected = vscode.workspace.getConfiguration('partnerConnect').inspect<unknown>('partnerConfigFiles');
  const files = z.array(z.string()).safeParse(inspected?.globalValue ?? []);
  const extra: CatalogPartner[] = [];
  const simConfig = env.PC_PARTNER_SIM_CONFIG;
  if (simUrl && simConfig) {
    try {
      const p = loadPartnerConfigFile(await readFile(simConfig, 'utf8'), 'partner-simulator');
      extra.push({ ...p, id: SIM_CONFIG_PARTNER_ID });
    } catch (e) {
      problems.push(`PC_PARTNER_SIM_CONFIG: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const file of files.success ? files.data : []) {
    try {
      extra.push(loadPartnerConfigFile(await readFile(file, 'utf8'), file));
    } catch (e) {
      const msg = vscode.l10n.t('Could not load the PartnerConfig file {0}: {1}', file, e instanceof Error ? e.message : String(e));
      log.warn(msg);
      problems.push(msg);
    }
  }
  try {
    return { catalog: extra.length > 0 ? mergeCatalog(base, extra) : base, problems };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log.warn(msg);
    problems.push(msg);
    return { catalog: base, problems };
  }
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
