/**
 * Runs inside the extension host: the extension is present, activates, and contributes its
 * "Partner Connect" container, the Partners view and its commands; the test environment reaches
 * the extension host.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'partner-connect-tools.partner-connect-vscode';

interface Manifest {
  contributes?: {
    viewsContainers?: { activitybar?: Array<{ id: string; title: string }> };
    views?: Record<string, Array<{ id: string; name: string }>>;
    commands?: Array<{ command: string; title: string; category?: string }>;
  };
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded in this host`);
  return ext;
}

describe('activation', () => {
  it('is present in the extension host', () => {
    const ext = extension();
    assert.equal(ext.id.toLowerCase(), EXTENSION_ID);
    assert.equal((ext.packageJSON as { main?: string }).main, './dist/extension.js');
  });

  it('activates without error', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('contributes the Partner Connect activity-bar container and the Partners view', () => {
    const manifest = extension().packageJSON as Manifest;
    const containers = manifest.contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c) => c.id === 'partnerConnect'), 'no partnerConnect activity-bar container');
    const views = manifest.contributes?.views?.partnerConnect ?? [];
    assert.deepEqual(views.map((v) => v.id), ['partnerConnect.partners']);
  });

  it('has its Partners view registered in the workbench (its focus command exists)', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    assert.ok(all.has('partnerConnect.partners.focus'), 'partnerConnect.partners.focus is not a command');
  });

  it('contributes its commands under the Partner Connect category', () => {
    const commands = (extension().packageJSON as Manifest).contributes?.commands ?? [];
    const ids = commands.map((c) => c.command);
    for (const id of ['partnerConnect.addWorkspace', 'partnerConnect.refresh', 'partnerConnect.connect', 'partnerConnect.inspect', 'partnerConnect.disconnect']) {
      assert.ok(ids.includes(id), `${id} is not contributed`);
    }
    assert.ok(ids.every((id) => id.startsWith('partnerConnect.')), 'a command outside the partnerConnect. namespace');
  });

  it('sees the workspace emulator given by the test environment', async function () {
    const url = process.env.PC_EMULATOR_URL;
    const token = process.env.PC_EMULATOR_ADMIN_TOKEN;
    if (!url || !token) {
      this.skip();
      return;
    }
    const res = await fetch(`${url}/api/2.0/preview/scim/v2/Me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    const me = (await res.json()) as { userName?: unknown };
    assert.equal(typeof me.userName, 'string');
  });
});

describe('first-run walkthrough', () => {
  it('opens once: the first activation after install opens it, the next ones do not (remembered in globalState)', async () => {
    const { showWalkthroughOnce, WALKTHROUGH_ID } = await import('../../src/vscode/walkthrough/walkthrough');
    const store = new Map<string, unknown>();
    const globalState = {
      keys: () => [...store.keys()],
      get: <T>(key: string, fallback?: T): T | undefined => (store.has(key) ? (store.get(key) as T) : fallback),
      update: (key: string, value: unknown): Thenable<void> => (store.set(key, value), Promise.resolve()),
      setKeysForSync: (): void => undefined,
    } as unknown as vscode.Memento & { setKeysForSync(keys: readonly string[]): void };
    const context = { extensionMode: vscode.ExtensionMode.Production, globalState, extension: extension() };
    const lines: string[] = [];
    try {
      assert.equal(await showWalkthroughOnce(context, (l) => lines.push(l)), true, 'the first activation opens it');
      assert.equal(await showWalkthroughOnce(context, (l) => lines.push(l)), false, 'the next one does not');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.deepEqual([...store.keys()], ['partnerConnect.walkthroughShown']);
      // never in the extension-host tests (ExtensionMode.Test)
      assert.equal(await showWalkthroughOnce({ ...context, extensionMode: vscode.ExtensionMode.Test, globalState: { ...globalState, get: () => undefined } as unknown as typeof globalState }, () => undefined), false);
      assert.ok(WALKTHROUGH_ID.startsWith('partnerConnect.'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
