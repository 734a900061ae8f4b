/**
 * Journey 10 (issue 11, standing guarantee "webviews"): names anyone who may create a catalog, schema
 * or warehouse can choose - here HTML and script - are shown as text in the connect form, never run
 * or parsed: the real webview in VS Code, fed by the emulator. The form's CSP (read inside the
 * webview) has no unsafe-* source, no remote source and scripts only by nonce.
 * Nothing is connected: the form is closed after the checks.
 */
import * as assert from 'node:assert/strict';
import { waitUntil } from '../fixtures/wait';
import { STARTER_WAREHOUSE } from '../fixtures/seed';
import { defineJourney } from './journey';
import { commandWithPick, freshView, selectIn, snap, webviewFor } from './support';

// Each would do something if it reached innerHTML: an element, an event handler setting a global, an entity.
const CATALOG = '<img src=x onerror=__pcPwned=1>';
const SCHEMA = '<i>pc_hostile<i>&lt;b&gt;'; // the emulator's schema rules: no whitespace, dot, backtick or slash
const WAREHOUSE = '"><svg onload=__pcPwned=2><script>__pcPwned=3</script>';

export default defineJourney({
  name: 'hostile catalog, schema and warehouse names are text in the connect form; its CSP is strict',
  reuseWorkbench: true,
  timeoutMs: 120_000,
  async run({ page, step, services }) {
    const state = services.emulator.state;
    const analytics = state.catalogs.get('analytics');
    const starter = state.warehouses.get(STARTER_WAREHOUSE);
    assert.ok(analytics && starter, 'the demo seed has the analytics catalog and the starter warehouse');
    state.catalogs.set(CATALOG.toLowerCase(), { ...analytics, name: CATALOG, comment: undefined });
    state.schemas.set(`${CATALOG}.${SCHEMA}`.toLowerCase(), { catalog: CATALOG, name: SCHEMA, owner: analytics.owner, created_at: Date.now() });
    state.warehouses.set('0badc0de0badc0de', { ...starter, id: '0badc0de0badc0de', name: WAREHOUSE, acl: [...starter.acl], tags: [] });
    await freshView(page, services);

    await commandWithPick(page, 'Partner Connect: Connect…', /connect a partner/i, 'Hex');
    const form = await webviewFor(page, /Hex/);
    await form.locator('#title').waitFor({ state: 'visible', timeout: 30_000 });

    // ---- the CSP the webview runs under
    const csp = (await form.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"], csp);
    assert.equal(directives['script-src']?.length, 1, csp);
    assert.match(directives['script-src'][0], /^'nonce-[A-Za-z0-9+/=]{16,}'$/, csp);
    // every other source is the webview's own resource origin (VS Code's cspSource, as style-src has it: 'self' in
    // code-server, where the webview resources come from the same origin), or data: images
    const own = directives['style-src'] ?? [];
    assert.ok(own.length > 0 && own.every((x) => !['*', 'http:', 'https:', 'data:'].includes(x) && !x.includes('unsafe')), `style-src ${own.join(' ')}`);
    for (const [k, sources] of Object.entries(directives)) {
      for (const src of sources) {
        const ok = src === "'none'" || own.includes(src) || (k === 'script-src' && src.startsWith("'nonce-")) || (k === 'img-src' && src === 'data:');
        assert.ok(ok, `${k} allows ${src} (${csp})`);
      }
    }

    // ---- the hostile names, as text
    await selectIn(form, 'catalog', CATALOG);
    const schemas = form.locator('[data-testid="schemas"]');
    await waitUntil(async () => (await schemas.locator('option').allTextContents()).includes(SCHEMA), 'the hostile schema in the schema list', 30_000);
    await schemas.selectOption(SCHEMA);
    const mode = form.locator('[data-testid="warehouse-mode-existing"]');
    if ((await mode.count()) > 0) await mode.check();
    await selectIn(form, 'warehouse', '0badc0de0badc0de');
    const plan = form.locator('[data-testid="plan"]');
    await waitUntil(async () => (await plan.innerText()).includes(SCHEMA), 'the plan to name the chosen schema', 30_000);
    await snap(page, step, 'hostile-names');

    const catalogTexts = await form.locator('[data-testid="catalog"] option').allTextContents();
    assert.ok(catalogTexts.some((t) => t.includes(CATALOG)), `the catalog name is shown as typed: ${JSON.stringify(catalogTexts)}`);
    const warehouseTexts = await form.locator('[data-testid="warehouse"] option').allTextContents();
    assert.ok(warehouseTexts.some((t) => t.includes(WAREHOUSE)), `the warehouse name is shown as typed: ${JSON.stringify(warehouseTexts)}`);
    const planText = await plan.innerText();
    for (const n of [CATALOG, SCHEMA]) assert.ok(planText.includes(n), `the plan shows ${n} as typed: ${planText.slice(0, 400)}`);

    // ---- nothing was parsed or run
    const body = form.locator('body');
    const dom = await body.evaluate(() => ({
      pwned: (globalThis as { __pcPwned?: unknown }).__pcPwned ?? null,
      injected: document.querySelectorAll('img[src="x"], svg, i, b, [onerror], [onload]').length,
      injectedScripts: Array.from(document.scripts).filter((s) => (s.textContent ?? '').includes('__pcPwned')).length, // VS Code injects its own (acquireVsCodeApi)
    }));
    assert.deepEqual(dom, { pwned: null, injected: 0, injectedScripts: 0 });

    await page.keyboard.press('Escape');
    await freshView(page, services); // closes the form: nothing connected
    assert.equal([...state.servicePrincipals.values()].some((s) => s.displayName === 'HEX_USER'), false, 'nothing was connected');
  },
});
