/**
 * The secret scan that ends the e2e journeys and the host suite (test/harness/secretScan.ts) finds a
 * credential in every form it may take in a file of the run - as is, URL-encoded, JSON-escaped,
 * base64 (a Basic header), UTF-16 (SQLite text) - and in a workspace record, names the place by
 * fingerprint only, and passes a clean run. The emulators list every value they hand out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeScan, scanForSecrets, workspaceFileTexts } from '../harness/secretScan';
import { fakeOAuthSecret, fakePassword, fakePat, fingerprint } from '../fixtures/secrets';
import { createEmulatorCore } from '../emulator';

test('the secret scan finds a credential in any form, in any file or record, and reports it by fingerprint only', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pc-scan-'));
  try {
    const [pat, secret, pw, unused] = [fakePat(), fakeOAuthSecret(), fakePassword(), fakePat()];
    fs.mkdirSync(path.join(dir, 'User', 'globalStorage'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'logs', 'exthost1'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'User', 'settings.json'), '{"partnerConnect.workspaces": []}\n');
    fs.writeFileSync(path.join(dir, 'logs', 'exthost1', 'partner-connect.log'), `connected; Authorization: Basic ${Buffer.from(pw).toString('base64')}\n`);
    fs.writeFileSync(path.join(dir, 'User', 'globalStorage', 'state.vscdb'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.from(`{"t":"${secret}"}`, 'utf16le')]));
    fs.writeFileSync(path.join(dir, 'shot.png'), pat); // pixels are not searched
    const clean = scanForSecrets({ secrets: [pat, secret, pw], dirs: [path.join(dir, 'User')], skip: (f) => f.endsWith('.vscdb') });
    assert.deepEqual(clean.leaks, [], describeScan(clean));
    const texts = new Map<string, string>();
    workspaceFileTexts(new Map([['/.partner-connect/x.json', { type: 'FILE', content: Buffer.from(`{"note":"${encodeURIComponent(pat)}"}`) }]]), texts, 'after journey 1');
    const r = scanForSecrets({ secrets: [pat, secret, pw, unused, 'short'], dirs: [dir], texts });
    assert.equal(r.secrets, 4);
    assert.equal(r.files, 3);
    const where = Object.fromEntries(r.leaks.map((l) => [path.basename(l.where), l.fingerprints]));
    assert.deepEqual(where, {
      'partner-connect.log': [fingerprint(pw)],
      'state.vscdb': [fingerprint(secret)],
      'x.json (after journey 1)': [fingerprint(pat)],
    });
    const text = describeScan(r);
    for (const s of [pat, secret, pw]) assert.ok(!text.includes(s), 'the report names a value');
    assert.match(text, /3 place\(s\) hold a credential/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the emulator lists every credential it seeded or issued, across resets', async () => {
  const core = createEmulatorCore();
  const seeded = [...core.state.issuedCredentials];
  assert.ok(seeded.includes(core.adminToken), 'the admin PAT is listed');
  const sp = core.state.addServicePrincipal({ displayName: 'X_USER' });
  const { value: secret } = core.state.issueSecret(sp, 3600);
  const { value: token } = core.state.issueToken({ owner: sp, createdBy: sp, lifetimeSeconds: 60 });
  core.reset();
  for (const v of [secret, token, core.adminToken]) assert.ok(core.state.issuedCredentials.has(v));
});
