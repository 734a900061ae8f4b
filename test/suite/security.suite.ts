/**
 * Issue 11 in the real extension host: what the opener makes of a link with VS Code's own URI parser
 * (src/vscode/ui/openUrl.ts), beside the node tests of the one URL parser (test/security/urls.test.ts).
 */
import * as assert from 'node:assert/strict';
import { openableUri } from '../../src/vscode/ui/openUrl';

describe('Security', function () {
  this.timeout(30_000);

  it('opens only canonical https links whose vscode.Uri authority is the host the URL parser read', () => {
    for (const url of [
      'https://app.partner.example\\@evil.example/',
      'https://APP.partner.example/',
      'https://user:pw@app.partner.example/',
      'http://app.partner.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://app.partner.example/a b',
      'command:workbench.action.terminal.new',
    ]) {
      const r = openableUri(url);
      assert.equal(r.ok, false, url);
    }
    const ok = openableUri('https://app.partner.example/signin?code=1');
    assert.ok(ok.ok);
    assert.equal(ok.uri.authority, 'app.partner.example');
    assert.equal(ok.uri.scheme, 'https');
    assert.equal(openableUri('http://127.0.0.1:8080/x').ok, true);
  });
});
