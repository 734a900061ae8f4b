import type { EngineContext } from '../context';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectOptions } from '../connect/types';
import type { HandoffResult } from '../handoff/types';

export interface RotateResult {
  partnerId: string;
  newTokenId: string;
  /** the tokens deleted after the hand-off */
  deletedTokenIds: string[];
  handoff: HandoffResult;
}

/** Create a new token, hand it off, then delete the old one(s). */
export async function rotateToken(ctx: EngineContext, partner: CatalogPartner, opts: Omit<ConnectOptions, 'demo'> = {}): Promise<RotateResult> {
  void ctx;
  void partner;
  void opts;
  throw new Error('not implemented');
}
