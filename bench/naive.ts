/**
 * The naive way to answer "which partners are connected?", kept here only as a baseline for the
 * bench (never used by the extension): page through every service principal of the workspace
 * (SCIM, count=100, one page after the other), match the `<PARTNER>_USER` names client-side, then
 * ask about each partner with one request after the other (its connection record).
 */
import type { WorkspaceClient } from '../src/client/api';
import { recordPathFor, type PartnerCatalog } from '../src/domain';

export interface NaiveResult {
  servicePrincipalsSeen: number;
  partnersWithPrincipal: number;
  partnersWithRecord: number;
}

export async function naiveDetection(client: WorkspaceClient, catalog: PartnerCatalog, recordFolder: string): Promise<NaiveResult> {
  const wanted = new Map<string, string>();
  for (const p of catalog.partners) if (p.servicePrincipalName) wanted.set(p.servicePrincipalName.toLowerCase(), p.id);
  let seen = 0;
  const found = new Set<string>();
  for await (const sp of client.iterateServicePrincipals({ pageSize: 100 })) {
    seen += 1;
    const id = wanted.get(sp.displayName.toLowerCase());
    if (id) found.add(id);
  }
  let withRecord = 0;
  for (const p of catalog.partners) {
    const text = await client.readWorkspaceFile(recordPathFor(recordFolder, p.id));
    if (text !== null) withRecord += 1;
  }
  return { servicePrincipalsSeen: seen, partnersWithPrincipal: found.size, partnersWithRecord: withRecord };
}
