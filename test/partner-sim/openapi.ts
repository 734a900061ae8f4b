/**
 * Reads the published Partner Connect OpenAPI file (`partner-connect-2.0.yaml`, API 2.1.1, from
 * databrickslabs/partner-connect-api) into a `ProtocolDescription`, so that tests can compare our own
 * description (`protocol.ts`) with it and run the simulator against it. Reference material only:
 * nothing at run time reads the file (see test/fixtures/reference.ts for where it is looked for).
 *
 * Reads the subset of OpenAPI 3.0 the file uses: `$ref` to `#/components/{schemas,parameters,responses}`,
 * `type`, `required`, `properties`, `items`, `enum`, `format`, `nullable`; header and query
 * parameters; request bodies and responses by media type; the `basicAuth` security scheme.
 *
 * The file is not valid YAML 1.2 in one place (the continuation lines of one multi-line
 * double-quoted description are not indented deeper than their key): those lines are re-indented
 * before parsing and reported in `syntaxFixes`. Nothing else is changed: every difference in
 * meaning is listed in `protocol.ts` (`DEVIATIONS`).
 */
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { HttpMethod, Operation, Parameter, ProtocolDescription, SchemaNode } from './protocol';

interface RawSchema {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, RawSchema>;
  items?: RawSchema;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  additionalProperties?: unknown;
}

const RawSchemaZ: z.ZodType<RawSchema> = z.lazy(() =>
  z.looseObject({
    $ref: z.string().optional(),
    type: z.string().optional(),
    required: z.array(z.string()).optional(),
    properties: z.record(z.string(), RawSchemaZ).optional(),
    items: RawSchemaZ.optional(),
    enum: z.array(z.unknown()).optional(),
    format: z.string().optional(),
    nullable: z.boolean().optional(),
    additionalProperties: z.unknown().optional(),
  }),
);

const RawParameterZ = z.looseObject({
  $ref: z.string().optional(),
  name: z.string().optional(),
  in: z.string().optional(),
  required: z.boolean().optional(),
  schema: RawSchemaZ.optional(),
});
type RawParameter = z.output<typeof RawParameterZ>;

const MediaZ = z.record(z.string(), z.looseObject({ schema: RawSchemaZ.optional() }));
const RawResponseZ = z.looseObject({ $ref: z.string().optional(), content: MediaZ.optional() });
type RawResponse = z.output<typeof RawResponseZ>;

const RawOperationZ = z.looseObject({
  operationId: z.string(),
  parameters: z.array(RawParameterZ).optional(),
  requestBody: z.looseObject({ required: z.boolean().optional(), content: MediaZ.optional() }).optional(),
  responses: z.record(z.string(), RawResponseZ),
});

const LOWER_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const OpenApiZ = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ version: z.string() }),
  paths: z.record(
    z.string(),
    z.looseObject({
      parameters: z.array(RawParameterZ).optional(),
      get: RawOperationZ.optional(),
      put: RawOperationZ.optional(),
      post: RawOperationZ.optional(),
      delete: RawOperationZ.optional(),
      patch: RawOperationZ.optional(),
    }),
  ),
  components: z.looseObject({
    schemas: z.record(z.string(), RawSchemaZ),
    parameters: z.record(z.string(), RawParameterZ).optional(),
    responses: z.record(z.string(), RawResponseZ).optional(),
    securitySchemes: z.record(z.string(), z.looseObject({ type: z.string(), scheme: z.string().optional() })).optional(),
  }),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
});

/**
 * Re-indents the continuation lines of multi-line double-quoted scalars that are not indented
 * deeper than their key (YAML 1.2 parsers reject them); returns the text and the 1-based lines fixed.
 */
export function fixQuotedScalarIndentation(text: string): { text: string; fixedLines: number[] } {
  const lines = text.split('\n');
  const fixedLines: number[] = [];
  const unescapedQuotes = (s: string) => (s.replace(/\\./g, '').match(/"/g) ?? []).length;
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)[A-Za-z0-9_$-]+:\s+(".*)$/.exec(lines[i] ?? '');
    if (!m || m[1] === undefined || m[2] === undefined || unescapedQuotes(m[2]) % 2 === 0) continue;
    const keyIndent = m[1].length;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const indent = line.length - line.trimStart().length;
      if (line.trim() !== '' && indent <= keyIndent) {
        lines[j] = ' '.repeat(keyIndent + 2 - indent) + line;
        fixedLines.push(j + 1);
      }
      if (unescapedQuotes(line) % 2 === 1) {
        i = j;
        break;
      }
    }
  }
  return { text: lines.join('\n'), fixedLines };
}

