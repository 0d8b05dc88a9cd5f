import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { keywardExpress } from '../../../adapters/express/index.js';
import type { Keyward } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };
const json = { 'content-type': 'application/json', 'x-test-user': 'admin' };

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** Serves `app` on a loopback port and returns its base URL. */
async function serve(app: express.Express): Promise<string> {
  const listening = app.listen(0, '127.0.0.1');
  server = listening;
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

/** The management router over `kw` under `/api/keyward`, a person when `x-test-user: admin`. */
function router(
  kw: Keyward,
  extra: Partial<Parameters<ReturnType<typeof keywardExpress>['managementRouter']>[0]> = {},
) {
  return keywardExpress(kw).managementRouter({
    basePath: '/api/keyward',
    authenticate: (req) => (req.get('x-test-user') === 'admin' ? admin : null),
    ...extra,
  });
}

describe('keywardExpress().managementRouter', () => {
  it('refuses bad options when it is built', () => {
    const { kw } = setup();
    const { managementRouter } = keywardExpress(kw);
    expect(() => managementRouter({} as never)).toThrow(/authenticate/);
    expect(() => managementRouter({ authenticate: () => null, basePath: 'api' })).toThrow(TypeError);
    expect(() => managementRouter({ authenticate: () => null, limit: 5 as never })).toThrow(/limit/);
  });

  it('applies the credential rules given to keywardExpress (refused query names, longest header)', async () => {
    const { kw } = setup();
    const app = express();
    app.use(
      keywardExpress(kw, { queryParams: ['sig'], maxCredentialLength: 200 }).managementRouter({
        basePath: '/api/keyward',
        authenticate: () => null,
      }),
    );
    const url = await serve(app);
    const inQuery = await fetch(`${url}/api/keyward/service-accounts?sig=abc`);
    expect([inQuery.status, (await inQuery.json()).code]).toEqual([400, 'credential_in_query']);
    const tooLong = await fetch(`${url}/api/keyward/service-accounts`, {
      headers: { 'x-api-key': 'k'.repeat(300) },
    });
    expect(tooLong.status).toBe(400);
    const defaultName = await fetch(`${url}/api/keyward/service-accounts?access_token=abc`);
    expect(defaultName.status).toBe(401);
  });

  it('takes the body a host express.json() already parsed, and still refuses what is not JSON', async () => {
    const { kw } = setup();
    const app = express();
    app.use(express.json({ limit: '1mb' }));
    app.use(router(kw));
    const url = await serve(app);
    const created = await fetch(`${url}/api/keyward/service-accounts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(NEW_ACCOUNT),
    });
    expect(created.status).toBe(201);
    expect((await created.json()).account.name).toBe('ETL pipeline');
    const form = await fetch(`${url}/api/keyward/service-accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-user': 'admin' },
      body: 'name=x',
    });
    expect(form.status).toBe(415);
    // Parsed JSON is measured as its JSON text: the API's own limit still holds.
    const large = await fetch(`${url}/api/keyward/service-accounts`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ ...NEW_ACCOUNT, name: 'x'.repeat(70_000) }),
    });
    expect([large.status, (await large.json()).code]).toEqual([413, 'body_too_large']);
  });

  it('lets requests outside the base path through to the host routes', async () => {
    const { kw } = setup();
    const app = express();
    app.use(router(kw));
    app.get('/api/keywardx', (_req, res) => {
      res.send('host keywardx');
    });
    app.use((_req, res) => {
      res.status(404).send('host 404');
    });
    const url = await serve(app);
    expect(await (await fetch(`${url}/api/keywardx`)).text()).toBe('host keywardx');
    expect(await (await fetch(`${url}/elsewhere?x=1`)).text()).toBe('host 404');
    const inside = await fetch(`${url}/api/keyward/nope`);
    expect([inside.status, inside.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });

  it('serves its full base path when the host mounts it under a path', async () => {
    const { kw } = setup();
    const app = express();
    app.use('/api', router(kw));
    const url = await serve(app);
    const listed = await fetch(`${url}/api/keyward/service-accounts`, {
      headers: { 'x-test-user': 'admin' },
    });
    expect(listed.status).toBe(200);
  });

  it('records req.ip, which follows the host trust proxy setting', async () => {
    for (const trusted of [false, true]) {
      const { kw } = setup();
      const app = express();
      app.set('trust proxy', trusted);
      app.use(router(kw));
      const url = await serve(app);
      const created = await fetch(`${url}/api/keyward/service-accounts`, {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify(NEW_ACCOUNT),
      });
      expect(created.status).toBe(201);
      const events = await kw.audit.list(admin);
      expect(events.items[0]?.request?.ip).toBe(trusted ? '198.51.100.9' : '127.0.0.1');
      await new Promise<void>((resolve) => server?.close(() => resolve()));
      server = undefined;
    }
  });

  it('hands what the host hooks throw to next(err)', async () => {
    const { kw } = setup();
    const app = express();
    app.use(
      router(kw, {
        authenticate: () => {
          throw new Error('session store down');
        },
      }),
    );
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      res.status(503).json({ host: (error as Error).message });
    };
    app.use(onError);
    const url = await serve(app);
    const response = await fetch(`${url}/api/keyward/service-accounts`);
    expect([response.status, await response.json()]).toEqual([503, { host: 'session store down' }]);
  });

  it('uses the realm given to keywardExpress for its challenges', async () => {
    const { kw } = setup();
    const app = express();
    app.use(
      keywardExpress(kw, { realm: 'acme' }).managementRouter({ authenticate: () => null, basePath: '/kw' }),
    );
    const url = await serve(app);
    const response = await fetch(`${url}/kw/service-accounts`);
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="acme"']);
  });

  it('exposes the API it serves, with its OpenAPI document', () => {
    const { kw } = setup();
    const served = router(kw);
    expect(served.api.basePath).toBe('/api/keyward');
    expect(Object.keys(served.api.openapi.paths)).toContain('/api/keyward/service-accounts');
  });
});
