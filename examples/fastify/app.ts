// In your app: import { keywardFastify, keywardManagement, keywardRoutes } from 'keyward/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { keywardFastify, keywardManagement, keywardRoutes } from '../../adapters/fastify/index.js';
import type { Keyward } from '../../src/index.js';
import {
  type DemoSessions,
  datasetResource,
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

  // The host's own login (a stand-in): people get a session, sent back as `x-session`.
  app.post<{ Body: { user?: unknown; password?: unknown } }>('/login', async (request, reply) => {
    const session = sessions.login(request.body?.user, request.body?.password);
    return session === null ? reply.code(401).send({ code: 'invalid_login' }) : { session };
  });

  // keyward's management API: people with a session, or API keys with the management permissions.
  await app.register(keywardManagement, {
    keyward: kw,
    realm: 'acme-data-platform',
    basePath: '/api/keyward',
    authenticate: (request) => sessions.actor(request.headers['x-session']),
    endpointsBaseUrl: (workspaceId) => `${publicUrl}/workspaces/${workspaceId}`,
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
