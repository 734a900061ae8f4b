/**
 * Structural differences between two protocol descriptions (or two schemas): one line per
 * difference, phrased with the two sides' labels (default "ours" / "published"), e.g.
 *   `ConnectRequest.cloud_provider: enum value "gcp" only in ours`
 *   `PartnerConfig.allow_editable_email: required only in published`
 *   `POST /connect 201: body ours=Connection published=ErrorResponse`
 * Used by the tests that hold our description against the published file and our client's zod
 * schemas against our description.
 */
import type { Operation, ProtocolDescription, SchemaNode } from './protocol';

export interface CompareOptions {
  labels?: [string, string];
  /** Compare `format` (int32/int64); off for schemas that cannot express it (zod's JSON Schema). */
  format?: boolean;
}

type Resolver = (ref: string) => { name: string; node: SchemaNode } | undefined;

export function schemaResolver(schemas: Record<string, SchemaNode>): Resolver {
  return (ref) => {
    const name = ref.replace('#/components/schemas/', '');
    const node = schemas[name];
    return node ? { name, node } : undefined;
  };
}

const list = (vs: Iterable<unknown>) => [...vs].map((v) => JSON.stringify(v)).join(', ');

export function diffSchemas(a: SchemaNode, b: SchemaNode, at: string, resolveA: Resolver, resolveB: Resolver, o: CompareOptions = {}, out: string[] = []): string[] {
  const [la, lb] = o.labels ?? ['ours', 'published'];
  // Two references: the same name is enough (the named schemas are compared on their own).
  if (a.$ref !== undefined && b.$ref !== undefined) {
    if (a.$ref !== b.$ref) out.push(`${at}: $ref ${la}=${a.$ref} ${lb}=${b.$ref}`);
    return out;
  }
  if (a.$ref !== undefined || b.$ref !== undefined) {
    const ra = a.$ref !== undefined ? resolveA(a.$ref) : { name: '', node: a };
    const rb = b.$ref !== undefined ? resolveB(b.$ref) : { name: '', node: b };
    if (!ra || !rb) {
      out.push(`${at}: unresolvable $ref ${a.$ref ?? b.$ref ?? ''}`);
      return out;
    }
    return diffSchemas(ra.node, rb.node, at, resolveA, resolveB, o, out);
  }
  if (a.type !== b.type) out.push(`${at}: type ${la}=${String(a.type)} ${lb}=${String(b.type)}`);
  if (o.format !== false && a.format !== b.format) out.push(`${at}: format ${la}=${String(a.format)} ${lb}=${String(b.format)}`);
  if ((a.nullable ?? false) !== (b.nullable ?? false)) out.push(`${at}: nullable only in ${a.nullable ? la : lb}`);
  if (a.enum && !b.enum) out.push(`${at}: enum only in ${la}`);
  else if (!a.enum && b.enum) out.push(`${at}: enum only in ${lb}`);
  else if (a.enum && b.enum) {
    for (const v of a.enum) if (!b.enum.includes(v)) out.push(`${at}: enum value ${JSON.stringify(v)} only in ${la}`);
    for (const v of b.enum) if (!a.enum.includes(v)) out.push(`${at}: enum value ${JSON.stringify(v)} only in ${lb}`);
  }
  if (a.type === 'object' || b.type === 'object') {
    const pa = a.properties ?? {};
    const pb = b.properties ?? {};
    for (const k of Object.keys(pa)) if (!(k in pb)) out.push(`${at}.${k}: only in ${la}`);
    for (const k of Object.keys(pb)) if (!(k in pa)) out.push(`${at}.${k}: only in ${lb}`);
    const ra = new Set(a.required ?? []);
    const rb = new Set(b.required ?? []);
    for (const r of ra) if (!rb.has(r)) out.push(`${at}.${r}: required only in ${la}`);
    for (const r of rb) if (!ra.has(r)) out.push(`${at}.${r}: required only in ${lb}`);
    for (const [k, na] of Object.entries(pa)) {
      const nb = pb[k];
      if (nb) diffSchemas(na, nb, `${at}.${k}`, resolveA, resolveB, o, out);
    }
  }
  if (a.items && b.items) diffSchemas(a.items, b.items, `${at}[]`, resolveA, resolveB, o, out);
  else if (a.items || b.items) out.push(`${at}: items only in ${a.items ? la : lb}`);
  return out;
}

