/**
 * Who may connect a partner — the one rule the pre-flight, the menus and the connect form share.
 *
 * - A workspace admin (member of `admins`) may connect every partner: Partner Connect is administered
 *   by workspace admins (the seed), and connecting creates a service principal, its credential and
 *   grants, which only an admin can make.
 * - Anyone may re-use an established connection of a Partner Connect protocol partner: re-using
 *   creates nothing, it tells the partner the connection exists (partner-connect-api TechnicalFAQ:
 *   "the second user does not need to be an admin on the Databricks side"). Reading the connection
 *   record is all it needs.
 * - A partner flagged NON_ADMIN (`supported_features` of its PartnerConfig, as the self-testing
 *   partner config defines it) may be connected by a non-admin. Such a connection acts as that user:
 *   no service principal, the user's own personal access token (NON_ADMIN partners get AUTH_PAT,
 *   never AUTH_OAUTH_M2M: self-testing-partner-cli README), the user's own data permissions.
 * - Everyone else is refused up front, with what is missing.
 */
import type { CatalogPartner } from '../partners/catalog';
import { principalNameOf } from '../partners/catalog';
import { PROFILES } from '../profiles/profiles';

export interface ConnectingUser {
  userName: string;
  isWorkspaceAdmin: boolean;
}

/** What the workspace already holds for the partner, as far as the caller knows (e.g. the tree's state). */
export interface ConnectionNow {
  /** a connection record marks the partner connected */
  established?: boolean;
}

export type ConnectAccess =
  | { allowed: true; as: 'admin' }
  /** a non-admin re-using an established protocol connection: nothing is created */
  | { allowed: true; as: 'reuse'; why: string }
  /** a non-admin connecting a NON_ADMIN partner: the connection acts as them */
  | { allowed: true; as: 'user'; why: string }
  | { allowed: false; code: 'not-workspace-admin'; reason: string; missing: string[] };

/** Does Partner Connect let non-admins connect this partner (NON_ADMIN)? */
export function allowsNonAdmins(partner: Pick<CatalogPartner, 'nonAdmin'>): boolean {
  return partner.nonAdmin === true;
}

export function canConnect(partner: CatalogPartner, me: ConnectingUser, now: ConnectionNow = {}): ConnectAccess {
  if (me.isWorkspaceAdmin) return { allowed: true, as: 'admin' };
  if (now.established && partner.handoff === 'protocol') {
    return { allowed: true, as: 'reuse', why: `${partner.displayName} is already connected: re-using the connection creates nothing and needs no workspace admin.` };
  }
  if (allowsNonAdmins(partner)) {
    return {
      allowed: true,
      as: 'user',
      why: `${partner.displayName} may be connected by non-admins (NON_ADMIN): the connection acts as you — your own personal access token and your own data permissions, no service principal.`,
    };
  }
  const profile = PROFILES[partner.profile];
  const needs: string[] = [];
  if (profile.servicePrincipal) needs.push(`creating the service principal ${principalNameOf(partner)} and its credential`);
  if (profile.tokenUse) needs.push('giving it CAN USE on tokens');
  if (profile.unityCatalog || profile.hive) needs.push('granting it data access');
  if (needs.length === 0) needs.push('administering Partner Connect (the seed: connections are made by workspace admins)');
  return {
    allowed: false,
    code: 'not-workspace-admin',
    reason:
      `${me.userName} is not a workspace admin: connecting ${partner.displayName} needs one (${needs.join(', ')}).` +
      (partner.handoff === 'protocol' ? ' Once an admin has connected it, you can re-use the connection.' : '') +
      ' Ask a workspace admin to connect it, or to add you to the admins group.',
    missing: ['membership of the workspace admins group'],
  };
}
