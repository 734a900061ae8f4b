/** Synthetic engine states for the vscode-free UI tests (one per state, with realistic details). */
import { loadBuiltinCatalog, type ConnectionStateName, type DegradedReason, type PartnerStatus, type PartnerStatusFields } from '../../src/domain';

const catalog = loadBuiltinCatalog();

export function status(partnerId: string, state: ConnectionStateName, over: Partial<PartnerStatusFields> & { reasons?: DegradedReason[] } = {}): PartnerStatus {
  const partner = catalog.require(partnerId);
  const connected = state !== 'not-connected';
  const hasSp = connected && state !== 'check-mark-only' && partner.needsServicePrincipal;
  const base: PartnerStatusFields = {
    partnerId,
    partner,
    servicePrincipal: hasSp
      ? { id: '7000000000000001', applicationId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', displayName: partner.servicePrincipalName ?? 'X_USER', active: true, entitlements: [{ value: 'workspace-access' }], groups: [] }
      : null,
    tokens: hasSp ? [{ tokenId: 'abc123', comment: `Partner Connect: ${partner.displayName}`, createdAt: '2026-01-02T03:04:05.000Z', expiry: '2027-12-31T00:00:00.000Z', createdBy: 'ava.admin@acme.example', ownerId: '7000000000000001' }] : [],
    credentials: hasSp
      ? [{ kind: 'pat', id: 'abc123', comment: `Partner Connect: ${partner.displayName}`, createdAt: '2026-01-02T03:04:05.000Z', expiry: '2027-12-31T00:00:00.000Z', lastUsedDay: '2026-01-03', status: null }]
      : [],
    warnings: [],
    compute: connected && partner.compute !== 'none' ? { kind: 'warehouse', id: 'f562046bc1272886', name: 'Starter Warehouse', state: 'RUNNING', createdForPartner: false, exists: true } : null,
    catalog: connected ? 'main' : null,
    schemas: connected && partner.schemaSelection !== 'none' ? ['sales'] : [],
    grants: { checked: hasSp, differences: [], held: hasSp ? ['USE CATALOG on main'] : [] },
    partnerAccountAdministrator: connected && partner.signInStyle === 'partner-account-admin' ? 'ava.admin@acme.example' : null,
    record:
      state === 'connected' || state === 'check-mark-only' || state === 'degraded'
        ? {
            schemaVersion: 1,
            partner: partnerId,
            partnerName: partner.displayName,
            state: 'connected',
            attemptId: 'a1',
            servicePrincipal: hasSp ? { id: '7000000000000001', applicationId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', displayName: partner.servicePrincipalName ?? '' } : null,
            tokenId: hasSp ? 'abc123' : null,
            compute: null,
            catalog: 'main',
            schemas: [],
            isHive: false,
            connectionId: null,
            connectedBy: 'ava.admin@acme.example',
            partnerAccountAdministrator: null,
            connectedAt: '2026-01-02T03:04:05.000Z',
            extensionVersion: '0.1.0',
          }
        : null,
    recordProblem: null,
  };
  const { reasons, ...fields } = over;
  return state === 'degraded' ? { ...base, ...fields, state, reasons: reasons ?? [] } : { ...base, ...fields, state };
}

export function degradedWithDrift(partnerId: string): PartnerStatus {
  return status(partnerId, 'degraded', {
    reasons: [
      { code: 'token-missing', message: 'The token abc123 recorded for the connection no longer exists.' },
      { code: 'grants-differ', message: 'USE_SCHEMA on main.sales is missing.' },
    ],
    tokens: [],
    grants: { checked: true, differences: [{ kind: 'uc', change: 'missing', securable: 'schema:main.sales', privilege: 'USE_SCHEMA' }], held: ['USE CATALOG on main'] },
  });
}
