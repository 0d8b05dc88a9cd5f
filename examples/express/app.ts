// In your app: import { keywardExpress } from 'keyward/express';
import express from 'express';
import { keywardExpress } from '../../adapters/express/index.js';
import type { Keyward } from '../../src/index.js';
import {
  type DemoSessions,
  datasetResource,
  tenantResource,
  workspaceResource,
  workspacesOf,
} from '../shared/demo-platform.js';

/**
 * The demo data platform on Express: a stand-in login for people, keyward's management API under
 * `/api/keyward`, and a data API whose routes each require one permission of the calling API key.
 */
export function createExpressApp(kw: Keyward, sessions: DemoSessions, publicUrl: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const { requireApiKey, managementRouter } = keywardExpress(kw, { realm: 'acme-data-platform' });

  // The host's own login (a stand-in): people get a session, sent back as `x-session`.
  app.post('/login', express.json(), (req, res) => {
    const session = sessions.login(req.body?.user, req.body?.password);
    if (session === null) res.status(401).json({ code: 'invalid_login' });
    else res.json({ session });
  });

  // keyward's management API: people with a session, or API keys with the management permissions.
  app.use(
    managementRouter({
      basePath: '/api/keyward',
      authenticate: (req) => sessions.actor(req.get('x-session')),
      endpointsBaseUrl: (workspaceId) => `${publicUrl}/workspaces/${workspaceId}`,
    }),
  );

  // The data API: one permission per route, on the resource the URL names (looked up, never trusted).
  app.get(
    '/tenants/:t/workspaces',
    requireApiKey<'/tenants/:t/workspaces'>({
      action: 'tenant.workspaces:list',
      resource: (req) => tenantResource(req.params.t),
    }),
    (req, res) => {
      res.json({ items: workspacesOf(req.params.t) });
    },
  );
  app.get(
    '/workspaces/:w',
    requireApiKey<'/workspaces/:w'>({
      action: 'workspace:read',
      resource: (req) => workspaceResource(req.params.w),
    }),
    (req, res) => {
      res.json({ id: req.params.w, readBy: req.keyward?.keyId });
    },
  );
  app.post(
    '/workspaces/:w/ingest',
    requireApiKey<'/workspaces/:w/ingest'>({
      action: 'workspace:ingest',
      resource: (req) => workspaceResource(req.params.w),
    }),
    express.json(),
    (req, res) => {
      const records: unknown = req.body?.records;
      if (!Array.isArray(records)) res.status(400).json({ code: 'invalid_records' });
      else res.status(202).json({ accepted: records.length });
    },
  );
  const dataset = '/workspaces/:w/datasets/:d';
  const onDataset = (action: string, environments?: ('live' | 'test')[]) =>
    requireApiKey<typeof dataset>({
      action,
      environments,
      resource: (req) => datasetResource(req.params.w, req.params.d),
    });
  app.get(dataset, onDataset('datasets:read'), (req, res) => {
    res.json({ id: req.params.d, workspaceId: req.params.w, rows: [] });
  });
  // The sandbox serves test keys only (`acme_test_...`); every other route, live keys only.
  app.get(`/sandbox${dataset}`, onDataset('datasets:read', ['test']), (req, res) => {
    res.json({ id: req.params.d, workspaceId: req.params.w, rows: [], sandbox: true });
  });
  app.put(dataset, onDataset('datasets:write'), express.json(), (req, res) => {
    res.json({ id: req.params.d, workspaceId: req.params.w, replaced: true });
  });
  // Host errors (a malformed JSON body, a bug) as JSON, never an HTML page with a stack trace.
  app.use(((error, _req, res, _next) => {
    const status = Number(error?.status) >= 400 && Number(error?.status) < 500 ? Number(error.status) : 500;
    res.status(status).json({ code: status === 500 ? 'internal_error' : 'bad_request' });
  }) as express.ErrorRequestHandler);
  return app;
}
