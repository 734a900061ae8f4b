/** The tree's node model (plain data; no `vscode` import). */
import type { ConnectionStateName } from '../../domain';

export type DetailKind = 'sp' | 'token' | 'compute' | 'catalog' | 'schema' | 'grants' | 'grant' | 'admin' | 'record';

/** Messages under an account node: its list is loading or failed, the list is not available (Azure), a chosen workspace cannot be loaded. */
export type AccountMessage = 'loading' | 'error' | 'listUnavailable' | 'notLoaded' | 'empty';

export type TreeNode =
  | { kind: 'account'; account: string }
  | { kind: 'accountMessage'; account: string; message: AccountMessage; key: string }
  | { kind: 'workspace'; ws: string }
  | { kind: 'message'; ws: string; message: 'loading' | 'error' | 'empty' | 'filtered' | 'notAdmin' | 'legacyRecords' }
  | { kind: 'category'; ws: string; category: string }
  | { kind: 'partner'; ws: string; partnerId: string; category: string }
  | { kind: 'detail'; ws: string; partnerId: string; category: string; detail: DetailKind; key: string };

export function nodeId(n: TreeNode): string {
  if (n.kind === 'account') return `acct:${encodeURIComponent(n.account)}`;
  if (n.kind === 'accountMessage') return `acct:${encodeURIComponent(n.account)}/msg:${n.message}:${encodeURIComponent(n.key)}`;
  const ws = `ws:${encodeURIComponent(n.ws)}`;
  switch (n.kind) {
    case 'workspace':
      return ws;
    case 'message':
      return `${ws}/msg:${n.message}`;
    case 'category':
      return `${ws}/cat:${n.category}`;
    case 'partner':
      return `${ws}/cat:${n.category}/p:${n.partnerId}`;
    case 'detail':
      return `${ws}/cat:${n.category}/p:${n.partnerId}/${n.detail}:${n.key}`;
  }
}

export function isPartnerNode(x: unknown): x is Extract<TreeNode, { kind: 'partner' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'partner' && typeof (x as { ws?: unknown }).ws === 'string' && typeof (x as { partnerId?: unknown }).partnerId === 'string';
}
export function isAccountNode(x: unknown): x is Extract<TreeNode, { kind: 'account' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'account' && typeof (x as { account?: unknown }).account === 'string';
}
export function isAccountMessageNode(x: unknown): x is Extract<TreeNode, { kind: 'accountMessage' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'accountMessage' && typeof (x as { account?: unknown }).account === 'string';
}
export function isWorkspaceNode(x: unknown): x is Extract<TreeNode, { kind: 'workspace' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'workspace' && typeof (x as { ws?: unknown }).ws === 'string';
}
export function isDetailNode(x: unknown): x is Extract<TreeNode, { kind: 'detail' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'detail';
}
export function isMessageNode(x: unknown): x is Extract<TreeNode, { kind: 'message' }> {
  return typeof x === 'object' && x !== null && (x as TreeNode).kind === 'message';
}

export interface TreeFilter {
  states: ConnectionStateName[];
  categories: string[];
}
export const NO_FILTER: TreeFilter = { states: [], categories: [] };
export function isFilterActive(f: TreeFilter): boolean {
  return f.states.length > 0 || f.categories.length > 0;
}
