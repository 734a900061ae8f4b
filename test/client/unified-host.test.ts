/** Unified hosts: the workspace named by ?o= / ?w= / ?workspace_id= (or workspaceId) rides on every request as X-Databricks-Workspace-Id. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkspaceClient } from '../../src/client';
import { tinyServer, type TinyServer } from '../fixtures/http';

describe('unified hosts', () => {
  let srv: TinyServer;
  before(async () => {
    srv = await tinyServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.startsWith('/oidc/v1/token')) res.end(JSON.stringify({ access_token: 'at-unified-123', expires_in: 3600 }));
      else res.end(JSON.stringify({ id: '1', userName: 'u@acme.example' }));
    });
  });
  after(async () => {
    await srv.close();
  });

  const header = (i: number): unknown => srv.requests[i]?.headers['x-databricks-workspace-id'];

  it('?o= on the host: every request carries X-Databricks-Workspace-Id (the token request too)', async () => {
    srv.requests.length = 0;
    const c = createWorkspaceClient({ host: `${srv.url}/?o=1234567890123456`, auth: { type: 'oauth-m2m', clientId: 'cid', clientSecret: 'csecret-1' }, env: {} });
    try {
      assert.equal(c.host, srv.url);
      assert.equal(c.workspaceId, '1234567890123456');
      await c.me();
      await c.me();
      assert.equal(srv.requests.length, 3);
      for (let i = 0; i < 3; i++) assert.equal(header(i), '1234567890123456', srv.requests[i]?.url);
    } finally {
      await c.close();
    }
  });

  it('workspaceId (a profile\'s workspace_id) wins; ?w= names any id; a plain host sends no header', async () => {
    for (const [host, workspaceId, expected] of [
      [`${srv.url}/?o=1`, '9223372036854775807', '9223372036854775807'],
      [`${srv.url}/?w=ws-7f3a`, undefined, 'ws-7f3a'],
      [srv.url, undefined, undefined],
    ] as const) {
      srv.requests.length = 0;
      const c = createWorkspaceClient({ host, workspaceId, auth: { type: 'pat', token: 'dapi-unified' }, env: {} });
      try {
        await c.me();
        assert.equal(header(0), expected, host);
      } finally {
        await c.close();
      }
    }
  });
});
