/**
 * Our client's zod schemas (src/client/partner/partnerConfig.ts) against our description of the
 * protocol (test/partner-sim/protocol.ts, what the simulator checks): same property names, required
 * sets, types, enums and nullability, recursively. Runs from a bare clone; the description itself is
 * held against the published OpenAPI file by protocol-reference.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import * as S from '../../src/client/partner/partnerConfig';
import { diffSchemas, schemaResolver } from '../partner-sim/compare';
import { PARTNER_CONNECT_PROTOCOL, type SchemaNode } from '../partner-sim/protocol';

/**
 * Differences the client may have. `pending`: allowed while the client does not use the protocol's
 * latitude yet (it is stricter in what it sends), then it must go.
 */
const ALLOWED: ReadonlyArray<{ match: RegExp; why: string; pending?: boolean }> = [];

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/**
 * zod's JSON Schema in the description's terms (nullable as a flag; no formats). A schema that states
 * its wire type beside its accepted inputs (Int64: a bigint, a safe number or decimal text, always
 * sent as an integer) is compared by that type.
 */
export function fromJsonSchema(js: JsonSchema): SchemaNode {
  const nullish = (s: JsonSchema) => s.type === 'null';
  if (js.anyOf && js.type === undefined) {
    const rest = js.anyOf.filter((s) => !nullish(s));
    const node = rest.length === 1 && rest[0] ? fromJsonSchema(rest[0]) : {};
    return rest.length < js.anyOf.length ? { ...node, nullable: true } : node;
  }
  const n: SchemaNode = {};
  const types = Array.isArray(js.type) ? js.type : js.type !== undefined ? [js.type] : [];
  const nonNull = types.filter((t) => t !== 'null');
  if (nonNull.length === 1) n.type = nonNull[0] as SchemaNode['type'];
  if (nonNull.length < types.length) n.nullable = true;
  if (js.enum) n.enum = js.enum.filter((v) => v !== null);
  if (js.required) n.required = js.required;
  if (js.properties) n.properties = Object.fromEntries(Object.entries(js.properties).map(([k, v]) => [k, fromJsonSchema(v)]));
  if (js.items) n.items = fromJsonSchema(js.items);
  return n;
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

const resolveProtocol = schemaResolver(PARTNER_CONNECT_PROTOCOL.schemas);
const noRefs = () => undefined;

function diffZod(name: string, schema: z.ZodType): string[] {
  const js = fromJsonSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  const ours = PARTNER_CONNECT_PROTOCOL.schemas[name];
  assert.ok(ours, `${name} missing from the protocol description`);
  return diffSchemas(ours, js, name, resolveProtocol, noRefs, { labels: ['protocol', 'zod'], format: false });
}

const seen = new Set<RegExp>();
for (const [name, schema] of PAIRS) {
  test(`zod schema for ${name} matches the protocol description`, () => {
    const diffs = diffZod(name, schema);
    for (const d of diffs) {
      const a = ALLOWED.find((x) => x.match.test(d));
      if (a) seen.add(a.match);
    }
    assert.deepEqual(
      diffs.filter((d) => !ALLOWED.some((a) => a.match.test(d))),
      [],
    );
  });
}

test('every allowed client deviation still occurs (or is pending)', () => {
  const stale = ALLOWED.filter((a) => !a.pending && !seen.has(a.match)).map((a) => String(a.match));
  assert.deepEqual(stale, []);
});

test('the comparison itself detects drift', () => {
  const drifted = z.strictObject({ connection_id: z.number(), extra: z.string(), token: z.string().nullable() });
  const diffs = diffSchemas(
    PARTNER_CONNECT_PROTOCOL.schemas.ConnectionInfo as SchemaNode,
    fromJsonSchema(z.toJSONSchema(drifted, { io: 'input' }) as JsonSchema),
    'ConnectionInfo',
    resolveProtocol,
    noRefs,
    { labels: ['protocol', 'zod'], format: false },
  );
  assert.deepEqual(diffs, [
    'ConnectionInfo.extra: only in zod',
    'ConnectionInfo.token: only in zod',
    'ConnectionInfo.extra: required only in zod',
    'ConnectionInfo.token: required only in zod',
    'ConnectionInfo.connection_id: type protocol=string zod=number',
  ]);
  const nullable = diffSchemas({ type: 'string' }, fromJsonSchema(z.toJSONSchema(z.string().nullable()) as JsonSchema), 'x', resolveProtocol, noRefs, { labels: ['protocol', 'zod'] });
  assert.deepEqual(nullable, ['x: nullable only in zod']);
  const enums = diffSchemas({ type: 'string', enum: ['a', 'b'] }, fromJsonSchema(z.toJSONSchema(z.enum(['b', 'c'])) as JsonSchema), 'x', resolveProtocol, noRefs, { labels: ['protocol', 'zod'] });
  assert.deepEqual(enums, ['x: enum value "a" only in protocol', 'x: enum value "c" only in zod']);
});
