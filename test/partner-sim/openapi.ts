/**
 * Validates Partner Connect requests against the published OpenAPI file itself (not against our
 * zod schemas, so that the two are independent checks of each other).
 *
 * Implements the subset of OpenAPI 3.0 / JSON Schema the file uses: `$ref` to
 * `#/components/schemas/*`, `type` (object, array, string, integer, number, boolean), `required`,
 * `properties`, `items`, `enum`, `format: int32`, `nullable`; header parameters (`required`,
 * `enum`); the `basicAuth` security scheme.
 *
 * Stricter than OpenAPI on one point, on purpose: a property that the schema does not declare is
 * reported (`rejectUnknownFields`, default true) — a misspelt field is a bug in the sender.
 *
 * Errata applied to the loaded file (listed in `spec.errata`, asserted by tests):
 * - YAML syntax: the continuation lines of one multi-line double-quoted description are not
 *   indented deeper than their key, which YAML 1.2 parsers reject; they are re-indented.
 * - PartnerConfig.allow_editable_email is listed in `required` but not declared under `properties`,
 *   and none of the published samples has it: it is declared as an optional boolean.
 * - Auth.personal_access_token is declared a plain string, but its description says it is null when
 *   the partner's auth_options lack AUTH_PAT (AUTH_OAUTH_M2M): declared nullable.
 * - ConnectRequest.cloud_provider enum `aws | azure | gpc`: `gcp` is added (typo in the file; every
 *   other cloud_provider field in it says "Valid values are aws, azure, gcp").
 *
 * Error messages name paths and expected shapes. They quote a received value only for enum and
 * header mismatches, and never for a secret-bearing field.
 */
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

export interface SchemaNode {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  format?: string;
  nullable?: boolean;
  additionalProperties?: boolean | SchemaNode;
}

const SchemaNodeZ: z.ZodType<SchemaNode> = z.lazy(() =>
  z.looseObject({
    $ref: z.string().optional(),
    type: z.string().optional(),
    required: z.array(z.string()).optional(),
    properties: z.record(z.string(), SchemaNodeZ).optional(),
    items: SchemaNodeZ.optional(),
    enum: z.array(z.unknown()).optional(),
    format: z.string().optional(),
    nullable: z.boolean().optional(),
    additionalProperties: z.union([z.boolean(), SchemaNodeZ]).optional(),
  }),
);

const ParameterZ = z.looseObject({
  $ref: z.string().optional(),
  name: z.string().optional(),
  in: z.string().optional(),
  required: z.boolean().optional(),
  schema: SchemaNodeZ.optional(),
});
type Parameter = z.output<typeof ParameterZ>;

const OperationZ = z.looseObject({
  operationId: z.string().optional(),
  parameters: z.array(ParameterZ).optional(),
  requestBody: z
    .looseObject({
      required: z.boolean().optional(),
      content: z.record(z.string(), z.looseObject({ schema: SchemaNodeZ.optional() })).optional(),
    })
    .optional(),
});
type Operation = z.output<typeof OperationZ>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];

const PathItemZ = z.looseObject({
  parameters: z.array(ParameterZ).optional(),
  get: OperationZ.optional(),
  put: OperationZ.optional(),
  post: OperationZ.optional(),
  delete: OperationZ.optional(),
  patch: OperationZ.optional(),
});

const SpecZ = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ version: z.string() }),
  paths: z.record(z.string(), PathItemZ),
  components: z.looseObject({
    schemas: z.record(z.string(), SchemaNodeZ),
    parameters: z.record(z.string(), ParameterZ).optional(),
    securitySchemes: z.record(z.string(), z.looseObject({ type: z.string(), scheme: z.string().optional() })).optional(),
  }),
  security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
});
export type PartnerConnectSpec = z.output<typeof SpecZ> & { errata: string[] };

/** Field names whose values are secrets: never quoted in an error message. */
export const SECRET_FIELDS = new Set(['personal_access_token', 'service_principal_oauth_secret', 'oauth_token', 'password']);

