import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parsePartnerConfigJson, PartnerConfig } from '../../src/client/partner/partnerConfig';
import { loadPartnerConnectSpec, SpecValidator } from '../partner-sim/openapi';
import { partnerConnectSpecPath, samplePartnerConfigsDir } from '../partner-sim/paths';
import { startPartnerSim } from '../partner-sim';

const dir = samplePartnerConfigsDir();
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));

test('the shared folder is found beside the repo root and holds the sample PartnerConfigs', () => {
  assert.ok(files.length >= 5, `expected the published samples in ${dir}, found ${files.join(', ')}`);
});

for (const f of files) {
  test(`sample PartnerConfig ${f} loads`, () => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const cfg = parsePartnerConfigJson(text, f);
    const raw = JSON.parse(text) as Record<string, unknown>;
    assert.equal(cfg.name, raw.name);
    assert.equal(cfg.base_url, raw.base_url);
    assert.deepEqual(cfg.hostnames, raw.hostnames);
    assert.equal(cfg.endpoints.connect_path, '/connect');
    assert.ok(cfg.resources_to_provision.length > 0);
    // extra fields survive (new_user_error.json has a stray top-level connect_path)
    for (const k of Object.keys(raw)) assert.ok(k in cfg, `${f}: field ${k} was dropped`);
  });
}

test('the samples match the YAML PartnerConfig schema (with the documented errata)', () => {
  const v = new SpecValidator(loadPartnerConnectSpec(partnerConnectSpecPath()), { rejectUnknownFields: false });
  for (const f of files) {
    const errors = v.validate('PartnerConfig', JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    assert.deepEqual(errors, [], f);
  }
  // and the validator does catch a broken one
  const broken = { ...JSON.parse(fs.readFileSync(path.join(dir, 'test.json'), 'utf8')), category: 'GAMES', hostnames: 'x' };
  assert.deepEqual(v.validate('PartnerConfig', broken).length, 2);
});

test('PartnerConfig rejects what the spec forbids, with readable messages', () => {
  const good = JSON.parse(fs.readFileSync(path.join(dir, 'test.json'), 'utf8')) as Record<string, unknown>;
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

test("the simulator's PartnerConfig is valid for zod and for the YAML schema", async () => {
  const sim = await startPartnerSim();
  try {
    const cfg = sim.partnerConfig();
    assert.equal(cfg.base_url, sim.url);
    assert.deepEqual(cfg.hostnames, ['127.0.0.1', 'localhost']);
    assert.equal(cfg.api_version, '2.1.1');
    const v = new SpecValidator(sim.spec, { rejectUnknownFields: false });
    // auth_options is not in the 2.1.1 PartnerConfig schema; everything else must match it exactly.
    const { auth_options: _a, ...rest } = cfg;
    assert.deepEqual(new SpecValidator(sim.spec).validate('PartnerConfig', rest), []);
    assert.deepEqual(v.validate('PartnerConfig', cfg), []);
    assert.equal(sim.partnerConfig({ new_user_action: 'invite' }).new_user_action, 'invite');
    assert.throws(() => sim.partnerConfig({ category: 'NOPE' as never }));
  } finally {
    await sim.close();
  }
});
