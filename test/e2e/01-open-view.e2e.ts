/**
 * Journey 1 (smoke): the packaged extension is installed in code-server; its "Partner Connect"
 * activity-bar container exists, the Partners view opens and shows the preconfigured demo workspace,
 * and the extension reached the workspace emulator with the demo credentials.
 */
import * as assert from 'node:assert/strict';
import { activityBarItem, openPartnerConnectView, runCommand, treeRows, waitForExtensionsActivated } from '../harness/browser';
import { waitUntil } from '../fixtures/wait';
import { defineJourney } from './journey';
import { extensionLogTail } from './support';

export default defineJourney({
  name: 'open the Partner Connect view',
  async run({ page, step, services, codeServer }) {
    const item = activityBarItem(page);
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await item.count(), 1, 'one Partner Connect entry in the activity bar');
    await step('workbench');

    await openPartnerConnectView(page);
    const title = page.locator('.part.sidebar .composite.title');
    await title.waitFor({ state: 'visible' });
    assert.match(await title.innerText(), /^\s*partner connect\s*$/i, 'one short title: "Partner Connect" (not "Partner Connect: Partners")');
    const heading = title.locator('h2').first();
    const cut = await heading.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
    assert.equal(cut, false, `the view title is not cut at the default side-bar width (${await heading.innerText()})`);

    // The demo workspace comes from the user settings (services.settings) and is the tree's root.
    const workspaceName = services.env.PC_DEMO_WORKSPACE_NAME;
    await treeRows(page).filter({ hasText: workspaceName }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // ...and the extension talked to the emulator as the seeded admin (state, not only pixels).
    const adminCall = await waitUntil(
      () => services.emulator.requests.find((r) => r.status === 200 && r.auth !== ''),
      'an authenticated request from the extension to the emulator',
      30_000,
    );
    assert.ok(adminCall.path.startsWith('/api/'), `unexpected first request ${adminCall.method} ${adminCall.path}`);
    await waitForExtensionsActivated(page);
    await step('view');

    // The first-run walkthrough opens after install (the first activation)
    const walkthrough = page.locator('.part.editor', { hasText: 'Get started with Partner Connect' });
    await walkthrough.waitFor({ state: 'visible', timeout: 30_000 });
    for (const s of ['Add a workspace', 'Read the partner states', 'Connect a partner', 'Disconnect']) {
      assert.ok((await walkthrough.innerText()).includes(s), `the walkthrough has the step "${s}"`);
    }
    await step('walkthrough');
    const opened = /walkthrough: opened on first use/;
    await waitUntil(() => opened.test(extensionLogTail(codeServer.userDataDir, 400)), 'the log to say the walkthrough was opened', 15_000);
    // (that it opens once only, not on the next activation, the host suite shows: activation.suite.ts)
    await runCommand(page, 'View: Close All Editors');

    // The activity-bar entry belongs to the container: close the side bar, click it, it is back.
    await runCommand(page, 'View: Close Primary Side Bar');
    await page.locator('.part.sidebar').waitFor({ state: 'hidden' });
    await item.click();
    await page.locator('.part.sidebar .composite.title', { hasText: /partner connect/i }).waitFor({ state: 'visible' });
    await step('reopened');
  },
});