/**
 * The published file is not valid YAML 1.2 in one place: the continuation lines of a multi-line
 * double-quoted `description` (PartnerConfig.logo_file) are not indented deeper than their key.
 * Re-indents such continuation lines; returns the fixed text and the 1-based lines it touched.
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

export function loadPartnerConnectSpec(file: string): PartnerConnectSpec {
  const errata: string[] = [];
  const fixed = fixQuotedScalarIndentation(fs.readFileSync(file, 'utf8'));
  if (fixed.fixedLines.length > 0) {
    errata.push(`YAML syntax: re-indented continuation lines ${fixed.fixedLines.join(', ')} of a double-quoted scalar`);
  }
  const raw: unknown = parseYaml(fixed.text);
  const spec = SpecZ.parse(raw);
  const pc = spec.components.schemas.PartnerConfig;
  if (pc?.required?.includes('allow_editable_email') && !pc.properties?.allow_editable_email) {
    pc.required = pc.required.filter((r) => r !== 'allow_editable_email');
    pc.properties = { ...pc.properties, allow_editable_email: { type: 'boolean' } };
    errata.push('PartnerConfig.allow_editable_email: required but never declared (and absent from every sample): declared as an optional boolean');
  }
  const cp = spec.components.schemas.ConnectRequest?.properties?.cloud_provider;
  if (cp?.enum && cp.enum.includes('gpc') && !cp.enum.includes('gcp')) {
    cp.enum = [...cp.enum, 'gcp'];
    errata.push('ConnectRequest.cloud_provider: added "gcp" (the file lists the typo "gpc")');
  }
  const pat = spec.components.schemas.Auth?.properties?.personal_access_token;
  if (pat && !pat.nullable) {
    pat.nullable = true;
    errata.push('Auth.personal_access_token: nullable (its description: "null if the auth_options in PartnerConfig ... does not contain AUTH_PAT")');
  }
  return Object.assign(spec, { errata });
}

export interface ValidateOptions {
  rejectUnknownFields?: boolean;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

export class SpecValidator {
  readonly rejectUnknownFields: boolean;
  constructor(
    readonly spec: PartnerConnectSpec,
    o: ValidateOptions = {},
  ) {
    this.rejectUnknownFields = o.rejectUnknownFields ?? true;
  }

  /** The named component schema (e.g. "ConnectRequest"). */
  schema(name: string): SchemaNode {
    const s = this.spec.components.schemas[name];
    if (!s) throw new Error(`No schema ${name} in the spec`);
    return s;
  }

  /** Validates `value` against a schema node or a component schema name; returns the errors. */
  validate(schema: SchemaNode | string, value: unknown, at = '$'): string[] {
    const errors: string[] = [];
    const node = typeof schema === 'string' ? this.schema(schema) : schema;
    this.walk(node, value, at, errors, typeof schema === 'string' ? schema : undefined);
    return errors;
  }

  private resolve(ref: string): { node: SchemaNode; name: string } | undefined {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !m[1]) return undefined;
    const node = this.spec.components.schemas[m[1]];
    return node ? { node, name: m[1] } : undefined;
  }

  private walk(node: SchemaNode, value: unknown, at: string, errors: string[], name?: string): void {
    if (node.$ref !== undefined) {
      const r = this.resolve(node.$ref);
      if (!r) {
        errors.push(`${at}: unresolvable $ref ${node.$ref}`);
        return;
      }
      this.walk(r.node, value, at, errors, r.name);
      return;
    }
    const key = at.split('.').pop() ?? '';
    if (value === null) {
      if (!node.nullable) errors.push(`${at}: must not be null`);
      return;
    }
    switch (node.type) {
      case 'object':
        if (typeof value !== 'object' || Array.isArray(value)) {
          errors.push(`${at}: must be an object (got ${describe(value)})`);
          return;
        }
        break;
      case 'array':
        if (!Array.isArray(value)) {
          errors.push(`${at}: must be an array (got ${describe(value)})`);
          return;
        }
        break;
      case 'string':
        if (typeof value !== 'string') {
          errors.push(`${at}: must be a string (got ${describe(value)})`);
          return;
        }
        break;
      case 'boolean':
        if (typeof value !== 'boolean') {
          errors.push(`${at}: must be a boolean (got ${describe(value)})`);
          return;
        }
        break;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          errors.push(`${at}: must be an integer (got ${describe(value)})`);
          return;
        }
        if (node.format === 'int32' && (value < -2147483648 || value > 2147483647)) {
          errors.push(`${at}: must be an int32`);
          return;
        }
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          errors.push(`${at}: must be a number (got ${describe(value)})`);
          return;
        }
        break;
      case undefined:
        break;
      default:
        errors.push(`${at}: schema type ${node.type} is not supported by the validator`);
        return;
    }
    if (node.enum && !node.enum.includes(value)) {
      const got = SECRET_FIELDS.has(key) ? '' : ` (got ${quote(value)})`;
      errors.push(`${at}: must be one of ${node.enum.map(String).join(', ')}${got}`);
    }
    if (node.type === 'object' && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      for (const req of node.required ?? []) {
        if (!(req in obj) || obj[req] === undefined) errors.push(`${at}.${req}: is required`);
      }
      const props = node.properties ?? {};
      for (const [k, v] of Object.entries(obj)) {
        const p = props[k];
        if (p) {
          this.walk(p, v, `${at}.${k}`, errors);
        } else if (typeof node.additionalProperties === 'object') {
          this.walk(node.additionalProperties, v, `${at}.${k}`, errors);
        } else if (this.rejectUnknownFields && node.additionalProperties !== true) {
          errors.push(`${at}.${k}: is not a property of ${name ?? 'the schema'}`);
        }
      }
    }
    if (node.type === 'array' && Array.isArray(value) && node.items) {
      value.forEach((item, i) => this.walk(node.items as SchemaNode, item, `${at}[${i}]`, errors));
    }
  }

  private resolveParam(p: Parameter): Parameter {
    if (p.$ref) {
      const m = /^#\/components\/parameters\/(.+)$/.exec(p.$ref);
      const r = m && m[1] ? this.spec.components.parameters?.[m[1]] : undefined;
      if (!r) throw new Error(`unresolvable parameter ${p.$ref}`);
      return r;
    }
    return p;
  }

  /** The operation at a spec path and method, with its parameters resolved. */
  operation(specPath: string, method: string): { op: Operation; params: Parameter[] } | undefined {
    const item = this.spec.paths[specPath];
    const m = method.toLowerCase() as Method;
    if (!item || !METHODS.includes(m)) return undefined;
    const op = item[m];
    if (!op) return undefined;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => this.resolveParam(p));
    return { op, params };
  }

  /** Every method the spec defines for a path. */
  methods(specPath: string): string[] {
    const item = this.spec.paths[specPath];
    return item ? METHODS.filter((m) => item[m] !== undefined).map((m) => m.toUpperCase()) : [];
  }

  /**
   * Validates a whole request against an operation: header parameters, query parameters, the
   * basic-auth security requirement and the JSON body. `headers` keys are lower-case.
   */
  validateRequest(
    specPath: string,
    specMethod: string,
    req: { headers: Record<string, string | undefined>; query: URLSearchParams; body: unknown; bodyPresent: boolean },
  ): string[] {
    const found = this.operation(specPath, specMethod);
    if (!found) return [`${specMethod} ${specPath}: no such operation in the spec`];
    const errors: string[] = [];
    for (const p of found.params) {
      if (!p.name || !p.in) continue;
      if (p.in === 'header') {
        const v = req.headers[p.name.toLowerCase()];
        if (v === undefined) {
          if (p.required) errors.push(`header ${p.name}: is required`);
          continue;
        }
        if (p.schema?.enum && !p.schema.enum.includes(v)) {
          errors.push(`header ${p.name}: must be one of ${p.schema.enum.map(String).join(', ')} (got ${quote(v)})`);
        }
      } else if (p.in === 'query') {
        const v = req.query.get(p.name);
        if (v === null && p.required) errors.push(`query ${p.name}: is required`);
      }
    }
    // security: basicAuth (global)
    const schemes = this.spec.components.securitySchemes ?? {};
    const needsBasic = (this.spec.security ?? []).some((req) => Object.keys(req).some((k) => schemes[k]?.scheme === 'basic'));
    if (needsBasic) {
      const auth = req.headers.authorization;
      if (auth === undefined) errors.push('header Authorization: basic auth is required');
      else if (!parseBasicAuth(auth)) errors.push('header Authorization: must be "Basic base64(user:password)"');
    }
    const rb = found.op.requestBody;
    if (rb) {
      const media = Object.keys(rb.content ?? {});
      if (!req.bodyPresent) {
        if (rb.required) errors.push('body: is required');
      } else {
        const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (!media.includes(ct)) errors.push(`header Content-Type: must be ${media.join(' or ')} (got ${quote(ct || '(none)')})`);
        const schema = rb.content?.[ct]?.schema ?? rb.content?.['application/json']?.schema;
        if (req.body === undefined) errors.push('body: is not valid JSON');
        else if (schema) errors.push(...this.validate(schema, req.body, '$'));
      }
    } else if (req.bodyPresent && specMethod.toUpperCase() === 'GET') {
      errors.push('body: a GET request must not have a body');
    }
    return errors;
  }
}

/** Decodes `Basic base64(user:password)`; undefined when malformed. */
export function parseBasicAuth(header: string): { username: string; password: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header.trim());
  if (!m || !m[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 1) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