export interface PublishedProtocol {
  protocol: ProtocolDescription;
  /** Lines of the file re-indented so that it parses (see the header). */
  syntaxFixes: number[];
}

const SCHEMA_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function toSchemaNode(raw: RawSchema, at: string): SchemaNode {
  const n: SchemaNode = {};
  if (raw.$ref !== undefined) n.$ref = raw.$ref;
  if (raw.type !== undefined) {
    if (!SCHEMA_TYPES.has(raw.type)) throw new Error(`${at}: type ${raw.type} is not supported`);
    n.type = raw.type as SchemaNode['type'];
  }
  if (raw.required) n.required = [...raw.required];
  if (raw.properties) n.properties = Object.fromEntries(Object.entries(raw.properties).map(([k, v]) => [k, toSchemaNode(v, `${at}.${k}`)]));
  if (raw.items) n.items = toSchemaNode(raw.items, `${at}[]`);
  if (raw.enum) n.enum = [...raw.enum];
  if (raw.format === 'int32' || raw.format === 'int64') n.format = raw.format;
  if (raw.nullable !== undefined) n.nullable = raw.nullable;
  if (typeof raw.additionalProperties === 'boolean') n.additionalProperties = raw.additionalProperties;
  return n;
}

function refName(ref: string | undefined, kind: 'schemas' | 'parameters' | 'responses', at: string): string {
  const m = ref === undefined ? null : new RegExp(`^#/components/${kind}/(.+)$`).exec(ref);
  if (!m || !m[1]) throw new Error(`${at}: expected a $ref to #/components/${kind}/…, got ${ref ?? 'an inline schema'}`);
  return m[1];
}

/** Parses the published OpenAPI text into a ProtocolDescription. */
export function parsePublishedProtocol(text: string): PublishedProtocol {
  const fixed = fixQuotedScalarIndentation(text);
  const doc = OpenApiZ.parse(parseYaml(fixed.text));
  const c = doc.components;

  const param = (p: RawParameter, at: string): Parameter | undefined => {
    const r = p.$ref !== undefined ? c.parameters?.[refName(p.$ref, 'parameters', at)] : p;
    if (!r || !r.name || !r.in) throw new Error(`${at}: unresolvable parameter`);
    if (r.in !== 'header' && r.in !== 'query') return undefined;
    const e = r.schema?.enum?.map(String);
    return { name: r.name, in: r.in, required: r.required === true, ...(e ? { enum: e } : {}) };
  };
  const response = (r: RawResponse, at: string): string | null => {
    const resolved = r.$ref !== undefined ? c.responses?.[refName(r.$ref, 'responses', at)] : r;
    if (!resolved) throw new Error(`${at}: unresolvable response ${r.$ref ?? ''}`);
    const schema = resolved.content?.['application/json']?.schema;
    return schema ? refName(schema.$ref, 'schemas', at) : null;
  };

  const paths: ProtocolDescription['paths'] = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    const ops: Partial<Record<HttpMethod, Operation>> = {};
    for (const lower of LOWER_METHODS) {
      const o = item[lower];
      if (!o) continue;
      const at = `${lower.toUpperCase()} ${path}`;
      const parameters = [...(item.parameters ?? []), ...(o.parameters ?? [])].map((p) => param(p, at)).filter((p): p is Parameter => p !== undefined);
      const operation: Operation = {
        operationId: o.operationId,
        parameters,
        responses: Object.fromEntries(Object.entries(o.responses).map(([status, r]) => [status, response(r, `${at} ${status}`)])),
      };
      if (o.requestBody) {
        const content = o.requestBody.content ?? {};
        const schema = content['application/json']?.schema;
        operation.body = { schema: refName(schema?.$ref, 'schemas', `${at} body`), required: o.requestBody.required === true, media: Object.keys(content) };
      }
      ops[lower.toUpperCase() as HttpMethod] = operation;
    }
    paths[path] = ops;
  }
  const schemes = c.securitySchemes ?? {};
  return {
    protocol: {
      version: doc.info.version,
      basicAuth: (doc.security ?? []).some((req) => Object.keys(req).some((k) => schemes[k]?.scheme === 'basic')),
      paths,
      schemas: Object.fromEntries(Object.entries(c.schemas).map(([name, s]) => [name, toSchemaNode(s, name)])),
    },
    syntaxFixes: fixed.fixedLines,
  };
}

export function loadPublishedProtocol(file: string): PublishedProtocol {
  return parsePublishedProtocol(fs.readFileSync(file, 'utf8'));
}
