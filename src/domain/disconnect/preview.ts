import type { WorkspaceClient } from '../../client/api';
import type { CatalogPartner } from '../partners/catalog';
import type { DisconnectMode, DisconnectPreview } from './types';

export async function previewDisconnect(
  client: WorkspaceClient,
  partner: CatalogPartner,
  mode: DisconnectMode,
  opts: { recordFolder?: string; signal?: AbortSignal } = {},
): Promise<DisconnectPreview> {
  void client;
  void partner;
  void mode;
  void opts;
  throw new Error('not implemented');
}
