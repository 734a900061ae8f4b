/**
 * Connecting a partner that is already connected (the pre-flight found its record and principal):
 * nothing is created — no service principal, no credential; the partner gets the same connection
 * details, and a protocol partner is told the connection is established (`is_connection_established`),
 * which is also how a second user, no admin needed, re-uses it (partner-connect-api TechnicalFAQ).
 */
import type { EngineContext } from '../context';
import type { CatalogPartner } from '../partners/catalog';
import type { ConnectionRecord } from '../record/record';
import { connectionDetails } from '../handoff/manual';
import { desktopFileFor } from '../handoff/desktopFiles';
import { buildConnectRequest, defaultPartnerClient, runProtocolConnect } from '../handoff/protocol';
import type { HandoffResult } from '../handoff/types';
import { requireWorkspaceId, type PreflightResult } from './preflight';
import type { ConnectOptions, ConnectResult } from './types';

/** Already connected: no new service principal or credential; the partner is told the connection exists. */
export async function reuseConnection(ctx: EngineContext, partner: CatalogPartner, pf: PreflightResult, record: ConnectionRecord, opts: ConnectOptions): Promise<ConnectResult> {
  const details = connectionDetails({
    workspaceUrl: ctx.client.host,
    warehouse: record.compute?.kind === 'warehouse' ? { id: record.compute.id } : null,
    catalog: record.catalog,
    schemas: record.schemas,
    servicePrincipal: record.servicePrincipal,
  });
  let handoff: HandoffResult;
  if (partner.handoff === 'desktop-file') handoff = { kind: 'desktop-file', file: desktopFileFor(partner, details), details };
  else if (partner.handoff === 'manual') handoff = { kind: 'manual', details, signUpUrl: partner.partnerConfig?.sign_up_page ?? partner.website, tokenDelivered: false };
  else {
    const config = partner.partnerConfig;
    if (!config) throw new Error(`internal: ${partner.displayName} has no PartnerConfig`);
    const pc = (ctx.partnerClientFactory ?? defaultPartnerClient)(config, opts.partnerCredentials, ctx.logger);
    try {
      const request = buildConnectRequest({
        me: pf.me,
        details,
        workspaceId: requireWorkspaceId(pf),
        established: true,
        connectionId: record.connectionId,
        credential: null,
        computeKind: record.compute?.kind ?? null,
        cloud: pf.cloud,
        demo: opts.demo,
      });
      handoff = await runProtocolConnect(pc, partner.displayName, request, true, opts.signal);
    } finally {
      await pc.close();
    }
  }
  opts.onProgress?.({ step: 'handoff', type: 'handoff', status: 'done', message: `${partner.displayName} is already connected: re-used the existing connection.` });
  return { partnerId: partner.id, reused: true, record, handoff, created: [] };
}
