import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keywardFastify } from '../../../adapters/fastify/index.js';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../../src/index.js';
import type { VerifiedPrincipal } from '../../../src/verify/verified-principal.js';

const admin: UserActor = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] };
const resource = () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' });

let kw: Keyward;
let token: string;
let app: FastifyInstance | undefined;

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
  await app?.close();
  app = undefined;
});

/** Starts `instance` on a loopback port and returns its base URL. */
async function serve(instance: FastifyInstance): Promise<string> {
  app = instance;
  return instance.listen({ port: 0, host: '127.0.0.1' });
}

describe('keywardFastify', () => {
  it('refuses bad plugin options at registration', async () => {
    const instance = Fastify();
    await expect(instance.register(keywardFastify, { keyward: kw, realm: 'a\nb' })).rejects.toThrow(
      TypeError,
    );
    await instance.close();
  });

  it('refuses a route config naming an action outside the catalog when the route is declared', async () => {
    const instance = Fastify();
    await instance.register(keywardFastify, { keyward: kw });
    expect(() =>
      instance.get('/x', { config: { keyward: { action: 'datasets:reed', resource } } }, async () => 'x'),
    ).toThrow(/catalog/);
    await instance.close();
  });

  it('verifies in onRequest before the body is parsed, and decorates request.keyward', async () => {
    const instance = Fastify();
    const parser = vi.fn((_req: unknown, body: string, done: (e: null, v: unknown) => void) =>
      done(null, body),
    );
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'string' }, parser);
    await instance.register(keywardFastify, { keyward: kw });
    instance.post('/d', { config: { keyward: { action: 'datasets:read', resource } } }, async (request) => ({
      keyId: request.keyward?.keyId,
    }));
    instance.get('/open', async (request) => ({ keyward: request.keyward }));
    const url = await serve(instance);
    const refused = await fetch(`${url}/d`, {
      method: 'POST',
      body: 'payload',
      headers: { 'content-type': 'text/plain' },
    });
    expect(refused.status).toBe(401);
    expect(parser).not.toHaveBeenCalled();
    const allowed = await fetch(`${url}/d`, {
      method: 'POST',
      body: 'payload',
      headers: { 'x-api-key': token },
    });
    expect(await allowed.json()).toEqual({ keyId: token.split('_')[1] });
    expect(parser).toHaveBeenCalledOnce();
    expect(await (await fetch(`${url}/open`)).json()).toEqual({ keyward: null });
  });

  it('protects routes declared before the plugin finished loading', async () => {
    const instance = Fastify();
    void instance.register(keywardFastify, { keyward: kw });
    instance.get(
      '/early',
      { config: { keyward: { action: 'datasets:read', resource } } },
      async () => 'secret',
    );
    const url = await serve(instance);
    expect((await fetch(`${url}/early`)).status).toBe(401);
    expect((await fetch(`${url}/early`, { headers: { 'x-api-key': token } })).status).toBe(200);
  });

  it('sends problems with the exact media type, and lets onDenied answer instead', async () => {
    const seen: string[] = [];
    const instance = Fastify();
    await instance.register(keywardFastify, {
      keyward: kw,
      onDenied: (denial) => void seen.push(denial.code),
    });
    instance.get('/d', { config: { keyward: { action: 'datasets:write', resource } } }, async () => 'x');
    instance.get(
      '/custom',
      {
        config: {
          keyward: {
            action: 'datasets:write',
            resource,
            onDenied: (denial, _request, reply) =>
              void reply.code(denial.status).send({ mine: denial.body.code }),
          },
        },
      },
      async () => 'x',
    );
    const url = await serve(instance);
    const denied = await fetch(`${url}/d`, { headers: { 'x-api-key': token } });
    expect([denied.status, denied.headers.get('content-type')]).toEqual([403, 'application/problem+json']);
    expect(seen).toEqual(['not_granted']);
    const custom = await fetch(`${url}/custom`, { headers: { 'x-api-key': token } });
    expect([custom.status, await custom.json()]).toEqual([403, { mine: 'not_granted' }]);
  });

  it('offers keywardHook for routes that combine keyward with another authentication', async () => {
    const instance = Fastify();
    await instance.register(keywardFastify, { keyward: kw });
    const keyHook = instance.keywardHook({ action: 'datasets:read', resource });
    instance.get(
      '/either',
      {
        onRequest: async (request, reply) => {
          if (request.headers['x-internal'] === 'yes') return;
          await keyHook(request, reply);
        },
      },
      async (request) => ({ via: request.keyward === null ? 'internal' : 'key' }),
    );
    const url = await serve(instance);
    expect(await (await fetch(`${url}/either`, { headers: { 'x-internal': 'yes' } })).json()).toEqual({
      via: 'internal',
    });
    expect(await (await fetch(`${url}/either`, { headers: { 'x-api-key': token } })).json()).toEqual({
      via: 'key',
    });
    expect((await fetch(`${url}/either`)).status).toBe(401);
  });

  it('asks the limit hook and answers 429 with Retry-After', async () => {
    const limit = vi.fn((_principal: VerifiedPrincipal) => ({
      limited: true as const,
      retryAfterSeconds: 3,
    }));
    const instance = Fastify();
    await instance.register(keywardFastify, { keyward: kw, limit });
    instance.get('/d', { config: { keyward: { action: 'datasets:read', resource } } }, async () => 'x');
    const response = await fetch(`${await serve(instance)}/d`, { headers: { 'x-api-key': token } });
    expect([response.status, response.headers.get('retry-after')]).toEqual([429, '3']);
    expect(limit).toHaveBeenCalledOnce();
  });

  it('hands what the resource hook throws to the error handler, once the key is verified', async () => {
    const failure = new Error('directory down');
    const failing = vi.fn(() => {
      throw failure;
    });
    const instance = Fastify();
    await instance.register(keywardFastify, { keyward: kw });
    instance.setErrorHandler(
      (error, _request, reply) => void reply.code(502).send(String((error as Error).message)),
    );
    instance.get(
      '/d',
      { config: { keyward: { action: 'datasets:read', resource: failing } } },
      async () => 'x',
    );
    const url = await serve(instance);
    expect((await fetch(`${url}/d`, { headers: { 'x-api-key': 'acme_garbage' } })).status).toBe(401);
    expect(failing).not.toHaveBeenCalled();
    const response = await fetch(`${url}/d`, { headers: { 'x-api-key': token } });
    expect([response.status, await response.text()]).toEqual([502, 'directory down']);
    expect(failing).toHaveBeenCalledOnce();
  });
});
