/** Proxy environment (a local CONNECT proxy), NO_PROXY bypass, and custom CA certificates over real TLS. */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEmulator } from '../fixtures/emulator';
import { Cleanup } from '../fixtures/cleanup';
import { NetworkError } from '../../src/client';
import { clientFor, rejection, tempDir } from './helpers';
import { hasOpenssl, startConnectProxy } from '../fixtures/network';
import { ADMIN } from '../fixtures/seed';

const startProxy = (): ReturnType<typeof startConnectProxy> => startConnectProxy();

describe('proxy environment', () => {
  const emu = useEmulator({ reset: false });
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  before(async () => {
    proxy = await startProxy();
  });
  after(() => proxy?.close());
  beforeEach(() => {
    proxy.seen.length = 0;
    proxy.mode.refuse = false;
  });

  it('HTTP_PROXY: requests go through the proxy (CONNECT tunnel), with proxy credentials from the URL', async () => {
    const withCreds = proxy.url.replace('http://', 'http://corp-user:proxy-pass-123@');
    const { client, log } = clientFor(emu, { env: { HTTP_PROXY: withCreds } });
    try {
      assert.equal((await client.me()).userName, ADMIN);
      await client.listWarehouses();
      const host = new URL(emu.url).host;
      assert.ok(proxy.seen.length >= 1);
      assert.ok(proxy.seen.every((s) => s.kind === 'connect' && s.target === host), JSON.stringify(proxy.seen));
      assert.equal(proxy.seen[0].proxyAuthorization, `Basic ${Buffer.from('corp-user:proxy-pass-123').toString('base64')}`);
      assert.ok(!log.join('\n').includes('proxy-pass-123'));
    } finally {
      await client.close();
    }
  });

  it('lowercase http_proxy is honoured too', async () => {
    const { client } = clientFor(emu, { env: { http_proxy: proxy.url } });
    try {
      await client.me();
      assert.equal(proxy.seen.length, 1);
    } finally {
      await client.close();
    }
  });

  it('NO_PROXY bypasses the proxy', async () => {
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${new URL(emu.url).port}`, '*']) {
      const { client } = clientFor(emu, { env: { HTTP_PROXY: proxy.url, NO_PROXY: noProxy } });
      try {
        assert.equal((await client.me()).userName, ADMIN);
      } finally {
        await client.close();
      }
    }
    assert.equal(proxy.seen.length, 0);
    const { client } = clientFor(emu, { env: { HTTP_PROXY: proxy.url, no_proxy: 'example.com,127.0.0.2' } });
    try {
      await client.me();
      assert.equal(proxy.seen.length, 1, 'unrelated NO_PROXY entries do not bypass');
    } finally {
      await client.close();
    }
  });

  it('a proxy asking for authentication (407) is reported with guidance and not retried', async () => {
    proxy.mode.refuse = true;
    const { client } = clientFor(emu, { env: { HTTP_PROXY: proxy.url } });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.code, 'PROXY_AUTH_REQUIRED');
      assert.equal(e.attempts, 1);
      assert.match(e.message, /proxy requires authentication .* HTTPS_PROXY/);
      assert.equal(proxy.seen.length, 1);
    } finally {
      await client.close();
    }
  });
});


describe('custom CA certificates (real TLS on 127.0.0.1)', { skip: hasOpenssl() ? false : 'openssl not available' }, () => {
  const tmp = tempDir('pc-ca-');
  let certPath = '';
  let cert = '';
  let url = '';
  let server: ReturnType<typeof createHttpsServer>;
  const started = new Cleanup();
  started.defer(() => tmp.cleanup());
  before(async () => {
    certPath = join(tmp.dir, 'cert.pem');
    const keyPath = join(tmp.dir, 'key.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    cert = readFileSync(certPath, 'utf8');
    server = createHttpsServer({ key: readFileSync(keyPath), cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1', userName: 'tls@acme.example' }));
    });
    started.defer(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => started.close());

  it('an untrusted certificate fails with NODE_EXTRA_CA_CERTS guidance, without retries', async () => {
    const { client } = clientFor({ url, adminToken: 'dapi-x-123456' });
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.attempts, 1);
      assert.match(e.message, /TLS certificate could not be verified.*NODE_EXTRA_CA_CERTS/);
    } finally {
      await client.close();
    }
  });
  it('trusts a CA given as the `ca` option', async () => {
    const { client } = clientFor({ url, adminToken: 'dapi-x-123456' }, { ca: cert });
    try {
      assert.equal((await client.me()).userName, 'tls@acme.example');
    } finally {
      await client.close();
    }
  });
  it('trusts a CA file named by NODE_EXTRA_CA_CERTS in the client environment', async () => {
    const { client } = clientFor({ url, adminToken: 'dapi-x-123456' }, { env: { NODE_EXTRA_CA_CERTS: certPath } });
    try {
      assert.equal((await client.me()).userName, 'tls@acme.example');
    } finally {
      await client.close();
    }
  });
  it('warns (through the logger) about an unreadable NODE_EXTRA_CA_CERTS and carries on', async () => {
    const { client, log } = clientFor({ url, adminToken: 'dapi-x-123456' }, { env: { NODE_EXTRA_CA_CERTS: join(tmp.dir, 'missing.pem') }, ca: cert });
    try {
      await client.me();
      assert.match(log[0], /NODE_EXTRA_CA_CERTS: cannot read/);
    } finally {
      await client.close();
    }
  });
});
