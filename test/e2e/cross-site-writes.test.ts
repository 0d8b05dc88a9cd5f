/**
 * Writes another origin's page makes the browser send (CSRF), over real HTTP on every mount
 * (Express, Fastify, Hono and `managementFetchHandler`): refused 403 `cross_site_request` before
 * anything happens, while the page's own writes, curl-like calls, reads and the origins a host
 * lists in `trustedOrigins` go through the same on every mount.
 */
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keywardExpress } from '../../adapters/express/index.js';
import { keywardManagement } from '../../adapters/fastify/index.js';
import { keywardHono } from '../../adapters/hono/index.js';
import { managementFetchHandler } from '../../src/entries/http.js';
import type { Keyward, UserActor } from '../../src/index.js';
import { admin, setup } from '../support/keyward-fixture.js';

const MOUNTS = ['express', 'fastify', 'hono', 'fetch'] as const;
type Mount = (typeof MOUNTS)[number];

const BASE = '/api/keyward';
const SESSION = 'kw_session=s3cr3t';
const TRUSTED = 'https://admin.acme.test';

/** The person of a request's session cookie, as a cookie-session host finds it. */
const personOf = (cookie: string | null | undefined): UserActor | null =>
  cookie?.includes(SESSION) === true ? admin : null;

/** The options every mount shares, hooks apart. */
const shared = { basePath: BASE, trustedOrigins: [TRUSTED] } as const;

/** A Node server's loopback URL, once it listens. */
async function urlOf(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts `mount` over `kw` on a loopback port: its URL and how to stop it. */
async function startMount(mount: Mount, kw: Keyward, options: object = shared) {
  if (mount === 'fastify') {
    const app = Fastify();
    await app.register(keywardManagement, {
      ...options,
      keyward: kw,
      authenticate: (request) => personOf(request.headers.cookie),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: await urlOf(app.server), close: () => app.close() };
  }
  let server: Server;
  if (mount === 'express') {
    const app = express();
    app.use(
      keywardExpress(kw).managementRouter({ ...options, authenticate: (req) => personOf(req.get('cookie')) }),
    );
    server = app.listen(0, '127.0.0.1');
  } else if (mount === 'hono') {
    const app = new Hono();
    app.route(
      '/',
      keywardHono(kw).managementRoutes({ ...options, authenticate: (c) => personOf(c.req.header('cookie')) }),
    );
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  } else {
    const handler = managementFetchHandler(kw, {
      ...options,
      authenticate: (request) => personOf(request.raw?.headers.get('cookie')),
    });
    server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }) as Server;
  }
  const url = await urlOf(server);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** Sends exactly these headers (node:http adds only `Host`), with an empty body unless given. */
function sendRaw(url: string, method: string, path: string, headers: Record<string, string>, body = '') {
  return new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(new URL(path, url), { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: text === '' ? {} : JSON.parse(text) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

let kw: Keyward;
const servers = {} as Record<Mount, { url: string; close(): Promise<void> }>;

beforeAll(async () => {
  kw = setup().kw;
  for (const mount of MOUNTS) servers[mount] = await startMount(mount, kw);
});

afterAll(async () => {
  for (const mount of MOUNTS) await servers[mount]?.close();
});

async function newAccount() {
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'Billing sync',
    roles: ['viewer'],
    firstKey: { name: 'prod' },
  });
  return { accountId: account.id, keyId: key?.key.id as string };
}

describe.each(MOUNTS)('cross-site writes on the %s mount', (mount) => {
  const url = () => servers[mount].url;
  const own = () => new URL(url()).origin;

  it('refuses a bodiless POST with the cookie from a sibling subdomain or another site: 403, nothing changes', async () => {
    const { accountId, keyId } = await newAccount();
    const sibling = {
      cookie: SESSION,
      origin: 'https://uploads.acme.test',
      'sec-fetch-site': 'same-site',
      'sec-fetch-mode': 'no-cors',
    };
    const disable = await sendRaw(url(), 'POST', `${BASE}/service-accounts/${accountId}/disable`, sibling);
    const revoke = await sendRaw(url(), 'POST', `${BASE}/keys/${keyId}/revoke`, {
      ...sibling,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    const sandboxed = await sendRaw(url(), 'DELETE', `${BASE}/service-accounts/${accountId}`, {
      cookie: SESSION,
      origin: 'null',
    });
    const oldBrowser = await sendRaw(url(), 'POST', `${BASE}/keys/${keyId}/revoke`, {
      cookie: SESSION,
      origin: 'https://evil.example',
    });
    for (const answer of [disable, revoke, sandboxed, oldBrowser]) {
      expect([answer.status, answer.json.code]).toEqual([403, 'cross_site_request']);
    }
    expect((await kw.serviceAccounts.get(admin, { id: accountId })).status).toBe('active');
    expect((await kw.keys.get(admin, { keyId })).status).toBe('active');
  });

  it("acts on the page's own writes, curl-like writes and trusted origins; reads are not affected", async () => {
    const { accountId } = await newAccount();
    const path = (action: string) => `${BASE}/service-accounts/${accountId}/${action}`;
    const calls: [string, Record<string, string>][] = [
      ['disable', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', origin: own() }],
      ['enable', { origin: own() }],
      ['disable', {}],
      ['enable', { origin: TRUSTED, 'sec-fetch-site': 'same-site' }],
    ];
    for (const [action, headers] of calls) {
      const answer = await sendRaw(url(), 'POST', path(action), { cookie: SESSION, ...headers });
      expect([action, headers, answer.status]).toEqual([action, headers, 200]);
    }
    const read = await sendRaw(url(), 'GET', `${BASE}/service-accounts/${accountId}`, {
      cookie: SESSION,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect([read.status, read.json.status]).toEqual([200, 'active']);
  });

  it('refuses a trustedOrigins that is not a list of origins with TypeError when mounted', async () => {
    await expect(
      startMount(mount, kw, { basePath: BASE, trustedOrigins: ['https://admin.acme.test/'] }),
    ).rejects.toThrow(TypeError);
  });
});
