import type { PartnerCredentials } from '../../client/partner/partnerApiClient';
import type { EngineContext } from '../context';
import type { CatalogPartner } from '../partners/catalog';
import type { DisconnectItem, DisconnectMode, DisconnectResult } from './types';

export interface DisconnectOptions {
  signal?: AbortSignal;
  onProgress?: (p: { item: DisconnectItem; status: 'started' | 'done' | 'already-gone' | 'failed' }) => void;
  partnerCredentials?: PartnerCredentials;
}

export async function disconnect(ctx: EngineContext, partner: CatalogPartner, mode: DisconnectMode, opts: DisconnectOptions = {}): Promise<DisconnectResult> {
  void ctx;
  void partner;
  void mode;
  void opts;
  throw new Error('not implemented');
}
