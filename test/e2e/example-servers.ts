import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createExpressApp } from '../../examples/express/app.js';
import { createFastifyApp } from '../../examples/fastify/app.js';
import { createHonoApp } from '../../examples/hono/app.js';
import { DemoSessions } from '../../examples/shared/demo-platform.js';
import { openKeyward } from '../../examples/shared/open-keyward.js';
import type { Keyward, KeywardConfig } from '../../src/index.js';

/** The example apps. */
export const FRAMEWORKS = ['express', 'fastify', 'hono'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** Where the examples mount keyward's management API. */
export const API = '/api/keyward';

/** A controllable clock (epoch ms) shared by keyward and the test. */
export interface TestClock {
  now: number;
}

/** The three example apps listening on loopback ports over one keyward instance and one storage. */
export interface ExampleServers {
  readonly kw: Keyward;
  readonly clock: TestClock;
  readonly url: Record<Framework, string>;
  close(): Promise<void>;
}

/** Resolves once `server` listens; its loopback URL. */
async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Starts the Express, Fastify and Hono examples on port 0 of 127.0.0.1 over one keyward (a fresh
 * SQLite file, or PostgreSQL when `databaseUrl` is given) and one set of demo sessions, so the
 * same request can be sent to each and their answers compared.
 */
export async function startExampleServers(
  options: { databaseUrl?: string | undefined; keyward?: Partial<Omit<KeywardConfig, 'storage'>> } = {},
): Promise<ExampleServers> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-e2e-'));
  const clock: TestClock = { now: Date.now() };
  const opened = await openKeyward({
    sqlitePath: join(dir, 'keyward.sqlite'),
    databaseUrl: options.databaseUrl,
    keyward: { clock: () => clock.now, ...options.keyward },
  });
  const sessions = new DemoSessions();
  const publicUrl = 'https://api.acme.test';
  const express = createExpressApp(opened.kw, sessions, publicUrl).listen(0, '127.0.0.1');
  const fastify = await createFastifyApp(opened.kw, sessions, publicUrl);
  const fastifyUrl = await fastify.listen({ port: 0, host: '127.0.0.1' });
  const hono = serve({
    fetch: createHonoApp(opened.kw, sessions, publicUrl).fetch,
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  return {
    kw: opened.kw,
    clock,
    url: { express: await listening(express), fastify: fastifyUrl, hono: await listening(hono) },
    async close() {
      await new Promise<void>((resolve) => express.close(() => resolve()));
      await new Promise<void>((resolve) => hono.close(() => resolve()));
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
  let json: Record<string, unknown> = {};
  try {
    json = text === '' ? {} : JSON.parse(text);
  } catch {
    // A non-JSON answer (a framework's own error page): compared as text.
  }
  return { status: response.status, headers: response.headers, text, json };
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

/** Logs a demo person in (alice, Acme's admin, by default) and returns the session header. */
export async function adminSession(baseUrl: string, user = 'alice'): Promise<Record<string, string>> {
  const answer = await send(baseUrl, 'POST', '/login', { body: { user, password: `${user}-demo-password` } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status}`);
  return { 'x-session': String(answer.json.session) };
}

/** A service account with its first key, created through the management API. */
export interface CreatedAccount {
  readonly id: string;
  readonly keyId: string;
  readonly token: string;
}

/** Creates an account in `workspace` through the management API; its id and first key. */
export async function createAccount(
  baseUrl: string,
  session: Record<string, string>,
  input: Record<string, unknown>,
  workspace = 'w_sales',
): Promise<CreatedAccount> {
  const answer = await send(baseUrl, 'POST', `${API}/service-accounts`, {
    headers: session,
    body: { workspaceId: workspace, firstKey: { name: 'first' }, ...input },
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
