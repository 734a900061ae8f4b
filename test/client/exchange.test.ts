/**
 * The transport's one exchange over undici's dispatcher (src/client/http/exchange.ts): bodies of any
 * framing arrive whole, informational answers are skipped, and cancellation ends an exchange at once
 * without spoiling the keep-alive connections for the next request.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CancelledError, createHttpTransport, type HttpTransport } from '../../src/client';
import { tinyServer } from '../fixtures/http';
import { rejection } from './helpers';

/** A transport for one test, closed whatever happens. */
async function withTransport(o: { maxAttempts?: number }, run: (t: HttpTransport) => Promise<void>): Promise<void> {
  const t = createHttpTransport({ userAgent: 'test', env: {}, ...(o.maxAttempts ? { retry: { maxAttempts: o.maxAttempts } } : {}) });
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

describe('one exchange', () => {
  let server: Awaited<ReturnType<typeof tinyServer>>;
  before(async () => {
    server = await tinyServer((req, res) => {
      if (req.url === '/split') {
        // "é" is two bytes in UTF-8: the first write ends between them
        const bytes = Buffer.from('{"name":"café ünïcödé"}', 'utf8');
        const cut = bytes.indexOf(0xc3) + 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(bytes.subarray(0, cut));
        setTimeout(() => res.end(bytes.subarray(cut)), 10);
      } else if (req.url === '/hints') {
        res.writeEarlyHints({ link: '</x>; rel=preload' });
        res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r-1' });
        res.end('{"ok":true}');
      } else if (req.url === '/held') {
        setTimeout(() => res.end('{}'), 5_000).unref();
      } else if (req.url === '/empty') {
        res.writeHead(204);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"n":1}');
      }
    });
  });
  after(async () => {
    await server.close();
  });

  it('a body whose UTF-8 character is split between chunks arrives whole', async () => {
    await withTransport({}, async (t) => {
      const r = await t.send({ method: 'GET', url: `${server.url}/split` });
      assert.equal(r.text, '{"name":"café ünïcödé"}');
    });
  });

  it('an informational answer (103 Early Hints) is skipped: the final status and headers are returned', async () => {
    await withTransport({}, async (t) => {
      const r = await t.send({ method: 'GET', url: `${server.url}/hints` });
      assert.equal(r.status, 201);
      assert.equal(r.text, '{"ok":true}');
      assert.equal(r.requestId, 'r-1');
      const empty = await t.send({ method: 'GET', url: `${server.url}/empty` });
      assert.equal(empty.status, 204);
      assert.equal(empty.text, '');
    });
  });

  it('cancelling while the answer is held ends the exchange at once; the next request is answered', async () => {
    await withTransport({ maxAttempts: 1 }, async (t) => {
      const ac = new AbortController();
      const t0 = Date.now();
      const p = rejection(t.send({ method: 'GET', url: `${server.url}/held`, signal: ac.signal }));
      setTimeout(() => ac.abort(), 50);
      const e = await p;
      assert.ok(e instanceof CancelledError, String(e));
      assert.ok(Date.now() - t0 < 2_000, `cancelled after ${Date.now() - t0} ms`);
      // many at once, one signal: all end, none is left waiting
      const many = new AbortController();
      const all = Promise.all(Array.from({ length: 30 }, () => rejection(t.send({ method: 'GET', url: `${server.url}/held`, signal: many.signal }))));
      setTimeout(() => many.abort(), 50);
      for (const x of await all) assert.ok(x instanceof CancelledError, String(x));
      const r = await t.send({ method: 'GET', url: `${server.url}/ok` });
      assert.equal(r.text, '{"n":1}');
    });
  });

  it('a signal aborted before sending: nothing is sent', async () => {
    await withTransport({}, async (t) => {
      const ac = new AbortController();
      ac.abort();
      const e = await rejection(t.send({ method: 'GET', url: `${server.url}/ok`, signal: ac.signal }));
      assert.ok(e instanceof CancelledError, String(e));
    });
  });
});
