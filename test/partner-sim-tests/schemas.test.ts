/**
 * Our zod schemas against the OpenAPI file: same property names, same required sets, same types
 * and enums, recursively — except for the deviations documented in partnerConfig.ts, which are
 * listed here one by one so that any other drift (or a fix of the spec) fails this test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import * as S from '../../src/client/partner/partnerConfig';
import { loadPartnerConnectSpec, type SchemaNode } from '../partner-sim/openapi';
import { partnerConnectSpecPath } from '../partner-sim/paths';

const spec = loadPartnerConnectSpec(partnerConnectSpecPath());

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
}

/** Known, documented differences: path → what is allowed to differ. */
const DEVIATIONS: Record<string, { zodOnlyEnum?: string[]; yamlOnlyEnum?: string[]; zodOnlyProps?: string[]; notRequiredInZod?: string[]; zodAddsEnum?: boolean }> = {
  // the loader's erratum adds gcp to the YAML enum; zod never accepts the typo gpc
  'ConnectRequest.cloud_provider': { yamlOnlyEnum: ['gpc'] },
  'DeleteConnectionRequest.cloud_provider': { zodAddsEnum: true },
  'DeleteConnectionResponse.resource_status': { zodOnlyEnum: ['user_unauthorized'] },
  PartnerConfig: { zodOnlyProps: ['auth_options'] },
};

function resolve(node: SchemaNode): SchemaNode {
  if (node.$ref) {
    const name = node.$ref.replace('#/components/schemas/', '');
    const r = spec.components.schemas[name];
    assert.ok(r, `unresolvable ${node.$ref}`);
    return resolve(r);
  }
  return node;
}

function compare(zs: JsonSchema, ys0: SchemaNode, at: string, diffs: string[]): void {
  const ys = resolve(ys0);
  const dev = DEVIATIONS[at] ?? {};
  // a nullable YAML type is zod's [type, "null"]
  const zt = Array.isArray(zs.type) && ys.nullable && zs.type.length === 2 && zs.type.includes('null') ? zs.type.find((t: unknown) => t !== 'null') : zs.type;
  if (ys.type !== zt) diffs.push(`${at}: type yaml=${ys.type} zod=${zs.type}`);
  if (ys.enum || zs.enum) {
    if (!ys.enum && dev.zodAddsEnum) {
      // stricter on what we send
    } else {
      const y = new Set((ys.enum ?? []).map(String));
      const zz = new Set((zs.enum ?? []).map(String));
      const zodOnly = [...zz].filter((v) => !y.has(v)).sort();
      const yamlOnly = [...y].filter((v) => !zz.has(v)).sort();
      const expectedYamlOnly = (dev.yamlOnlyEnum ?? []).slice().sort();
      if (JSON.stringify(zodOnly) !== JSON.stringify((dev.zodOnlyEnum ?? []).slice().sort())) diffs.push(`${at}: enum values only in zod: ${zodOnly.join(', ')}`);
      if (JSON.stringify(yamlOnly) !== JSON.stringify(expectedYamlOnly)) diffs.push(`${at}: enum values only in yaml: ${yamlOnly.join(', ')}`);
    }
  }
  if (ys.type === 'object') {
    const yp = Object.keys(ys.properties ?? {});
    const zp = Object.keys(zs.properties ?? {});
    const zodOnly = zp.filter((p) => !yp.includes(p));
    const yamlOnly = yp.filter((p) => !zp.includes(p));
    if (JSON.stringify(zodOnly) !== JSON.stringify(dev.zodOnlyProps ?? [])) diffs.push(`${at}: properties only in zod: ${zodOnly.join(', ')}`);
    if (yamlOnly.length) diffs.push(`${at}: properties only in yaml: ${yamlOnly.join(', ')}`);
    const yr = new Set(ys.required ?? []);
    const zr = new Set(zs.required ?? []);
    for (const r of yr) if (!zr.has(r) && !(dev.notRequiredInZod ?? []).includes(r)) diffs.push(`${at}.${r}: required in yaml, optional in zod`);
    for (const r of zr) if (!yr.has(r)) diffs.push(`${at}.${r}: required in zod, optional in yaml`);
    for (const p of yp) {
      const zc = zs.properties?.[p];
      const yc = ys.properties?.[p];
      if (zc && yc) compare(zc, yc, `${at}.${p}`, diffs);
    }
  }
  if (ys.type === 'array' && ys.items && zs.items) compare(zs.items, ys.items, `${at}[]`, diffs);
}

const PAIRS: Array<[string, z.ZodType]> = [
  ['ConnectRequest', S.ConnectRequest],
  ['UserInfo', S.UserInfo],
  ['Auth', S.Auth],
  ['Connection', S.ConnectResponse],
  ['ErrorResponse', S.ErrorResponse],
  ['DeleteConnectionRequest', S.DeleteConnectionRequest],
  ['DeleteConnectionResponse', S.DeleteConnectionResponse],
  ['ConnectionInfo', S.TestConnectionRequest],
  ['ConnectionTestResult', S.TestConnectionResponse],
  ['TestResult', S.TestResult],
  ['ConnectorResponse', S.ConnectorResponse],
  ['PartnerConfig', S.PartnerConfig],
];

for (const [yamlName, schema] of PAIRS) {
  test(`zod schema for ${yamlName} matches the OpenAPI file`, () => {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    const y = spec.components.schemas[yamlName];
    assert.ok(y, `${yamlName} missing from the spec`);
    const diffs: string[] = [];
    compare(js, y, yamlName, diffs);
    assert.deepEqual(diffs, []);
  });
}

test('the spec errata are exactly the documented ones', () => {
  assert.equal(spec.info.version, '2.1.1');
  assert.equal(spec.errata.length, 4, spec.errata.join('\n'));
  assert.match(spec.errata[0] ?? '', /YAML syntax/);
  assert.match(spec.errata[1] ?? '', /allow_editable_email/);
  assert.match(spec.errata[2] ?? '', /cloud_provider.*gcp/);
  assert.match(spec.errata[3] ?? '', /personal_access_token: nullable/);
  assert.equal(spec.components.schemas.PartnerConfig?.required?.includes('allow_editable_email'), false);
  assert.deepEqual(spec.components.schemas.ConnectRequest?.properties?.cloud_provider?.enum, ['aws', 'azure', 'gpc', 'gcp']);
});

test('the comparison itself detects drift', () => {
  const diffs: string[] = [];
  const drifted = z.strictObject({ connection_id: z.number(), extra: z.string() });
  compare(z.toJSONSchema(drifted, { io: 'input' }) as JsonSchema, spec.components.schemas.ConnectionInfo as SchemaNode, 'ConnectionInfo', diffs);
  assert.deepEqual(diffs, ['ConnectionInfo: properties only in zod: extra', 'ConnectionInfo.extra: required in zod, optional in yaml', 'ConnectionInfo.connection_id: type yaml=string zod=number']);
});
