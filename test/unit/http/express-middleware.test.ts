import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyPrincipal, keywardExpress } from '../../../adapters/express/index.js';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../../src/index.js';
import type { VerifiedPrincipal } from '../../../src/verify/verified-principal.js';
import { withTypo } from '../../support/typo.js';

const admin: UserActor = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] };
const resource = () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' });

let kw: Keyward;
let token: string;
let server: Server | undefined;

beforeEach(async () => {
  kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
  const created = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_1',
    name: 'etl',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  token = created.key?.token ?? '';
});

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

describe('keywardExpress', () => {
  it('refuses bad options when the middleware is built, not per request', () => {
    expect(() => keywardExpress(kw, { realm: 'bad"realm' })).toThrow(TypeError);
    expect(() => keywardExpress(kw, { onDenied: 'log' as never })).toThrow(TypeError);
    const { requireApiKey } = keywardExpress(kw);
    expect(() => requireApiKey({ action: 'datasets:reed', resource })).toThrow(/catalog/);
    expect(() => requireApiKey({ action: 'datasets:read', resource: { tenantId: 't_1' } as never })).toThrow(
      TypeError,
    );
    expect(() => requireApiKey({ action: 'datasets:read', resource, limit: 5 as never })).toThrow(TypeError);
  });

  it('sets a typed req.keyward for the handler', async () => {
    const { requireApiKey } = keywardExpress(kw);
    const app = express();
    app.get('/d', requireApiKey({ action: 'datasets:read', resource }), (req, res) => {
      res.json({ keyId: keyPrincipal(req).keyId, tenant: req.keyward?.tenantId });
    });
    const response = await fetch(`${await serve(app)}/d`, { headers: { authorization: `Bearer ${token}` } });
    expect(await response.json()).toEqual({ keyId: token.split('_')[1], tenant: 't_1' });
  });

  it('calls onDenied with the precise code, and lets it answer instead of the default', async () => {
    const seen: string[] = [];
    const { requireApiKey } = keywardExpress(kw, { onDenied: (denial) => void seen.push(denial.code) });
    const app = express();
    app.get('/logged', requireApiKey({ action: 'datasets:read', resource }), (_req, res) => res.end('ok'));
    app.get(
      '/custom',
      requireApiKey({
        action: 'datasets:write',
        resource,
        onDenied: (denial, _req, res) => void res.status(denial.status).json({ mine: denial.body.code }),
      }),
      (_req, res) => res.end('ok'),
    );
    const url = await serve(app);
    const logged = await fetch(`${url}/logged`, { headers: { 'x-api-key': withTypo(token) } });
    expect([logged.status, logged.headers.get('content-type')]).toEqual([401, 'application/problem+json']);
    expect(seen).toEqual(['malformed_token']);
    const custom = await fetch(`${url}/custom`, { headers: { 'x-api-key': token } });
    expect([custom.status, await custom.json()]).toEqual([403, { mine: 'not_granted' }]);
  });

  it('passes errors of the host callbacks to next(err), calling resource only for a verified key', async () => {
    const { requireApiKey } = keywardExpress(kw);
    const app = express();
    const failing = vi.fn(() => {
      throw new Error('directory down');
    });
    app.get('/d', requireApiKey({ action: 'datasets:read', resource: failing }), (_req, res) =>
      res.end('ok'),
    );
    const onError = vi.fn<ErrorRequestHandler>((error, _req, res, _next) =>
      res.status(502).end(String(error.message)),
    );
    app.use(onError);
    const url = await serve(app);
    expect((await fetch(`${url}/d`, { headers: { 'x-api-key': 'acme_garbage' } })).status).toBe(401);
    expect(failing).not.toHaveBeenCalled();
    const response = await fetch(`${url}/d`, { headers: { 'x-api-key': token } });
    expect([response.status, await response.text()]).toEqual([502, 'directory down']);
    expect(onError).toHaveBeenCalledOnce();
    expect(failing).toHaveBeenCalledOnce();
  });

  it('asks the limit hook with the verified principal and the request', async () => {
    const limit = vi.fn((_principal: VerifiedPrincipal) => ({
      limited: true as const,
      retryAfterSeconds: 12,
    }));
    const { requireApiKey } = keywardExpress(kw, { limit });
    const app = express();
    app.get('/d', requireApiKey({ action: 'datasets:read', resource }), (_req, res) => res.end('ok'));
    const response = await fetch(`${await serve(app)}/d`, { headers: { 'x-api-key': token } });
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '12']);
    expect(limit.mock.calls[0]?.[0]).toMatchObject({ type: 'key', tenantId: 't_1' });
  });

  it('answers 503 when storage cannot be read, without a challenge', async () => {
    const storage = memoryAdapter();
    const failing = new Proxy(storage, {
      get: (target, name, receiver) =>
        name === 'findKeyForVerification'
          ? async () => {
              throw new Error('database down');
            }
          : Reflect.get(target, name, receiver),
    });
    const down = createKeyward({ storage: failing, tokenPrefix: 'acme' });
    const { requireApiKey } = keywardExpress(down);
    const app = express();
    app.get('/d', requireApiKey({ action: 'datasets:read', resource }), (_req, res) => res.end('ok'));
    const response = await fetch(`${await serve(app)}/d`, { headers: { 'x-api-key': token } });
    expect([response.status, response.headers.get('www-authenticate')]).toEqual([503, null]);
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' });
  });
});
