/**
 * Checks Partner Connect requests and replies against a `ProtocolDescription` (ours by default:
 * `protocol.ts`; the reference tests also pass the published file's, read by `openapi.ts`).
 *
 * Stricter than OpenAPI on one point, on purpose: a property that the schema does not declare is
 * reported (`rejectUnknownFields`, default true) — a misspelt field is a bug in the sender.
 *
 * Error messages name paths and expected shapes. They quote a received value only for enum and
 * header mismatches, and never for a secret-bearing field.
 */
import type { HttpMethod, Operation, ProtocolDescription, SchemaNode } from './protocol';

/** Field names whose values are secrets: never quoted in an error message. */
export const SECRET_FIELDS = new Set(['personal_access_token', 'service_principal_oauth_secret', 'oauth_token', 'password']);

const METHODS: readonly HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'];

export interface ValidateOptions {
  rejectUnknownFields?: boolean;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'number';
  return typeof v;
}

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

export class ProtocolValidator {
  readonly rejectUnknownFields: boolean;
  constructor(
    readonly protocol: ProtocolDescription,
    o: ValidateOptions = {},
  ) {
    this.rejectUnknownFields = o.rejectUnknownFields ?? true;
  }

  /** The named schema (e.g. "ConnectRequest"). */
  schema(name: string): SchemaNode {
    const s = this.protocol.schemas[name];
    if (!s) throw new Error(`No schema ${name} in the protocol description`);
    return s;
  }

  /** Validates `value` against a schema node or a schema name; returns the errors. */
  validate(schema: SchemaNode | string, value: unknown, at = '$'): string[] {
    const errors: string[] = [];
    const node = typeof schema === 'string' ? this.schema(schema) : schema;
    this.walk(node, value, at, errors, typeof schema === 'string' ? schema : undefined);
    return errors;
  }

  private resolve(ref: string): { node: SchemaNode; name: string } | undefined {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m || !m[1]) return undefined;
    const node = this.protocol.schemas[m[1]];
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
        // integers beyond 2^53 arrive as bigints (the body is parsed without losing digits)
        if (!(typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))) {
          errors.push(`${at}: must be an integer (got ${describe(value)})`);
          return;
        }
        if (node.format === 'int32' && (value < -2147483648 || value > 2147483647)) {
          errors.push(`${at}: must be an int32`);
          return;
        }
        if (node.format === 'int64' && (BigInt(value) < -(2n ** 63n) || BigInt(value) > 2n ** 63n - 1n)) {
          errors.push(`${at}: must be an int64`);
          return;
        }
        if (typeof value === 'number' && !Number.isSafeInteger(value)) {
          // JSON.parse would have rounded it: the sender wrote a rounded double, not the id
          errors.push(`${at}: ${value} is not an exact integer`);
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
        errors.push(`${at}: schema type ${String(node.type)} is not supported by the validator`);
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
        if (p) this.walk(p, v, `${at}.${k}`, errors);
        else if (this.rejectUnknownFields && node.additionalProperties !== true) errors.push(`${at}.${k}: is not a property of ${name ?? 'the schema'}`);
      }
    }
    if (node.type === 'array' && Array.isArray(value) && node.items) {
      value.forEach((item, i) => this.walk(node.items as SchemaNode, item, `${at}[${i}]`, errors));
    }
  }

  /** The operation at a path and method. */
  operation(path: string, method: string): Operation | undefined {
    const m = method.toUpperCase() as HttpMethod;
    return METHODS.includes(m) ? this.protocol.paths[path]?.[m] : undefined;
  }

  /** Every method the description defines for a path. */
  methods(path: string): string[] {
    const item = this.protocol.paths[path];
    return item ? METHODS.filter((m) => item[m] !== undefined) : [];
  }

  /**
   * Validates a whole request against an operation: header parameters, query parameters, the
   * basic-auth requirement and the JSON body. `headers` keys are lower-case.
   */
  validateRequest(
    path: string,
    method: string,
    req: { headers: Record<string, string | undefined>; query: URLSearchParams; body: unknown; bodyPresent: boolean },
  ): string[] {
    const op = this.operation(path, method);
    if (!op) return [`${method} ${path}: no such operation in the protocol`];
    const errors: string[] = [];
    for (const p of op.parameters) {
      if (p.in === 'header') {
        const v = req.headers[p.name.toLowerCase()];
        if (v === undefined) {
          if (p.required) errors.push(`header ${p.name}: is required`);
          continue;
        }
        if (p.enum && !p.enum.includes(v)) errors.push(`header ${p.name}: must be one of ${p.enum.join(', ')} (got ${quote(v)})`);
      } else if (req.query.get(p.name) === null && p.required) {
        errors.push(`query ${p.name}: is required`);
      }
    }
    if (this.protocol.basicAuth) {
      const auth = req.headers.authorization;
      if (auth === undefined) errors.push('header Authorization: basic auth is required');
      else if (!parseBasicAuth(auth)) errors.push('header Authorization: must be "Basic base64(user:password)"');
    }
    if (op.body) {
      if (!req.bodyPresent) {
        if (op.body.required) errors.push('body: is required');
      } else {
        const ct = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        if (!op.body.media.includes(ct)) errors.push(`header Content-Type: must be ${op.body.media.join(' or ')} (got ${quote(ct || '(none)')})`);
        if (req.body === undefined) errors.push('body: is not valid JSON');
        else errors.push(...this.validate(op.body.schema, req.body, '$'));
      }
    } else if (req.bodyPresent && method.toUpperCase() === 'GET') {
      errors.push('body: a GET request must not have a body');
    }
    return errors;
  }

  /**
   * Validates a reply: its status must be one the operation answers with, and its body must match
   * that status's schema (or be empty where the protocol says so). `body` undefined = empty.
   */
  validateResponse(path: string, method: string, status: number, body: unknown): string[] {
    const op = this.operation(path, method);
    if (!op) return [`${method} ${path}: no such operation in the protocol`];
    const schema = op.responses[String(status)];
    if (schema === undefined) return [`reply: status ${status} is not an answer of ${op.operationId} (${Object.keys(op.responses).join(', ')})`];
    if (schema === null) return body === undefined ? [] : [`reply: status ${status} of ${op.operationId} has no body`];
    if (body === undefined) return [`reply: status ${status} of ${op.operationId} needs a ${schema} body`];
    return this.validate(schema, body, 'reply');
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
