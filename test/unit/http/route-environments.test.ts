import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { keywardExpress } from '../../../adapters/express/index.js';
import { keywardFastify } from '../../../adapters/fastify/index.js';
import { keywardHono } from '../../../adapters/hono/index.js';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../../src/index.js';

const admin: UserActor = { type: 'user', id: 'u_1', tenantId: 't_1', permissions: ['*'] };
const resource = () => ({ tenantId: 't_1', workspaceId: 'w_1', datasetId: 'd_1' });
const sandbox = { action: 'datasets:read', resource, environments: ['test'] } as const;

let kw: Keyward;
let live: string;
let test: string;

beforeAll(async () => {
  kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: { live: 'acme_live', test: 'acme_test' } });
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_1',
    name: 'etl',
    roles: ['viewer'],
    firstKey: { name: 'prod' },
  });
  live = key?.token ?? '';
  const issued = await kw.keys.issue(admin, {
    serviceAccountId: account.id,
    key: { name: 'ci', environment: 'test' },
  });
  test = issued.token;
});

/** Status and body code of a GET /d with `token`, for each framework's route accepting test keys only. */
const mounts: Record<string, (token: string) => Promise<{ status: number; code: unknown }>> = {
  async express(token) {
    const app = express();
    app.get('/d', keywardExpress(kw).requireApiKey(sandbox), (_req, res) => {
      res.json({ code: 'ok' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const port = (server.address() as AddressInfo).port;
      const response = await fetch(`http://127.0.0.1:${port}/d`, { headers: { 'x-api-key': token } });
      return { status: response.status, code: ((await response.json()) as { code: unknown }).code };
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  },
  async fastify(token) {
    const app = Fastify();
    await app.register(keywardFastify, { keyward: kw });
    app.get('/d', { config: { keyward: sandbox } }, async () => ({ code: 'ok' }));
    try {
      const response = await app.inject({ method: 'GET', url: '/d', headers: { 'x-api-key': token } });
      return { status: response.statusCode, code: response.json<{ code: unknown }>().code };
    } finally {
      await app.close();
    }
  },
  async hono(token) {
    const app = new Hono();
    app.get('/d', keywardHono(kw).requireApiKey(sandbox), (c) => c.json({ code: 'ok' }));
    const response = await app.request('/d', { headers: { 'x-api-key': token } });
    return { status: response.status, code: ((await response.json()) as { code: unknown }).code };
  },
};

describe('route environments', () => {
  it.each(Object.keys(mounts))('%s passes the route environments to verify', async (name) => {
    const request = mounts[name]!;
    expect(await request(test)).toEqual({ status: 200, code: 'ok' });
    expect(await request(live)).toEqual({ status: 401, code: 'environment_not_accepted' });
  });
});
