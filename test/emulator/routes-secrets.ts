/**
 * Workspace-level OAuth secrets of service principals (every cloud):
 * `POST|GET /api/2.0/accounts/servicePrincipals/{scim_id}/credentials/secrets`, `DELETE .../secrets/{secret_id}`.
 * Shapes as in the Go SDK's ServicePrincipalSecretsProxy and Terraform's `databricks_service_principal_secret`:
 * the value (`secret`) only in the create answer; times RFC 3339; default and longest lifetime 730 days.
 * The principal signs in with the secret through OAuth M2M at /oidc/v1/token (routes-workspace.ts).
 */
import { apiError, bodyObject, json, requireAdmin, str, type Ctx, type Reply, type Route } from './http';
import { MAX_LIFETIME_DAYS, type SecretRec, type SpRec } from './state';

type Json = Record<string, unknown>;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function secretInfoJson(s: SecretRec): Json {
  return { id: s.id, secret_hash: s.valueHash.slice(0, 12), status: s.status, create_time: iso(s.create_time), update_time: iso(s.create_time), expire_time: iso(s.expire_time) };
}

function sp(ctx: Ctx): SpRec {
  const p = ctx.state.servicePrincipals.get(ctx.params[0]);
  if (!p) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Service principal ${ctx.params[0]} does not exist.`);
  return p;
}

/** `"63072000s"` → seconds. */
function parseLifetime(v: string | undefined): number {
  if (v === undefined) return MAX_LIFETIME_DAYS * 86_400;
  const m = /^(\d+)(?:\.\d+)?s$/.exec(v.trim());
  if (!m) throw apiError(400, 'INVALID_PARAMETER_VALUE', `Invalid lifetime "${v}": use a duration in seconds such as "63072000s".`);
  const n = Number(m[1]);
  if (n <= 0 || n > MAX_LIFETIME_DAYS * 86_400) throw apiError(400, 'INVALID_PARAMETER_VALUE', `lifetime must be between 1 second and ${MAX_LIFETIME_DAYS} days.`);
  return n;
}

function create(ctx: Ctx): Reply {
  requireAdmin(ctx);
  const p = sp(ctx);
  const lifetime = parseLifetime(str(bodyObject(ctx), 'lifetime'));
  const { value, info } = ctx.state.issueSecret(p, lifetime);
  return json({ ...secretInfoJson(info), secret: value });
}

const BASE = /^\/api\/2\.0\/accounts\/servicePrincipals\/([^/]+)\/credentials\/secrets/;

export const secretRoutes: Route[] = [
  { method: 'POST', pattern: new RegExp(`${BASE.source}$`), handler: create },
  {
    method: 'GET',
    pattern: new RegExp(`${BASE.source}$`),
    handler: (ctx) => {
      requireAdmin(ctx);
      const list = [...sp(ctx).secrets.values()].map(secretInfoJson);
      return json(list.length ? { secrets: list } : {});
    },
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`${BASE.source}\\/([^/]+)$`),
    handler: (ctx) => {
      requireAdmin(ctx);
      const p = sp(ctx);
      if (!p.secrets.delete(ctx.params[1])) throw apiError(404, 'RESOURCE_DOES_NOT_EXIST', `Secret ${ctx.params[1]} does not exist.`);
      return json({});
    },
  },
];
