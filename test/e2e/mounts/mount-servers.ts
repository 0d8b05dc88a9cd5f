import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HttpBindings, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { keywardExpress } from '../../../adapters/express/index.js';
import { keywardManagement } from '../../../adapters/fastify/index.js';
import { keywardHono } from '../../../adapters/hono/index.js';
import { managementFetchHandler } from '../../../src/entries/http.js';
import type { Keyward } from '../../../src/index.js';
import { BASE_PATH, endpointsBaseUrl, limitOf, personOf, SESSION_HEADER } from './scenario-world.js';

/** Every way keyward mounts its management API. */
export const MOUNTS = ['express', 'fastify', 'hono', 'fetch'] as const;
export type Mount = (typeof MOUNTS)[number];

/** One mount listening on a loopback port. */
export interface MountServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The options every mount shares, framework hooks apart. */
const shared = { basePath: BASE_PATH, endpointsBaseUrl } as const;

/** The loopback URL of a listening Node server. */
async function urlOf(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a Node server, ending its idle keep-alive connections. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeIdleConnections();
  });
}

async function startExpress(kw: Keyward): Promise<MountServer> {
  const app = express();
  app.use(
    keywardExpress(kw).managementRouter({
      ...shared,
      authenticate: (req) => personOf(req.get(SESSION_HEADER)),
      limit: (actor) => limitOf(actor),
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  return { url: await urlOf(server), close: () => closeServer(server) };
}

async function startFastify(kw: Keyward): Promise<MountServer> {
  const app = Fastify();
  await app.register(keywardManagement, {
    ...shared,
    keyward: kw,
    authenticate: (request) => personOf(request.headers[SESSION_HEADER] as string | undefined),
    limit: (actor) => limitOf(actor),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: await urlOf(app.server), close: () => app.close() };
}

async function startHono(kw: Keyward): Promise<MountServer> {
  const app = new Hono();
  const { managementRoutes } = keywardHono(kw, { clientAddress: (c) => getConnInfo(c).remote.address });
  app.route(
    '/',
    managementRoutes({
      ...shared,
      authenticate: (c) => personOf(c.req.header(SESSION_HEADER)),
      limit: (actor) => limitOf(actor),
    }),
  );
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  return { url: await urlOf(server), close: () => closeServer(server) };
}

/** The plain Web handler, served by @hono/node-server as any `fetch` handler (no Hono app). */
async function startFetch(kw: Keyward): Promise<MountServer> {
  // Node's socket gives the client address, as Bun's `server.requestIP(request)` would.
  const addresses = new WeakMap<Request, string>();
  const handler = managementFetchHandler(kw, {
    ...shared,
    authenticate: (request) => personOf(request.raw?.headers.get(SESSION_HEADER)),
    limit: (actor) => limitOf(actor),
    clientAddress: (request) => addresses.get(request),
  });
  const server = serve({
    fetch: (request, env) => {
      const address = (env as HttpBindings).incoming.socket.remoteAddress;
      if (address !== undefined) addresses.set(request, address);
      return handler(request);
    },
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  return { url: await urlOf(server), close: () => closeServer(server) };
}

/** Starts `mount` over `kw` on a free loopback port. */
export function startMount(mount: Mount, kw: Keyward): Promise<MountServer> {
  const start = { express: startExpress, fastify: startFastify, hono: startHono, fetch: startFetch }[mount];
  return start(kw);
}
