/**
 * What the connect form offers before anything is chosen, read in one wave: the partner's credential
 * (kind, why, and the lifetime cap as default and maximum) and the types of a new SQL warehouse.
 * The pre-flight applies the same rules to the choices (./preflight.ts).
 */
import type { CallOptions, WorkspaceClient } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import { PROFILES } from '../profiles/profiles';
import { credentialChoiceFor, userCredentialChoice, type CredentialChoice } from '../credentials/credentials';
import { describeCap, readLifetimeCap, type LifetimeCap } from '../credentials/lifetime';
import { offerWarehouseTypes, readWarehouseTypeSupport, type WarehouseTypeOffer } from '../compute/warehouseTypes';
import { wave } from '../util';
import { cloudOfDatabricksHost, workspaceCloud } from '../handoff/protocol';
import { hostnameOf } from '../handoff/manual';

export interface CredentialOption extends CredentialChoice {
  cap: LifetimeCap;
  /** the cap in words ("at most 90 days (the workspace's maxTokenLifetimeDays)") */
  capWords: string;
}

export interface ConnectFormOptions {
  /** null: the partner gets no credential (no service principal) */
  credential: CredentialOption | null;
  /** null: the partner's form cannot create a warehouse */
  warehouseTypes: WarehouseTypeOffer | null;
}

/** `asUser`: the connection will act as the signed-in non-admin (NON_ADMIN partner): their own token, no new warehouse. */
export async function connectFormOptions(client: WorkspaceClient, partner: CatalogPartner, o: CallOptions & { asUser?: boolean } = {}): Promise<ConnectFormOptions> {
  const profile = PROFILES[partner.profile];
  const needsCredential = profile.servicePrincipal && !!partner.servicePrincipalName;
  const createsWarehouse = !o.asUser && (partner.compute === 'create-warehouse' || partner.compute === 'existing-warehouse');
  // the cloud decides the credential; where the host name does not tell it, the metastore does (same wave)
  const host = hostnameOf(client.host);
  const askMetastore = needsCredential && !o.asUser && cloudOfDatabricksHost(host) === null;
  const [cap, support, summary] = await wave(o.signal, (w) => [
    needsCredential ? readLifetimeCap(client, w) : Promise.resolve(null),
    createsWarehouse ? readWarehouseTypeSupport(client, w) : Promise.resolve(null),
    askMetastore ? client.metastoreSummary(w).catch(() => null) : Promise.resolve(null),
  ]);
  const cloud = workspaceCloud(host, summary?.cloud);
  return {
    credential: cap ? { ...(o.asUser ? userCredentialChoice(partner) : credentialChoiceFor(partner, client.host, cloud)), cap, capWords: describeCap(cap) } : null,
    warehouseTypes: support ? offerWarehouseTypes(partner.displayName, partner.warehouseTypes, support) : null,
  };
}
