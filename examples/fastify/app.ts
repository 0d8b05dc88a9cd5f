// In your app: import { keywardFastify, keywardManagement, keywardRoutes } from 'keyward/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { keywardFastify, keywardManagement, keywardRoutes } from '../../adapters/fastify/index.js';
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

type Tenant = { Params: { t: string } };
type Workspace = { Params: { w: string } };
type Dataset = { Params: { w: string; d: string } };

/**
 * The demo data platform on Fastify: a stand-in login for people, keyward's management API under
 * `/api/keyward`, and a data API whose routes each require one permission of the calling API key.
 */
export async function createFastifyApp(
  kw: Keyward,
  sessions: DemoSessions,
  publicUrl: string,
): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(keywardFastify, { keyward: kw, realm: 'acme-data-platform' });
  const route = keywardRoutes(kw);

  // The host's own login (a stand-in): a sign-in form setting a session cookie, or JSON answering
  // a session id for the `x-session` header. The management plugin keeps its own body rules
  // (JSON only, so a form posted with the cookie gets 415), whatever parsers the app adds.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  const send = (reply: FastifyReply, answer: LoginAnswer) =>
    reply.code(answer.status).headers(answer.headers).send(answer.body);
  app.get('/login', async (_request, reply) => send(reply, loginPageAnswer()));
  app.post<{ Body: { user?: unknown; password?: unknown } }>('/login', async (request, reply) =>
    send(reply, loginAnswer(sessions, request.body, isFormPost(request.headers['content-type']))),
  );
  app.post('/logout', async (request, reply) => send(reply, logoutAnswer(sessions, request.headers.cookie)));

  // keyward's management API: people with a session, or API keys with the management permissions;
  // its management page under /api/keyward/ui/.
  await app.register(keywardManagement, {
    keyward: kw,
    realm: 'acme-data-platform',
    basePath: '/api/keyward',
    authenticate: (request) => sessions.authenticate(request.headers['x-session'], request.headers.cookie),
    endpointsBaseUrl: (workspaceId) => `${publicUrl}/workspaces/${workspaceId}`,
    adminPage: { signInUrl: '/login' },
    directory: demoDirectory,
  });

  // The data API: one permission per route, on the resource the URL names (looked up, never trusted).
  app.get<Tenant>(
    '/tenants/:t/workspaces',
    {
      config: {
        keyward: route<Tenant>({
          action: 'tenant.workspaces:list',
          resource: (req) => tenantResource(req.params.t),
        }),
      },
    },
    async (request) => ({ items: workspacesOf(request.params.t) }),
  );
  app.get<Workspace>(
    '/workspaces/:w',
    {
      config: {
        keyward: route<Workspace>({
          action: 'workspace:read',
          resource: (req) => workspaceResource(req.params.w),
        }),
      },
    },
    async (request) => ({ id: request.params.w, readBy: request.keyward?.keyId }),
  );
  app.post<Workspace & { Body: { records?: unknown } }>(
    '/workspaces/:w/ingest',
    {
      config: {
        keyward: route<Workspace>({
          action: 'workspace:ingest',
          resource: (req) => workspaceResource(req.params.w),
        }),
      },
    },
    async (request, reply) => {
      const records = request.body?.records;
      if (!Array.isArray(records)) return reply.code(400).send({ code: 'invalid_records' });
      return reply.code(202).send({ accepted: records.length });
    },
  );
  const onDataset = (action: string, environments?: ('live' | 'test')[]) => ({
    config: {
      keyward: route<Dataset>({
        action,
        environments,
        resource: (req) => datasetResource(req.params.w, req.params.d),
      }),
    },
  });
  app.get<Dataset>('/workspaces/:w/datasets/:d', onDataset('datasets:read'), async (request) => ({
    id: request.params.d,
    workspaceId: request.params.w,
    rows: [],
  }));
  // The sandbox serves test keys only (`acme_test_...`); every other route, live keys only.
  app.get<Dataset>(
    '/sandbox/workspaces/:w/datasets/:d',
    onDataset('datasets:read', ['test']),
    async (request) => ({ id: request.params.d, workspaceId: request.params.w, rows: [], sandbox: true }),
  );
  app.put<Dataset>('/workspaces/:w/datasets/:d', onDataset('datasets:write'), async (request) => ({
    id: request.params.d,
    workspaceId: request.params.w,
    replaced: true,
  }));
  return app;
}
