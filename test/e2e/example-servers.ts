import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExpressApp } from '../../examples/express/app.js';
import { createFastifyApp } from '../../examples/fastify/app.js';
import {
  createExampleApi,
  type ExampleApi,
  type ExampleApiOptions,
} from '../../examples/shared/example-api.js';
import { openExampleKeyward } from '../../examples/shared/example-keyward.js';
import type { RouteSpec } from '../../examples/shared/route-spec.js';
import type { Keyward } from '../../src/index.js';

/** The two example apps. */
export const FRAMEWORKS = ['express', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** A controllable clock (epoch ms) shared by keyward and the test. */
export interface TestClock {
  now: number;
}

/** Counts the host's resource lookups (the directory reads a route's `resource` makes). */
export interface ResourceLookups {
  count: number;
}

/** `route` with its resource lookup counted in `lookups`. */
function countingLookups(route: RouteSpec, lookups: ResourceLookups): RouteSpec {
  const { auth } = route;
  if (auth.kind === 'public') return route;
  const resource: typeof auth.resource = (params) => {
    lookups.count += 1;
    return auth.resource(params);
  };
  return { ...route, auth: { ...auth, resource } };
}

/** Both example apps listening on loopback ports over one keyward instance and one storage. */
export interface ExampleServers {
  readonly kw: Keyward;
  readonly clock: TestClock;
  /** Every resource lookup either app made, across all routes (reset it freely). */
  readonly lookups: ResourceLookups;
  readonly url: Record<Framework, string>;
  close(): Promise<void>;
}

/**
 * Starts the Express and the Fastify example on port 0 of 127.0.0.1, sharing one example API (one
 * keyward over a fresh SQLite file, or PostgreSQL when `databaseUrl` is given), so the same
 * request can be sent to both and their answers compared.
 */
export async function startExampleServers(
  options: { databaseUrl?: string | undefined; rateLimit?: ExampleApiOptions['rateLimit'] } = {},
): Promise<ExampleServers> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-e2e-'));
  const clock: TestClock = { now: Date.now() };
  const opened = await openExampleKeyward({
    sqlitePath: join(dir, 'keyward.sqlite'),
    databaseUrl: options.databaseUrl,
    keyward: { clock: () => clock.now },
  });
  const created = createExampleApi({ kw: opened.kw, rateLimit: options.rateLimit ?? null });
  const lookups: ResourceLookups = { count: 0 };
  const api: ExampleApi = {
    ...created,
    routes: created.routes.map((route) => countingLookups(route, lookups)),
  };
  const express = createExpressApp(api).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => express.once('listening', () => resolve()));
  const fastify = await createFastifyApp(api);
  const fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return {
    kw: opened.kw,
    clock,
    lookups,
    url: { express: `http://127.0.0.1:${(express.address() as AddressInfo).port}`, fastify: fastifyUrl },
    async close() {
      await new Promise<void>((resolve) => express.close(() => resolve()));
      await fastify.close();
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response reduced to what the tests compare. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** Sends one request with fetch and reads its answer. */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text === '' ? {} : JSON.parse(text),
  };
}

/**
 * Sends one request with node:http, whose array header values go out as repeated header lines
 * (fetch would join them into one).
 */
export function sendRaw(
  baseUrl: string,
  path: string,
  headers: Record<string, string | string[]>,
  method = 'GET',
): Promise<{ status: number; text: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Logs alice (Acme's admin) in and returns her session header. */
export async function adminSession(baseUrl: string, user = 'alice'): Promise<Record<string, string>> {
  const answer = await send(baseUrl, 'POST', '/login', { body: { user, password: `${user}-demo-password` } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status}`);
  return { 'x-session': String(answer.json.session) };
}

/** A service account with its first key, created through the admin API. */
export interface CreatedAccount {
  readonly id: string;
  readonly keyId: string;
  readonly token: string;
}

/** Creates an account in `workspace` through the admin API and returns its id and first key. */
export async function createAccount(
  baseUrl: string,
  session: Record<string, string>,
  input: Record<string, unknown>,
  workspace = 'w_sales',
): Promise<CreatedAccount> {
  const answer = await send(baseUrl, 'POST', `/workspaces/${workspace}/service-accounts`, {
    headers: session,
    body: { firstKey: { name: 'first' }, ...input },
  });
  if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${answer.text}`);
  const { account, key } = answer.json as {
    account: { id: string };
    key: { key: { id: string }; token: string };
  };
  return { id: account.id, keyId: key.key.id, token: key.token };
}

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
