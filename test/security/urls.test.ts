/**
 * Issue 11 items 7 and 8: one URL parser (src/client/urls.ts) for a PartnerConfig's base_url (refused
 * when the file is loaded), the redirect allow-list and the opener (src/vscode/ui/openUrl.ts, which
 * also compares VS Code's reading of the authority: the host suite checks that part with the real
 * vscode.Uri).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkUrl, checkPartnerBaseUrl } from '../../src/client/urls';
import { parsePartnerConfigJson } from '../../src/client/partner/partnerConfig';
import { createPartnerApiClient, isRedirectAllowed } from '../../src/client/partner/partnerApiClient';
import { loadPartnerConfigFile, parseCatalogEntries, loadBuiltinCatalog } from '../../src/domain';
import { startPartnerSim } from '../partner-sim';

const CONFIG = {
  api_version: '2.1.1',
  name: 'Acme',
  description_blurb: 'x',
  category: 'INGEST',
  base_url: 'https://api.acme.example/pc',
  endpoints: { connect_path: '/connect' },
  sign_up_page: 'https://acme.example/signup',
  privacy_policy: 'https://acme.example/privacy',
  terms_of_service: 'https://acme.example/tos',
  logo_file: 'logo.png',
  icon_file: 'icon.png',
  resources_to_provision: [{ resource_type: 'PAT' }],
  supported_clouds: ['aws'],
  hostnames: ['app.partner.example'],
  new_user_action: 'auto_add',
};

const REFUSED_BASE_URLS: Array<[string, RegExp]> = [
  ['http://api.acme.example/pc', /plain http/],
  ['http://10.0.0.5:8080', /plain http/],
  ['https://svc:hunter2-pass@api.acme.example/pc', /user name or password/],
  ['https://svc@api.acme.example/pc', /user name or password/],
  ['https://api.acme.example/pc?key=k3y-v4lue', /query/],
  ['https://api.acme.example/pc#frag', /fragment/],
  ['https://API.acme.example/pc', /canonical/],
  ['https://api.acme.example\\@evil.example/', /canonical/],
  ['ftp://api.acme.example/', /not allowed/],
  ['api.acme.example', /absolute/],
];

test('a PartnerConfig whose base_url is plain http (not loopback), carries user:pass@ or is not canonical is refused when it is loaded', () => {
  for (const [base_url, why] of REFUSED_BASE_URLS) {
    const json = JSON.stringify({ ...CONFIG, base_url });
    for (const load of [() => parsePartnerConfigJson(json, 'acme.json'), () => loadPartnerConfigFile(json, 'acme.json')]) {
      assert.throws(load, (e: Error) => {
        assert.match(e.message, /base_url/, base_url);
        assert.match(e.message, why, base_url);
        assert.ok(!e.message.includes('hunter2') && !e.message.includes('k3y-v4lue'), `the message holds a secret: ${e.message}`);
        return true;
      });
    }
    // a catalog entry (built-in data, the dev overlay) goes through the same rule
    const entry = { ...loadBuiltinCatalog().partners.find((p) => p.partnerConfig)!, partnerConfig: { name: 'Acme', base_url, endpoints: { connect_path: '/connect' }, hostnames: [] } };
    assert.throws(() => parseCatalogEntries([entry]), /base_url/, base_url);
    // and the protocol client refuses it too, naming origin + path only
    assert.throws(
      () => createPartnerApiClient({ config: { name: 'Acme', base_url, endpoints: { connect_path: '/c' }, hostnames: [] }, credentials: undefined, env: {} }),
      (e: Error) => !e.message.includes('hunter2') && !e.message.includes('k3y-v4lue') && /base_url/.test(e.message),
    );
  }
  for (const ok of ['https://api.acme.example/pc', 'https://api.acme.example', 'http://localhost:8080', 'http://127.0.0.1:9/x', 'http://[::1]:9', 'http://partner.localhost:8080']) {
    assert.equal(parsePartnerConfigJson(JSON.stringify({ ...CONFIG, base_url: ok })).base_url, ok);
  }
});

test('the published sample PartnerConfigs (http://localhost) still load', { skip: !fs.existsSync('../shared/partner-connect-api/partners') && 'no ../shared beside the repo' }, () => {
  const dir = '../shared/partner-connect-api/partners';
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) parsePartnerConfigJson(fs.readFileSync(`${dir}/${f}`, 'utf8'), f);
});

test('the partner client logs origin + path only', async () => {
  const sim = await startPartnerSim();
  const lines: string[] = [];
  const c = createPartnerApiClient({ config: { ...sim.partnerConfig(), endpoints: { connect_path: '/connect?trace=t0ps3cret' } }, credentials: undefined, env: {}, logger: (l) => lines.push(l), retryDelaysMs: [] });
  try {
    await c.deleteConnection({ connection_id: 'x', cloud_provider: 'aws', databricks_organization_id: 1 }).catch(() => undefined);
    await c.getConnectors({ pagination_token: 'p4ge-t0ken' }).catch(() => undefined);
    await c.connect({
      user_info: { email: 'a@b.c', first_name: 'A', last_name: 'B', databricks_user_id: 1, databricks_organization_id: 1, is_connection_established: false },
      hostname: 'h',
      port: 443,
      workspace_url: 'https://h',
      workspace_id: 1,
      demo: false,
      cloud_provider: 'aws',
      is_free_trial: false,
    });
    assert.ok(lines.length > 0);
    for (const l of lines) assert.ok(!/t0ps3cret|p4ge-t0ken|\?/.test(l.replace(/\(attempt/g, '')), `a log line holds a query: ${l}`);
  } finally {
    await c.close();
    await sim.close();
  }
});

test('the redirect allow-list uses the one parser: a backslash, non-canonical forms and user info are refused', () => {
  const cfg = { hostnames: ['app.partner.example'] };
  const refused = [
    'https://app.partner.example\\@evil.example/',
    'https://app.partner.example\\evil.example/',
    'https://APP.partner.example/',
    'https://app.partner.example:443/x',
    'https://app.partner.example/a b',
    'https://app.partner.example/\tx',
    'https://app.partner.example/x\n',
    ' https://app.partner.example/',
    'https://app.partner.example/a/../b',
    'https://user@app.partner.example/',
    'https:app.partner.example/',
    'https:/app.partner.example/',
    'https://app.partner.example%2F@evil.example/',
  ];
  for (const u of refused) {
    assert.equal(isRedirectAllowed(cfg, u), false, JSON.stringify(u));
    assert.equal(checkUrl(u).ok, false, JSON.stringify(u));
  }
  for (const u of ['https://app.partner.example/', 'https://app.partner.example', 'https://app.partner.example/signin?code=1&x=%20y', 'https://app.partner.example:8443/x#done']) {
    assert.equal(isRedirectAllowed(cfg, u), true, u);
  }
  assert.equal(checkPartnerBaseUrl('https://app.partner.example/x?y=1').ok, false);
});
