import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { keywardManagement } from '../../../adapters/fastify/index.js';
import type { Keyward } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A Fastify app with the management plugin under `/api/keyward` (a person when `x-test-user: admin`). */
async function appWith(kw: Keyward, extra: Record<string, unknown> = {}): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(keywardManagement, {
    keyward: kw,
    basePath: '/api/keyward',
    authenticate: (request) => (request.headers['x-test-user'] === 'admin' ? admin : null),
    ...extra,
  });
  return app;
}

describe('keywardManagement (Fastify)', () => {
  it('refuses bad options when it is registered', async () => {
    const { kw } = setup();
    const instance = Fastify();
    await expect(instance.register(keywardManagement, { keyward: kw } as never)).rejects.toThrow(
      /authenticate/,
    );
    await instance.close();
    const prefixed = Fastify();
    await expect(
      prefixed.register(keywardManagement, {
        keyward: kw,
        prefix: '/admin',
        basePath: '/api/keyward',
        authenticate: () => null,
      }),
    ).rejects.toThrow(/prefix/);
    await prefixed.close();
  });

  it('registers every route of the OpenAPI document with its schema, for documentation tools', async () => {
    const { kw } = setup();
    const routes: RouteOptions[] = [];
    app = Fastify();
    app.addHook('onRoute', (route) => {
      routes.push(route);
    });
    await app.register(keywardManagement, {
      keyward: kw,
      basePath: '/api/keyward',
      authenticate: () => null,
    });
    await app.ready();
    const create = routes.find((r) => r.method === 'POST' && r.url === '/api/keyward/service-accounts');
    expect(create?.schema?.body).toMatchObject({ type: 'object' });
    expect(Object.keys(create?.schema?.response ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401']),
    );
    const read = routes.find((r) => r.method === 'GET' && r.url === '/api/keyward/service-accounts/:id');
    expect(read?.schema?.params).toMatchObject({ type: 'object', required: ['id'] });
    const paths = (await app.inject({ url: '/api/keyward/openapi.json' })).json().paths as Record<
      string,
      object
    >;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const registered = routes
      .filter((r) => r.schema !== undefined)
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(registered.sort()).toEqual(documented.sort());
  });

  it('answers with the API, not Fastify, for unknown paths, methods, HEAD and malformed content types', async () => {
    const instance = await appWith(setup().kw);
    const headers = { 'x-test-user': 'admin' };
    const unknown = await instance.inject({ method: 'GET', url: '/api/keyward/nope', headers });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not_found']);
    const method = await instance.inject({ method: 'PUT', url: '/api/keyward/service-accounts', headers });
    expect([method.statusCode, method.headers.allow]).toEqual([405, 'POST, GET']);
    const head = await instance.inject({ method: 'HEAD', url: '/api/keyward/service-accounts', headers });
    expect(head.statusCode).toBe(405);
    const malformed = await instance.inject({
      method: 'POST',
      url: '/api/keyward/service-accounts',
      headers: { ...headers, 'content-type': 'json' },
      payload: JSON.stringify(NEW_ACCOUNT),
    });
    expect([malformed.statusCode, malformed.json().code]).toEqual([415, 'unsupported_media_type']);
    expect(malformed.headers['content-type']).toBe('application/problem+json');
  });

  it('sends the media type as the API gives it, without a charset', async () => {
    const instance = await appWith(setup().kw);
    const created = await instance.inject({
      method: 'POST',
      url: '/api/keyward/service-accounts',
      headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
      payload: JSON.stringify(NEW_ACCOUNT),
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['content-type']).toBe('application/json');
    expect(created.headers.location).toBe(`/api/keyward/service-accounts/${created.json().account.id}`);
  });

  it("keeps its parsers and compilers inside: the host's routes parse and validate as before", async () => {
    const instance = await appWith(setup().kw);
    instance.post(
      '/host',
      { schema: { body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } },
      async (request) => ({ got: request.body }),
    );
    const valid = await instance.inject({ method: 'POST', url: '/host', payload: { n: 1 } });
    expect(valid.json()).toEqual({ got: { n: 1 } });
    const invalid = await instance.inject({ method: 'POST', url: '/host', payload: { n: 'x' } });
    expect(invalid.statusCode).toBe(400);
    const outside = await instance.inject({ method: 'GET', url: '/api/keywardx' });
    expect(outside.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('serves its full base path inside a prefixed plugin', async () => {
    const { kw } = setup();
    app = Fastify();
    await app.register(
      async (admin) => {
        await admin.register(keywardManagement, {
          keyward: kw,
          basePath: '/admin/keyward',
          authenticate: () => null,
        });
      },
      { prefix: '/admin' },
    );
    const response = await app.inject({ method: 'GET', url: '/admin/keyward/service-accounts' });
    expect([response.statusCode, response.json().code]).toEqual([401, 'unauthenticated']);
  });

  it('records request.ip in the audit trail', async () => {
    const { kw } = setup();
    const instance = await appWith(kw);
    const created = await instance.inject({
      method: 'POST',
      url: '/api/keyward/service-accounts',
      headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
      payload: JSON.stringify(NEW_ACCOUNT),
      remoteAddress: '192.0.2.4',
    });
    expect(created.statusCode).toBe(201);
    expect((await kw.audit.list(admin)).items[0]?.request?.ip).toBe('192.0.2.4');
  });

  it("hands what the hooks throw to the host's error handler", async () => {
    const { kw } = setup();
    app = Fastify();
    app.setErrorHandler(async (error, _request, reply) =>
      reply.code(503).send({ host: (error as Error).message }),
    );
    await app.register(keywardManagement, {
      keyward: kw,
      basePath: '/api/keyward',
      authenticate: () => {
        throw new Error('session store down');
      },
    });
    const failed = await app.inject({ method: 'GET', url: '/api/keyward/service-accounts' });
    expect([failed.statusCode, failed.json()]).toEqual([503, { host: 'session store down' }]);
  });
});
