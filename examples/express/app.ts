// In your app: import { keywardExpress } from 'keyward/express';
import express from 'express';
import { keywardExpress } from '../../adapters/express/index.js';
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
 * The demo data platform on Express: a stand-in login for people, keyward's management API under
 * `/api/keyward`, and a data API whose routes each require one permission of the calling API key.
 */
export function createExpressApp(kw: Keyward, sessions: DemoSessions, publicUrl: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const { requireApiKey, managementRouter } = keywardExpress(kw, { realm: 'acme-data-platform' });

  // The host's own login (a stand-in): a sign-in form setting a session cookie, or JSON answering
  // a session id for the `x-session` header. Bodies are parsed on these routes only: the
  // management API reads its own (JSON only, so a form posted with the cookie gets 415).
  const send = (res: express.Response, answer: LoginAnswer) =>
    res.status(answer.status).set(answer.headers).send(answer.body);
  app.get('/login', (_req, res) => send(res, loginPageAnswer()));
  app.post('/login', express.json(), express.urlencoded({ extended: false }), (req, res) => {
    send(res, loginAnswer(sessions, req.body, isFormPost(req.get('content-type'))));
  });
  app.post('/logout', (req, res) => send(res, logoutAnswer(sessions, req.get('cookie'))));

  // keyward's management API: people with a session, or API keys with the management permissions;
  // its management page under /api/keyward/ui/.
  app.use(
    managementRouter({
      basePath: '/api/keyward',
      authenticate: (req) => sessions.authenticate(req.get('x-session'), req.get('cookie')),
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
