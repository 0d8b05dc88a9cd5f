import { Hono } from 'hono';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keywardHono } from '../../../adapters/hono/index.js';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

const user: UserActor = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] };
const resource = () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' });
const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

let kw: Keyward;
let token: string;

beforeEach(async () => {
  kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
  const created = await kw.serviceAccounts.create(user, {
    workspaceId: 'w_1',
    name: 'etl',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  token = created.key?.token ?? '';
});

describe('keywardHono().requireApiKey', () => {
  it('refuses bad options when the middleware is built, not per request', () => {
    expect(() => keywardHono(kw, { realm: 'bad"realm' })).toThrow(TypeError);
    expect(() => keywardHono(kw, { clientAddress: 'x' as never })).toThrow(TypeError);
    const { requireApiKey } = keywardHono(kw);
    expect(() => requireApiKey({ action: 'datasets:reed', resource })).toThrow(/catalog/);
    expect(() => requireApiKey({ action: 'datasets:read', resource, limit: 5 as never })).toThrow(TypeError);
  });

  it("sets c.get('keyward') for the handlers after it, typed by the route's path", async () => {
    const { requireApiKey } = keywardHono(kw);
    const app = new Hono();
    const seen: string[] = [];
    app.get(
      '/datasets/:d',
      requireApiKey<'/datasets/:d'>({
        action: 'datasets:read',
        resource: (c) => {
          seen.push(c.req.param('d'));
          return resource();
        },
      }),
      (c) => c.json({ keyId: c.get('keyward').keyId, tenant: c.var.keyward.tenantId }),
    );
    const response = await app.request('/datasets/d_1', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keyId: token.split('_')[1], tenant: 't_1' });
    expect(seen).toEqual(['d_1']);
  });

  it('answers refusals with the problem body, before any resource lookup for a bad key', async () => {
    const lookup = vi.fn(resource);
    const { requireApiKey } = keywardHono(kw, { realm: 'acme' });
    const app = new Hono();
    app.get('/d', requireApiKey({ action: 'datasets:read', resource: lookup }), (c) => c.text('ok'));
    app.delete('/d', requireApiKey({ action: 'datasets:delete', resource: lookup }), (c) => c.text('ok'));
    const missing = await app.request('/d');
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="acme"']);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    const bad = await app.request('/d', { headers: { 'x-api-key': `${token}x` } });
    expect(bad.status).toBe(401);
    expect(lookup).not.toHaveBeenCalled();
    const forbidden = await app.request('/d', { method: 'DELETE', headers: { 'x-api-key': token } });
    expect([forbidden.status, (await forbidden.json()).code]).toEqual([403, 'not_granted']);
  });

  it('lets onDenied answer instead, and limit refuse with 429', async () => {
    const denied: string[] = [];
    const { requireApiKey } = keywardHono(kw, {
      onDenied: (denial, c) => {
        denied.push(denial.code);
        return denial.status === 401 ? c.json({ custom: true }, 401) : undefined;
      },
      limit: () => ({ limited: true, retryAfterSeconds: 7 }),
    });
    const app = new Hono();
    app.get('/d', requireApiKey({ action: 'datasets:read', resource }), (c) => c.text('ok'));
    expect(await (await app.request('/d')).json()).toEqual({ custom: true });
    const limited = await app.request('/d', { headers: { authorization: `Bearer ${token}` } });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(denied).toEqual(['missing_credentials', 'rate_limited']);
  });

  it('hands what resource throws to app.onError', async () => {
    const { requireApiKey } = keywardHono(kw);
    const app = new Hono();
    app.onError((error, c) => c.json({ host: error.message }, 503));
    const failing = () => {
      throw new Error('directory down');
    };
    app.get('/d', requireApiKey({ action: 'datasets:read', resource: failing }), (c) => c.text('ok'));
    const response = await app.request('/d', { headers: { authorization: `Bearer ${token}` } });
    expect([response.status, await response.json()]).toEqual([503, { host: 'directory down' }]);
  });
});

describe('keywardHono().managementRoutes', () => {
  /** A host app with a session middleware (`c.set('person')`) and the management routes. */
  function hostApp(world = setup()) {
    const app = new Hono<{ Variables: { person: UserActor | null } }>();
    app.use(async (c, next) => {
      c.set('person', c.req.header('x-session') === 'admin' ? admin : null);
      await next();
    });
    const { managementRoutes } = keywardHono(world.kw, { clientAddress: () => '192.0.2.8' });
    app.route(
      '/',
      managementRoutes({
        basePath: '/api/keyward',
        authenticate: (c) => c.get('person') as UserActor | null,
      }),
    );
    app.get('/api/keywardx', (c) => c.text('host keywardx'));
    return { app, kw: world.kw };
  }

  it("asks the hooks with the request's own Hono context", async () => {
    const { app, kw } = hostApp();
    const created = await app.request('/api/keyward/service-accounts', {
      method: 'POST',
      headers: { 'x-session': 'admin', 'content-type': 'application/json' },
      body: JSON.stringify(NEW_ACCOUNT),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toMatch(/^\/api\/keyward\/service-accounts\/sa_/);
    expect((await kw.audit.list(admin)).items[0]?.request?.ip).toBe('192.0.2.8');
    const anonymous = await app.request('/api/keyward/service-accounts');
    expect(anonymous.status).toBe(401);
  });

  it('lets requests outside the base path through to the host routes', async () => {
    const { app } = hostApp();
    expect(await (await app.request('/api/keywardx')).text()).toBe('host keywardx');
    expect((await app.request('/elsewhere')).status).toBe(404);
    const inside = await app.request('/api/keyward');
    expect([inside.status, inside.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });

  it('reads a body an earlier host middleware already read', async () => {
    const world = setup();
    const app = new Hono();
    const seen: unknown[] = [];
    app.use(async (c, next) => {
      if (c.req.method === 'POST') seen.push(await c.req.json());
      await next();
    });
    app.route(
      '/',
      keywardHono(world.kw).managementRoutes({ basePath: '/api/keyward', authenticate: () => admin }),
    );
    const created = await app.request('/api/keyward/service-accounts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(NEW_ACCOUNT),
    });
    expect(created.status).toBe(201);
    expect(seen).toEqual([NEW_ACCOUNT]);
  });

  it('refuses bad options when it is built', () => {
    const { managementRoutes } = keywardHono(setup().kw);
    expect(() => managementRoutes({} as never)).toThrow(/authenticate/);
    expect(() => managementRoutes({ authenticate: () => null, clientAddress: 3 as never })).toThrow(
      TypeError,
    );
  });
});
