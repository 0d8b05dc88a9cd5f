// In your app: import { keywardHono } from 'keyward/hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { keywardHono } from '../../adapters/hono/index.js';
import type { Keyward } from '../../src/index.js';
import {
  isFormPost,
  type LoginAnswer,
  loginAnswer,
  loginPageAnswer,
  logoutAnswer,
} from '../shared/demo-login.js';
import {
  type DemoSessions,
  datasetResource,
  demoDirectory,
  tenantResource,
  workspaceResource,
  workspacesOf,
} from '../shared/demo-platform.js';

/**
 * The demo data platform on Hono (Node, Bun, Deno, Workers): a stand-in login for people,
 * keyward's management API under `/api/keyward`, and a data API whose routes each require one
 * permission of the calling API key.
 */
export function createHonoApp(kw: Keyward, sessions: DemoSessions, publicUrl: string): Hono {
  const app = new Hono();
  const { requireApiKey, managementRoutes } = keywardHono(kw, {
    realm: 'acme-data-platform',
    // The peer's address on Node (Bun, Deno and Workers have their own getConnInfo); behind a
    // proxy, read the forwarded address only from proxies you trust.
    clientAddress: (c) => getConnInfo(c).remote.address,
  });

  // The host's own login (a stand-in): a sign-in form setting a session cookie, or JSON answering
  // a session id for the `x-session` header. The management API reads its own bodies (JSON
  // only, so a form posted with the cookie gets 415).
  const send = (answer: LoginAnswer) =>
    new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers: answer.headers });
  app.get('/login', () => send(loginPageAnswer()));
  app.post('/login', async (c) => {
    const form = isFormPost(c.req.header('content-type'));
    const fields = form ? await c.req.parseBody() : await c.req.json().catch(() => ({}));
    return send(loginAnswer(sessions, fields, form));
  });
  app.post('/logout', (c) => send(logoutAnswer(sessions, c.req.header('cookie'))));

  // keyward's management API: people with a session, or API keys with the management permissions;
  // its management page under /api/keyward/ui/.
  app.route(
    '/',
    managementRoutes({
      basePath: '/api/keyward',
      authenticate: (c) => sessions.authenticate(c.req.header('x-session'), c.req.header('cookie')),
      endpointsBaseUrl: (workspaceId) => `${publicUrl}/workspaces/${workspaceId}`,
      adminPage: { signInUrl: '/login' },
      directory: demoDirectory,
    }),
  );

  // The data API: one permission per route, on the resource the URL names (looked up, never trusted).
  app.get(
    '/tenants/:t/workspaces',
    requireApiKey<'/tenants/:t/workspaces'>({
      action: 'tenant.workspaces:list',
      resource: (c) => tenantResource(c.req.param('t')),
    }),
    (c) => c.json({ items: workspacesOf(c.req.param('t')) }),
  );
  app.get(
    '/workspaces/:w',
    requireApiKey<'/workspaces/:w'>({
      action: 'workspace:read',
      resource: (c) => workspaceResource(c.req.param('w')),
    }),
    (c) => c.json({ id: c.req.param('w'), readBy: c.get('keyward')?.keyId }),
  );
  app.post(
    '/workspaces/:w/ingest',
    requireApiKey<'/workspaces/:w/ingest'>({
      action: 'workspace:ingest',
      resource: (c) => workspaceResource(c.req.param('w')),
    }),
    async (c) => {
      const records: unknown = (await c.req.json().catch(() => ({})))?.records;
      if (!Array.isArray(records)) return c.json({ code: 'invalid_records' }, 400);
      return c.json({ accepted: records.length }, 202);
    },
  );
  const onDataset = (action: string, environments?: ('live' | 'test')[]) =>
    requireApiKey<'/workspaces/:w/datasets/:d'>({
      action,
      environments,
      resource: (c) => datasetResource(c.req.param('w'), c.req.param('d')),
    });
  app.get('/workspaces/:w/datasets/:d', onDataset('datasets:read'), (c) =>
    c.json({ id: c.req.param('d'), workspaceId: c.req.param('w'), rows: [] }),
  );
  // The sandbox serves test keys only (`acme_test_...`); every other route, live keys only.
  app.get('/sandbox/workspaces/:w/datasets/:d', onDataset('datasets:read', ['test']), (c) =>
    c.json({ id: c.req.param('d'), workspaceId: c.req.param('w'), rows: [], sandbox: true }),
  );
  app.put('/workspaces/:w/datasets/:d', onDataset('datasets:write'), (c) =>
    c.json({ id: c.req.param('d'), workspaceId: c.req.param('w'), replaced: true }),
  );
  return app;
}
