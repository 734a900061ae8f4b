/** Connect: claim the record, apply the plan (parallel where independent), hand off; roll back on any failure. */
import type { EngineContext } from '../context';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectChoices } from '../profiles/plan';
import type { ConnectOptions, ConnectResult } from './types';

export async function connect(ctx: EngineContext, partner: CatalogPartner, choices: ConnectChoices, opts: ConnectOptions = {}): Promise<ConnectResult> {
  void ctx;
  void partner;
  void choices;
  void opts;
  throw new Error('not implemented');
}
