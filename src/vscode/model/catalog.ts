import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { loadBuiltinCatalog, loadPartnerConfigFile, mergeCatalog, type CatalogPartner, type PartnerCatalog } from '../../domain';
import type { CatalogOverlay } from '../dev/types';
import type { Log } from '../log/log';

/**
 * The partner catalog the extension uses: the built-in catalog, plus PartnerConfig files from the
 * user setting `partnerConnect.partnerConfigFiles`, plus - in the demo/test environment only - what
 * `overlay` (src/vscode/dev) adds.
 */
export async function loadCatalog(log: Log, overlay?: (base: PartnerCatalog) => Promise<CatalogOverlay>): Promise<{ catalog: PartnerCatalog; problems: string[] }> {
  const dev = overlay ? await overlay(loadBuiltinCatalog()) : undefined;
  const base = dev?.base ?? loadBuiltinCatalog();
  const problems: string[] = [...(dev?.problems ?? [])];
  const extra: CatalogPartner[] = [...(dev?.extra ?? [])];
  const inspected = vscode.workspace.getConfiguration('partnerConnect').inspect<unknown>('partnerConfigFiles');
  const files = z.array(z.string()).safeParse(inspected?.globalValue ?? []);
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
