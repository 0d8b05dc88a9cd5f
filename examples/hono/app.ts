// In your app: import { keywardHono } from 'keyward/hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { keywardHono } from '../../adapters/hono/index.js';
import type { Keyward } from '../../src/index.js';
import {
  type DemoSessions,
  datasetResource,
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

  // The host's own login (a stand-in): people get a session, sent back as `x-session`.
  app.post('/login', async (c) => {
    const body = await c.req.json().catch(() => ({}));
    const session = sessions.login(body?.user, body?.password);
    return session === null ? c.json({ code: 'invalid_login' }, 401) : c.json({ session });
  });

  // keyward's management API: people with a session, or API keys with the management permissions.
  app.route(
    '/',
    managementRoutes({
      basePath: '/api/keyward',
      authenticate: (c) => sessions.actor(c.req.header('x-session')),
      endpointsBaseUrl: (workspaceId) => `${publicUrl}/workspaces/${workspaceId}`,
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