function diffOperations(a: Operation, b: Operation, at: string, la: string, lb: string, out: string[]): void {
  if (a.operationId !== b.operationId) out.push(`${at}: operationId ${la}=${a.operationId} ${lb}=${b.operationId}`);
  const key = (p: { in: string; name: string }) => `${p.in} ${p.name.toLowerCase()}`;
  const pb = new Map(b.parameters.map((p) => [key(p), p]));
  const pa = new Map(a.parameters.map((p) => [key(p), p]));
  for (const [k, p] of pa) {
    const q = pb.get(k);
    if (!q) {
      out.push(`${at}: ${k} only in ${la}`);
      continue;
    }
    if (p.required !== q.required) out.push(`${at}: ${k} required only in ${p.required ? la : lb}`);
    if (list(p.enum ?? []) !== list(q.enum ?? [])) out.push(`${at}: ${k} enum ${la}=[${list(p.enum ?? [])}] ${lb}=[${list(q.enum ?? [])}]`);
  }
  for (const k of pb.keys()) if (!pa.has(k)) out.push(`${at}: ${k} only in ${lb}`);
  const body = (o: Operation) => (o.body ? `${o.body.schema}${o.body.required ? ' (required)' : ''} as ${o.body.media.join(' | ')}` : 'none');
  if (body(a) !== body(b)) out.push(`${at}: body ${la}=${body(a)} ${lb}=${body(b)}`);
  for (const [status, s] of Object.entries(a.responses)) {
    if (!(status in b.responses)) out.push(`${at}: status ${status} only in ${la}`);
    else if (b.responses[status] !== s) out.push(`${at} ${status}: body ${la}=${String(s)} ${lb}=${String(b.responses[status])}`);
  }
  for (const status of Object.keys(b.responses)) if (!(status in a.responses)) out.push(`${at}: status ${status} only in ${lb}`);
}

export function diffProtocols(a: ProtocolDescription, b: ProtocolDescription, o: CompareOptions = {}): string[] {
  const [la, lb] = o.labels ?? ['ours', 'published'];
  const out: string[] = [];
  if (a.version !== b.version) out.push(`version ${la}=${a.version} ${lb}=${b.version}`);
  if (a.basicAuth !== b.basicAuth) out.push(`basic auth only in ${a.basicAuth ? la : lb}`);
  for (const [path, opsA] of Object.entries(a.paths)) {
    const opsB = b.paths[path];
    if (!opsB) {
      out.push(`${path}: only in ${la}`);
      continue;
    }
    for (const [m, opA] of Object.entries(opsA)) {
      const opB = opsB[m as keyof typeof opsB];
      if (!opB) out.push(`${m} ${path}: only in ${la}`);
      else diffOperations(opA, opB, `${m} ${path}`, la, lb, out);
    }
    for (const m of Object.keys(opsB)) if (!(m in opsA)) out.push(`${m} ${path}: only in ${lb}`);
  }
  for (const path of Object.keys(b.paths)) if (!(path in a.paths)) out.push(`${path}: only in ${lb}`);
  const resolveA = schemaResolver(a.schemas);
  const resolveB = schemaResolver(b.schemas);
  for (const [name, sa] of Object.entries(a.schemas)) {
    const sb = b.schemas[name];
    if (!sb) out.push(`schema ${name}: only in ${la}`);
    else diffSchemas(sa, sb, name, resolveA, resolveB, o, out);
  }
  for (const name of Object.keys(b.schemas)) if (!(name in a.schemas)) out.push(`schema ${name}: only in ${lb}`);
  return out;
}
