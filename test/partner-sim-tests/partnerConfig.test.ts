/**
 * PartnerConfig files: our parser and our protocol description accept what the protocol allows and
 * refuse the rest; the published sample PartnerConfigs (reference material: skipped when absent)
 * load and match both our description and the published OpenAPI file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parsePartnerConfigJson, PartnerConfig } from '../../src/client/partner/partnerConfig';
import { reference, referenceJsonFiles } from '../fixtures/reference';
import { startPartnerSim } from '../partner-sim';
import { loadPublishedProtocol } from '../partner-sim/openapi';
import { PARTNER_CONNECT_PROTOCOL } from '../partner-sim/protocol';
import { ProtocolValidator } from '../partner-sim/validator';

const samples = reference('partner-connect-api/partners');
const spec = reference('partner-connect-api/partner-connect-2.0.yaml');
const files = referenceJsonFiles(samples);
const sample = (f: string): string => fs.readFileSync(path.join(samples.path, f), 'utf8');

/** A complete PartnerConfig of our own (the shape of the published samples). */
const GOOD = {
  api_version: '2.1.1',
  name: 'Example Partner',
  description_blurb: 'An example partner.',
  category: 'INGEST',
  base_url: 'https://partner.example.com/databricks',
  endpoints: { connect_path: '/connect', delete_connection_path: '/delete-connection', test_connection_path: '/test-connection' },
  sign_up_page: 'https://partner.example.com/signup',
  privacy_policy: 'https://partner.example.com/privacy',
  terms_of_service: 'https://partner.example.com/terms',
  logo_file: 'logo.png',
  icon_file: 'icon.png',
  resources_to_provision: [{ resource_type: 'PAT' }, { resource_type: 'SqlEndpoint' }],
  data_permissions: [{ permission: 'USAGE' }, { permission: 'CREATE' }],
  supported_clouds: ['aws', 'azure', 'gcp'],
  hostnames: ['partner.example.com'],
  new_user_action: 'auto_add',
};

test('the published sample PartnerConfigs are found', { skip: samples.skip }, () => {
  assert.ok(files.length >= 5, `expected the published samples in ${samples.path}, found ${files.join(', ')}`);
});

test('every published sample PartnerConfig loads, extra fields kept', { skip: samples.skip }, () => {
  for (const f of files) {
    const text = sample(f);
    const cfg = parsePartnerConfigJson(text, f);
    const raw = JSON.parse(text) as Record<string, unknown>;
    assert.equal(cfg.name, raw.name, f);
    assert.equal(cfg.base_url, raw.base_url, f);
    assert.deepEqual(cfg.hostnames, raw.hostnames, f);
    assert.equal(cfg.endpoints.connect_path, '/connect', f);
    assert.ok(cfg.resources_to_provision.length > 0, f);
    // extra fields survive (new_user_error.json has a stray top-level connect_path)
    for (const k of Object.keys(raw)) assert.ok(k in cfg, `${f}: field ${k} was dropped`);
  }
});

test('the published samples match our protocol description', { skip: samples.skip }, () => {
  const v = new ProtocolValidator(PARTNER_CONNECT_PROTOCOL, { rejectUnknownFields: false });
  for (const f of files) assert.deepEqual(v.validate('PartnerConfig', JSON.parse(sample(f))), [], f);
});

test('the published samples match the published OpenAPI PartnerConfig schema (except its undeclared allow_editable_email)', { skip: samples.skip || spec.skip }, () => {
  const published = loadPublishedProtocol(spec.path).protocol;
  const v = new ProtocolValidator(published, { rejectUnknownFields: false });
  for (const f of files) assert.deepEqual(v.validate('PartnerConfig', JSON.parse(sample(f))), ['$.allow_editable_email: is required'], f);
});

test('our description refuses a broken PartnerConfig, naming each field', () => {
  const v = new ProtocolValidator(PARTNER_CONNECT_PROTOCOL, { rejectUnknownFields: false });
  assert.deepEqual(v.validate('PartnerConfig', GOOD), []);
  assert.deepEqual(v.validate('PartnerConfig', { ...GOOD, category: 'GAMES', hostnames: 'x' }), [
    '$.category: must be one of INGEST, DATA_PREP_AND_TRANSFORM, SECURITY_AND_GOVERNANCE, BI_AND_VIZ, ML, DATA_QUALITY, REVERSE_ETL, SEMANTIC_LAYER, DATA_GOVERNANCE (got "GAMES")',
    '$.hostnames: must be an array (got string)',
  ]);
  assert.deepEqual(v.validate('PartnerConfig', { ...GOOD, auth_options: ['AUTH_OAUTH_M2M', 'AUTH_MAGIC'] }), [
    '$.auth_options[1]: must be one of AUTH_PAT, AUTH_OAUTH_M2M, AUTH_OAUTH_U2M (got "AUTH_MAGIC")',
  ]);
});

test('PartnerConfig rejects what the spec forbids, with readable messages', () => {
  const good = GOOD as Record<string, unknown>;
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, category: 'GAMES' })), /category/);
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, new_user_action: 'ignore' })), /new_user_action/);
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, endpoints: {} })), /endpoints\.connect_path/);
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, base_url: 'ftp://x' })), /base_url/);
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, resources_to_provision: [{ resource_type: 'GPU' }] })), /resource_type/);
  assert.throws(() => parsePartnerConfigJson(JSON.stringify({ ...good, auth_options: ['AUTH_MAGIC'] })), /auth_options/);
  const { hostnames: _h, ...noHostnames } = good;
  assert.throws(() => parsePartnerConfigJson(JSON.stringify(noHostnames)), /hostnames/);
  assert.throws(() => parsePartnerConfigJson('{not json'), /not valid JSON/);
  const ok = PartnerConfig.parse({ ...good, auth_options: ['AUTH_PAT', 'AUTH_OAUTH_M2M'], future_field: { x: 1 } });
  assert.deepEqual(ok.auth_options, ['AUTH_PAT', 'AUTH_OAUTH_M2M']);
  assert.deepEqual((ok as Record<string, unknown>).future_field, { x: 1 });
});

test("the simulator's PartnerConfig is valid for zod and for our protocol description", async () => {
  const sim = await startPartnerSim();
  try {
    const cfg = sim.partnerConfig();
    assert.equal(cfg.base_url, sim.url);
    assert.deepEqual(cfg.hostnames, ['127.0.0.1', 'localhost']);
    assert.equal(cfg.api_version, '2.1.1');
    assert.deepEqual(new ProtocolValidator(sim.protocol).validate('PartnerConfig', cfg), []);
    assert.equal(sim.partnerConfig({ new_user_action: 'invite' }).new_user_action, 'invite');
    assert.throws(() => sim.partnerConfig({ category: 'NOPE' as never }));
  } finally {
    await sim.close();
  }
});
