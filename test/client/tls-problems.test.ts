/**
 * Certificate problems over real TLS on 127.0.0.1, each named in one sentence with its own fix
 * (self-signed, another host name, expired), and VS Code's `http.proxyStrictSSL`: off, the
 * connections through the proxy accept a certificate that is not trusted here; direct connections
 * (http.noProxy) are still verified.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { NetworkError, type WorkspaceClientOptions } from '../../src/client';
import { clientFor, rejection, tempDir } from './helpers';
import { hasOpenssl, issueCertificate, startConnectProxy } from '../fixtures/network';

const TOKEN = 'dapi-tls-never-shown-4b1e';

describe('TLS problems are named with their fix; http.proxyStrictSSL (real TLS, a local proxy)', { skip: hasOpenssl() ? false : 'openssl not available' }, () => {
  const tmp = tempDir('pc-tls-');
  const servers: Server[] = [];
  const urls: Record<'selfSigned' | 'otherHost' | 'expired', string> = { selfSigned: '', otherHost: '', expired: '' };
  let caPem = '';

  const serve = async (key: Buffer, cert: string): Promise<string> => {
    const server = createHttpsServer({ key, cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: '1', userName: 'tls@acme.example' }));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  before(async () => {
    const self = issueCertificate(tmp.dir, 'self', { selfSigned: true });
    urls.selfSigned = await serve(self.key, self.cert);
    const other = issueCertificate(tmp.dir, 'other', { san: 'DNS:workspace.other.example' });
    urls.otherHost = await serve(other.key, other.cert);
    const expired = issueCertificate(tmp.dir, 'expired', { days: -1 });
    urls.expired = await serve(expired.key, expired.cert);
    caPem = expired.caPem;
  });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    tmp.cleanup();
  });

  const failure = async (url: string, o: Partial<WorkspaceClientOptions> = {}): Promise<NetworkError> => {
    const { client } = clientFor({ url, adminToken: TOKEN }, o);
    try {
      const e = await rejection(client.me());
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.attempts, 1, 'a certificate problem is not retried');
      assert.ok(!e.message.includes(TOKEN));
      return e;
    } finally {
      await client.close();
    }
  };

  it('self-signed: named, and the fix is to trust the organisation\'s CA', async () => {
    const e = await failure(urls.selfSigned);
    assert.match(e.message, /TLS certificate could not be verified for 127\.0\.0\.1:\d+ \(it is self-signed\): if your organisation uses its own CA, add it to the operating system's trusted certificates/);
  });

  it('another host name (the CA is trusted): the fix is the workspace URL, not another CA', async () => {
    const e = await failure(urls.otherHost, { ca: caPem });
    assert.match(e.message, /\(it is for another host name\): check the workspace URL/);
    assert.doesNotMatch(e.message, /NODE_EXTRA_CA_CERTS/);
  });

  it('expired (the CA is trusted): the certificate must be renewed; trusting more does not help', async () => {
    const e = await failure(urls.expired, { ca: caPem });
    assert.match(e.message, /\(it has expired\): the server \(or a TLS-inspecting proxy in between\) must renew its certificate/);
    assert.doesNotMatch(e.message, /NODE_EXTRA_CA_CERTS/);
  });

  it('http.proxyStrictSSL: verified through the proxy by default; off, accepted through the proxy only', async () => {
    const proxy = await startConnectProxy();
    try {
      const target = new URL(urls.selfSigned).host;
      // default (true): verified, and the request did go through the proxy
      const strict = await failure(urls.selfSigned, { network: { proxy: proxy.url } });
      assert.match(strict.message, /it is self-signed/);
      assert.ok(proxy.seen.some((s) => s.kind === 'connect' && s.target === target), JSON.stringify(proxy.seen));

      // off: the tunnelled connection accepts it
      const { client } = clientFor({ url: urls.selfSigned, adminToken: TOKEN }, { network: { proxy: proxy.url, proxyStrictSSL: false } });
      try {
        assert.equal((await client.me()).userName, 'tls@acme.example');
      } finally {
        await client.close();
      }

      // off, but the host is in http.noProxy: a direct connection, still verified
      const seenBefore = proxy.seen.length;
      const direct = await failure(urls.selfSigned, { network: { proxy: proxy.url, proxyStrictSSL: false, noProxy: ['127.0.0.1'] } });
      assert.match(direct.message, /it is self-signed/);
      assert.equal(proxy.seen.length, seenBefore, 'the proxy was not used');
    } finally {
      await proxy.close();
    }
  });
});
