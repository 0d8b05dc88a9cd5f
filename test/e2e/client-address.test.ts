/**
 * Which client address an IP allowlist sees, on each framework: the framework's own, under the
 * host's proxy settings. keyward never reads `X-Forwarded-For` itself: a client on loopback that
 * claims `10.1.2.3` is refused by a `10.0.0.0/8` allowlist unless the host trusts its proxy. And a
 * route's `cost` spends that many usage credits.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keywardExpress } from '../../adapters/express/index.js';
import { keywardFastify } from '../../adapters/fastify/index.js';
import { keywardHono } from '../../adapters/hono/index.js';
import { memoryAdapter } from '../../adapters/memory/index.js';
import { createKeyward, type Keyward } from '../../src/index.js';
import { admin, TENANT } from '../support/keyward-fixture.js';

const RESOURCE = { tenantId: TENANT, workspaceId: 'w_sales', datasetId: 'd_1' };
/** A route that reads a dataset and costs 3 credits. */
const ROUTE = { action: 'datasets:read', resource: () => RESOURCE, cost: 3 } as const;

let kw: Keyward;
let token: string;
let keyId: string;
/** A key of an account without IP rules. */
let openToken: string;
const servers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
  const created = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'behind a proxy',
    roles: ['analyst'],
    ipAllowlist: ['10.0.0.0/8'],
    firstKey: { name: 'first' },
  });
  if (created.key === undefined) throw new Error('no first key');
  token = created.key.token;
  keyId = created.key.key.id;
  const open = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'anywhere',
    roles: ['analyst'],
    firstKey: { name: 'first' },
  });
  if (open.key === undefined) throw new Error('no first key');
  openToken = open.key.token;
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await kw.close();
});

/** Starts a Node server on a loopback port; its URL. */
async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  servers.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function expressApp(trustProxy: boolean): Promise<string> {
  const app = express();
  if (trustProxy) app.set('trust proxy', 'loopback');
  const { requireApiKey } = keywardExpress(kw);
  app.get('/d', requireApiKey(ROUTE), (_req, res) => {
    res.json({ ok: true });
  });
  return listen(app.listen(0, '127.0.0.1'));
}

async function fastifyApp(trustProxy: boolean): Promise<string> {
  const app = Fastify(trustProxy ? { trustProxy: '127.0.0.1' } : {});
  await app.register(keywardFastify, { keyward: kw });
  app.get('/d', { config: { keyward: ROUTE } }, async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  servers.push({ close: () => app.close() });
  return url;
}

async function honoApp(trustProxy: boolean): Promise<string> {
  const app = new Hono();
  // The host's rule: the socket's peer, or the proxy's header only when the peer is the proxy.
  const clientAddress = (c: Parameters<typeof getConnInfo>[0]) => {
    const peer = getConnInfo(c).remote.address;
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    return trustProxy && peer === '127.0.0.1' && forwarded ? forwarded : peer;
  };
  const { requireApiKey } = keywardHono(kw, { clientAddress });
  app.get('/d', requireApiKey(ROUTE), (c) => c.json({ ok: true }));
  return listen(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
}

const APPS = { express: expressApp, fastify: fastifyApp, hono: honoApp } as const;

/** A read from loopback claiming to come from `10.1.2.3` through a proxy. */
async function readForwarded(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/d`, {
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '10.1.2.3' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(Object.keys(APPS) as (keyof typeof APPS)[])('the client address on %s', (framework) => {
  it('is the socket peer without a trusted proxy: X-Forwarded-For alone is ignored', async () => {
    const url = await APPS[framework](false);
    const answer = await readForwarded(url);
    expect([answer.status, answer.body.code, answer.body.layer]).toEqual([403, 'ip_not_allowed', 'account']);
  });

  it("is the proxy's forwarded address once the host trusts the proxy, and the route's cost is spent", async () => {
    await kw.keys.update(admin, { keyId, credits: { remaining: 5 } });
    const url = await APPS[framework](true);
    expect((await readForwarded(url)).status).toBe(200);
    expect((await kw.keys.get(admin, { keyId })).credits?.remaining).toBe(2);
    const spent = await readForwarded(url);
    expect([spent.status, spent.body.code]).toEqual([429, 'usage_exceeded']);
  });
});

describe('the client address, found only when needed', () => {
  /** A trust-proxy rule that counts how often the framework asked it (once per address lookup). */
  const countingTrust = () => {
    const calls = { count: 0 };
    const trust = (address: string) => {
      calls.count += 1;
      return address === '127.0.0.1';
    };
    return { calls, trust };
  };
  const readWith = async (url: string, bearer: string) =>
    (
      await fetch(`${url}/d`, {
        headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': '10.1.2.3' },
      })
    ).status;

  it('is not looked up on Express for a key without IP rules, and is for a key with some', async () => {
    const { calls, trust } = countingTrust();
    const app = express();
    app.set('trust proxy', trust);
    const { requireApiKey } = keywardExpress(kw);
    app.get('/d', requireApiKey({ ...ROUTE, cost: 0 }), (_req, res) => {
      res.json({ ok: true });
    });
    const url = await listen(app.listen(0, '127.0.0.1'));
    expect(await readWith(url, openToken)).toBe(200);
    expect(calls.count).toBe(0);
    expect(await readWith(url, token)).toBe(200);
    expect(calls.count).toBeGreaterThan(0);
  });

  it('is not looked up on Fastify for a key without IP rules, and is for a key with some', async () => {
    const { calls, trust } = countingTrust();
    const app = Fastify({ trustProxy: trust });
    await app.register(keywardFastify, { keyward: kw });
    app.get('/d', { config: { keyward: { ...ROUTE, cost: 0 } } }, async () => ({ ok: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push({ close: () => app.close() });
    expect(await readWith(url, openToken)).toBe(200);
    expect(calls.count).toBe(0);
    expect(await readWith(url, token)).toBe(200);
    expect(calls.count).toBeGreaterThan(0);
  });

  it("does not call Hono's clientAddress for a key without IP rules, and does for a key with some", async () => {
    const calls = { count: 0 };
    const app = new Hono();
    const { requireApiKey } = keywardHono(kw, {
      clientAddress: () => {
        calls.count += 1;
        return '10.1.2.3';
      },
    });
    app.get('/d', requireApiKey({ ...ROUTE, cost: 0 }), (c) => c.json({ ok: true }));
    const url = await listen(serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server);
    expect(await readWith(url, openToken)).toBe(200);
    expect(calls.count).toBe(0);
    expect(await readWith(url, token)).toBe(200);
    expect(calls.count).toBe(1);
  });
});
