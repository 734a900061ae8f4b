/** VS Code's http.* settings → the client's network options; partnerConnect.requestTimeoutSeconds validated and clamped. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { networkOptions, requestTimeoutMs } from '../../src/vscode/model/networkSettings';

test('http.* settings become network options; unset or wrong-typed ones are left to the environment', () => {
  assert.deepEqual(networkOptions({}), { options: {}, warnings: [] });
  assert.deepEqual(networkOptions({ proxy: '', noProxy: [], proxyStrictSSL: true, proxyAuthorization: null, systemCertificates: true }).options, {});
  assert.deepEqual(
    networkOptions({ proxy: ' http://proxy.corp:3128 ', noProxy: ['a.example', ' ', 3, '.b.example'], proxyStrictSSL: false, proxyAuthorization: 'Basic abc', systemCertificates: false }).options,
    { proxy: 'http://proxy.corp:3128', noProxy: ['a.example', '.b.example'], proxyStrictSSL: false, proxyAuthorization: 'Basic abc', systemCertificates: false },
  );
  assert.deepEqual(networkOptions({ proxy: 42, noProxy: 'x', proxyStrictSSL: 'no' }).options, {});
  const socks = networkOptions({ proxy: 'socks5://u:secret@127.0.0.1:1080' });
  assert.deepEqual(socks.options, {});
  assert.match(socks.warnings[0], /SOCKS/);
  assert.ok(!socks.warnings[0].includes('secret'));
  assert.match(networkOptions({ proxy: 'ftp://p:1' }).warnings[0], /cannot use/);
  assert.equal(networkOptions({ proxy: 'proxy.corp:8080' }).options.proxy, 'proxy.corp:8080');
});

test('requestTimeoutSeconds: numbers clamped to 5–600, anything else the default 60 with a warning', () => {
  assert.deepEqual(requestTimeoutMs(undefined), { ms: 60_000 });
  assert.deepEqual(requestTimeoutMs(30), { ms: 30_000 });
  assert.deepEqual(requestTimeoutMs(2.5), { ms: 5_000, warning: 'partnerConnect.requestTimeoutSeconds = 2.5 is outside 5–600; using 5.' });
  assert.equal(requestTimeoutMs(0).ms, 5_000);
  assert.equal(requestTimeoutMs(-10).ms, 5_000);
  assert.equal(requestTimeoutMs(86_400).ms, 600_000);
  assert.match(requestTimeoutMs(86_400).warning ?? '', /outside 5–600; using 600/);
  for (const bad of ['60', Number.NaN, Number.POSITIVE_INFINITY, {}, true]) {
    const r = requestTimeoutMs(bad);
    assert.equal(r.ms, 60_000, String(bad));
    assert.match(r.warning ?? '', /must be a number/);
  }
});
