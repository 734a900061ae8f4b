/**
 * Issue 11 item 4: a partner that echoes the credential it was sent. A successful connect's
 * `display_message` and `redirect_uri` reach the UI (the connect form, a notification, the browser):
 * both are scrubbed with the request's secrets, and a redirect that carries a secret — as is,
 * URL-encoded or base64 — is refused (not opened, not shown). A `connection_id` that carries one is a
 * protocol violation (it would be stored in the record): the connect is rolled back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type CatalogPartner } from '../../src/domain';
import { protocolPartnerAt } from './protocolPartner';
import { snapshot, startEnv, type Env } from '../domain/helpers';

interface Hostile {
  url: string;
  /** what the partner received (the token, the basic-auth password) */
  seen: { token: string | null; password: string | null };
  close(): Promise<void>;
}

/** A partner API that answers connect with whatever `reply` builds from the secrets it was sent. */
async function hostilePartner(reply: (secret: { token: string; password: string }) => Record<string, unknown>): Promise<Hostile> {
  const seen: Hostile['seen'] = { token: null, password: null };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { user_info?: { auth?: { personal_access_token?: string } } };
      const auth = req.headers.authorization ?? '';
      seen.password = Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8').split(':')[1] ?? null;
      seen.token = body.user_info?.auth?.personal_access_token ?? seen.token;
      const out = req.url?.endsWith('/connect') ? reply({ token: seen.token ?? '', password: seen.password ?? '' }) : { resource_status: 'resources_deleted' };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const partnerAt = (url: string): CatalogPartner => protocolPartnerAt(url, 'Echo Partner');

const ok = (over: Record<string, unknown>): Record<string, unknown> => ({
  redirect_uri: 'http://127.0.0.1:1/signin',
  redirect_value: 'sign_in',
  connection_id: 'conn-1',
  user_status: 'new',
  account_status: 'new',
  configured_resources: true,
  ...over,
});

const CREDS = { username: 'databricks', password: 'p4rtner-pa55w0rd-xyz' };

async function run(env: Env, reply: Parameters<typeof hostilePartner>[0]) {
  const partner = await hostilePartner(reply);
  try {
    const p = partnerAt(partner.url);
    const result = await connect(env.ctx, p, {}, { partnerCredentials: CREDS }).then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e: e as Error }),
    );
    return { result, seen: { ...partner.seen }, partner: p };
  } finally {
    await partner.close();
  }
}

const forms = (s: string): string[] => [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), Buffer.from(s).toString('base64url')];

test('display_message and redirect_uri echoing the token or the partner password are scrubbed; a redirect carrying a secret is refused', async () => {
  const env = await startEnv();
  try {
    const cases: Array<[string, Parameters<typeof hostilePartner>[0]]> = [
      ['token in display_message', (s) => ok({ display_message: `Connected! Your token is ${s.token}.` })],
      ['password in display_message', (s) => ok({ display_message: `Signed in with ${s.password}` })],
      ['token in redirect_uri', (s) => ok({ redirect_uri: `http://127.0.0.1:1/signin?t=${s.token}` })],
      ['URL-encoded token in redirect_uri', (s) => ok({ redirect_uri: `http://127.0.0.1:1/signin?t=${encodeURIComponent(s.token)}` })],
      ['base64 token in redirect_uri', (s) => ok({ redirect_uri: `http://127.0.0.1:1/signin?t=${Buffer.from(s.token).toString('base64url')}` })],
      ['password in redirect_uri path', (s) => ok({ redirect_uri: `http://127.0.0.1:1/${s.password}/signin` })],
      ['token in an allowed redirect and the message', (s) => ok({ redirect_uri: `http://127.0.0.1:1/#${s.token}`, display_message: s.token })],
    ];
    const bad: string[] = [];
    for (const [label, reply] of cases) {
      env.emu.reset();
      const { result, seen } = await run(env, reply);
      if (!result.ok) {
        bad.push(`${label}: connect failed: ${result.e.message}`);
        continue;
      }
      const secrets = [seen.token ?? '(none)', seen.password ?? '(none)'].flatMap(forms);
      const h = result.r.handoff;
      if (h.kind !== 'protocol') throw new Error('not a protocol hand-off');
      const shown = JSON.stringify(result.r) + env.log.join('\n');
      for (const s of secrets) if (shown.includes(s)) bad.push(`${label}: a secret (${s.slice(0, 4)}…) reaches the result or the log`);
      if (/redirect/.test(label)) {
        if (h.redirectUri !== null) bad.push(`${label}: the redirect is offered: ${h.redirectUri.slice(0, 30)}`);
        if (h.blockedRedirectReason !== 'contains-secret') bad.push(`${label}: blocked reason ${String(h.blockedRedirectReason)}`);
      }
      if (/message/.test(label) && !h.displayMessage) bad.push(`${label}: the display message is gone altogether`);
    }
    assert.deepEqual(bad, []);
  } finally {
    await env.close();
  }
});

test('a connection_id that carries the token is refused: the connect is rolled back, nothing keeps the token', async () => {
  const env = await startEnv();
  try {
    const before = snapshot(env.emu.state);
    const { result, seen } = await run(env, (s) => ok({ connection_id: `conn-${s.token}` }));
    assert.equal(result.ok, false, 'the connect succeeded');
    if (result.ok) return;
    assert.ok(seen.token);
    assert.ok(!result.e.message.includes(seen.token), 'the error holds the token');
    assert.ok(!env.log.join('\n').includes(seen.token), 'the log holds the token');
    assert.deepEqual(snapshot(env.emu.state), before);
  } finally {
    await env.close();
  }
});
