/** Shared setup of the UI suites: the extension's test API, the emulator, and helpers. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createWorkspaceClient, type WorkspaceClient } from '../../../src/client';
import type { PartnerConnectApi } from '../../../src/extension';
import type { PartnerStatus, WorkspaceSnapshot } from '../../../src/domain';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { STARTER_WAREHOUSE } from '../../fixtures/seed';
import { ScriptedPrompter } from './scriptedPrompter';

export const EXTENSION_ID = 'partner-connect-tools.partner-connect-vscode';

export function requireEnv(name: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run the suite through scripts/run-host-suite (it starts the emulator and the partner simulator)`);
  return v;
}

let apiPromise: Promise<PartnerConnectApi> | undefined;
export function api(): Promise<PartnerConnectApi> {
  apiPromise ??= (async () => {
    const ext = vscode.extensions.getExtension<PartnerConnectApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const a = await ext.activate();
    assert.ok(a, 'activate() returned no test API: the suite must run out/dev-extension in ExtensionMode.Test (scripts/run-host-suite)');
    await a.ready;
    return a;
  })();
  return apiPromise;
}

/** The workspace the harness configured (settings + PC_DEMO_*). */
export function demoWorkspace(): string {
  return requireEnv('PC_DEMO_WORKSPACE_NAME');
}

let admin: WorkspaceClient | undefined;
/** A client of the emulator as its workspace admin (to arrange and check state). */
export function adminClient(): WorkspaceClient {
  admin ??= createWorkspaceClient({ host: requireEnv('PC_EMULATOR_URL'), auth: { type: 'pat', token: requireEnv('PC_EMULATOR_ADMIN_TOKEN') }, env: {} });
  return admin;
}

/** A seeded user's token, read from the demo seed file (emulator credentials, never printed). */
export function seedToken(userName: string): string {
  const seedFile = path.resolve(__dirname, '../../../../test/emulator/seeds/demo.json');
  const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8')) as { users: Array<{ userName: string; token?: string }> };
  const t = seed.users.find((u) => u.userName === userName)?.token;
  assert.ok(t, `no seeded token for ${userName}`);
  return t;
}

export async function withPrompter<T>(body: (p: ScriptedPrompter) => Promise<T>): Promise<T> {
  const a = await api();
  const p = new ScriptedPrompter();
  a.setPrompter(p);
  try {
    return await body(p);
  } finally {
    a.setPrompter(undefined);
  }
}

export async function freshSnapshot(ws = demoWorkspace()): Promise<WorkspaceSnapshot> {
  const a = await api();
  await a.services.model.refresh(ws);
  return a.services.model.snapshot(ws);
}

export async function statusOf(partnerId: string, ws = demoWorkspace()): Promise<PartnerStatus> {
  const snap = await freshSnapshot(ws);
  const s = snap.partners.find((p) => p.partnerId === partnerId);
  assert.ok(s, `unknown partner ${partnerId}`);
  return s;
}

export function partnerNode(ws: string, s: PartnerStatus): TreeNode {
  return { kind: 'partner', ws, partnerId: s.partnerId, category: s.partner.category };
}

/** Every node of the tree, depth first, with its TreeItem. */
export async function walkTree(): Promise<Array<{ node: TreeNode; item: vscode.TreeItem; depth: number }>> {
  const a = await api();
  const out: Array<{ node: TreeNode; item: vscode.TreeItem; depth: number }> = [];
  const visit = async (node: TreeNode | undefined, depth: number): Promise<void> => {
    const children = await Promise.resolve(a.services.tree.getChildren(node));
    for (const c of children ?? []) {
      out.push({ node: c, item: await Promise.resolve(a.services.tree.getTreeItem(c)), depth });
      await visit(c, depth + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}

export const READ_CHOICES = { catalog: 'analytics', isHive: false, schemas: ['marketing'], warehouse: { kind: 'existing' as const, id: STARTER_WAREHOUSE } };

/** Connects a partner with the engine directly (arranging state for a test). */
export async function engineConnect(partnerId: string, choices: import('../../../src/domain').ConnectChoices = READ_CHOICES): Promise<void> {
  const { connect } = await import('../../../src/domain');
  const a = await api();
  const p = (await a.services.model.catalog()).require(partnerId);
  await connect(await a.services.model.engineContext(demoWorkspace()), p, choices, { partnerCredentials: await a.services.store.getPartnerCredential(p.id) });
  await a.services.model.refresh(demoWorkspace());
}

/** Resets a partner's connection (cleanup; already-absent is fine). */
export async function engineReset(partnerId: string): Promise<void> {
  const { disconnect } = await import('../../../src/domain');
  const a = await api();
  const p = (await a.services.model.catalog()).require(partnerId);
  await disconnect(await a.services.model.engineContext(demoWorkspace()), p, 'reset', { partnerCredentials: await a.services.store.getPartnerCredential(p.id) }).catch(() => undefined);
  await a.services.model.refresh(demoWorkspace());
}

export async function spByName(displayName: string): Promise<import('../../../src/client').ServicePrincipal | undefined> {
  const list = await adminClient().listServicePrincipals({ filter: `displayName eq "${displayName}"` });
  return list[0];
}

/**
 * The first of `candidates` (read-profile partners with Unity Catalog support) that is not connected
 * now, so the suites do not depend on the seed's states. Callers connect it before asking again.
 */
export async function freePartner(candidates: readonly string[] = READ_PARTNERS): Promise<string> {
  const snap = await freshSnapshot();
  for (const id of candidates) {
    if (snap.partners.find((p) => p.partnerId === id)?.state === 'not-connected') return id;
  }
  throw new Error(`no free partner among ${candidates.join(', ')}`);
}
export const READ_PARTNERS = ['census', 'sigma', 'hightouch', 'lightup', 'monte-carlo', 'qlik-sense', 'stardog', 'anomalo', 'hex'] as const;

/** Makes a partner "connected outside this extension": its <PARTNER>_USER principal without a record. */
export async function connectOutside(partnerId: string): Promise<{ id: string; displayName: string }> {
  const a = await api();
  const p = (await a.services.model.catalog()).require(partnerId);
  const sp = await adminClient().createServicePrincipal({ displayName: p.servicePrincipalName ?? '', entitlements: ['workspace-access'] });
  await adminClient().patchTokenPermissions([{ service_principal_name: sp.applicationId, permission_level: 'CAN_USE' }]);
  await adminClient().createOboToken({ applicationId: sp.applicationId, comment: `made outside the extension for ${p.displayName}`, lifetimeSeconds: 90 * 86_400 });
  return { id: sp.id, displayName: sp.displayName };
}
