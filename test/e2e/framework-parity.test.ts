import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  bearer,
  type CreatedAccount,
  createAccount,
  type ExampleServers,
  send,
  sendRaw,
  startExampleServers,
} from './example-servers.js';

let servers: ExampleServers;
let session: Record<string, string>;
let full: CreatedAccount;
let scoped: CreatedAccount;

beforeAll(async () => {
  servers = await startExampleServers();
  session = await adminSession(servers.url.express);
  full = await createAccount(servers.url.express, session, { name: 'parity-full', roles: ['analyst'] });
  scoped = await createAccount(servers.url.express, session, {
    name: 'parity-scoped',
    roles: ['viewer'],
    datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
  });
});

afterAll(() => servers.close());

interface Probe {
  name: string;
  /** The status both must answer. */
  expect: number;
  method: string;
  path: string;
  headers?: () => Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

const DATASET = '/workspaces/w_sales/datasets/d_orders';
const json = { 'content-type': 'application/json' };

/** Requests whose answers do not depend on earlier writes, so both apps must answer them byte for byte. */
const PROBES: Probe[] = [
  { name: 'dataset read', expect: 200, method: 'GET', path: DATASET, headers: () => bearer(full.token) },
  {
    name: 'workspace read',
    expect: 200,
    method: 'GET',
    path: '/workspaces/w_sales',
    headers: () => bearer(full.token),
  },
  {
    name: 'tenant list',
    expect: 200,
    method: 'GET',
    path: '/tenants/t_acme/workspaces',
    headers: () => bearer(full.token),
  },
  {
    name: 'tenant roles',
    expect: 200,
    method: 'GET',
    path: '/tenants/t_acme/users/roles',
    headers: () => bearer(full.token),
  },
  {
    name: 'workspace roles',
    expect: 200,
    method: 'GET',
    path: '/workspaces/w_sales/users/roles',
    headers: () => bearer(full.token),
  },
  {
    name: 'trailing slash',
    expect: 200,
    method: 'GET',
    path: `${DATASET}/`,
    headers: () => bearer(full.token),
  },
  {
    name: 'dataset write',
    expect: 200,
    method: 'PUT',
    path: DATASET,
    headers: () => bearer(full.token),
    body: { rows: [{ id: 'p_1', value: 1 }] },
  },
  { name: 'no key', expect: 401, method: 'GET', path: DATASET },
  { name: 'garbage key', expect: 401, method: 'GET', path: DATASET, headers: () => bearer('garbage') },
  {
    name: 'x-api-key',
    expect: 200,
    method: 'GET',
    path: DATASET,
    headers: () => ({ 'x-api-key': full.token }),
  },
  {
    name: 'two keys',
    expect: 400,
    method: 'GET',
    path: DATASET,
    headers: () => ({ authorization: `Bearer ${full.token}`, 'x-api-key': scoped.token }),
  },
  {
    name: 'key in query',
    expect: 400,
    method: 'GET',
    path: `${DATASET}?access_token=abc`,
    headers: () => bearer(full.token),
  },
  {
    name: 'oversized header',
    expect: 400,
    method: 'GET',
    path: DATASET,
    headers: () => bearer('a'.repeat(3000)),
  },
  {
    name: 'dataset-scoped',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_sales/schemas',
    headers: () => bearer(scoped.token),
  },
  {
    name: 'not granted dataset',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_sales/datasets/d_leads',
    headers: () => bearer(scoped.token),
  },
  {
    name: 'other workspace',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_ops/ledger',
    headers: () => bearer(full.token),
  },
  {
    name: 'other tenant',
    expect: 404,
    method: 'GET',
    path: '/workspaces/w_research',
    headers: () => bearer(full.token),
  },
  {
    name: 'unknown workspace',
    expect: 404,
    method: 'GET',
    path: '/workspaces/w_none',
    headers: () => bearer(full.token),
  },
  { name: 'unknown route', expect: 404, method: 'GET', path: '/nowhere', headers: () => bearer(full.token) },
  {
    name: 'invalid JSON',
    expect: 400,
    method: 'PUT',
    path: DATASET,
    headers: () => ({ ...bearer(full.token), ...json }),
    rawBody: '{"rows": [',
  },
  {
    name: 'not JSON',
    expect: 415,
    method: 'PUT',
    path: DATASET,
    headers: () => ({ ...bearer(full.token), 'content-type': 'text/plain' }),
    rawBody: 'rows',
  },
  {
    name: 'wrong body shape',
    expect: 400,
    method: 'POST',
    path: '/workspaces/w_sales/ingest',
    headers: () => bearer(full.token),
    body: { records: 'nope' },
  },
  {
    name: 'bad login',
    expect: 401,
    method: 'POST',
    path: '/login',
    body: { user: 'alice', password: 'wrong' },
  },
  {
    name: 'admin without credentials',
    expect: 401,
    method: 'GET',
    path: '/workspaces/w_sales/service-accounts',
  },
  {
    name: 'admin with a bad session',
    expect: 401,
    method: 'GET',
    path: '/workspaces/w_sales/service-accounts',
    headers: () => ({ 'x-session': 'nope' }),
  },
  {
    name: 'admin with session and key',
    expect: 400,
    method: 'GET',
    path: '/workspaces/w_sales/service-accounts',
    headers: () => ({ ...session, ...bearer(full.token) }),
  },
  {
    name: 'admin invalid input',
    expect: 400,
    method: 'POST',
    path: '/workspaces/w_sales/service-accounts',
    headers: () => session,
    body: { name: '', roles: ['nope role'], surprise: true },
  },
  {
    name: 'admin owner role',
    expect: 422,
    method: 'POST',
    path: '/workspaces/w_sales/service-accounts',
    headers: () => session,
    body: { name: 'x', roles: ['owner'] },
  },
  {
    name: 'admin unknown account',
    expect: 404,
    method: 'GET',
    path: '/workspaces/w_sales/service-accounts/sa_0000000000000000',
    headers: () => session,
  },
  {
    name: 'admin by a key without rights',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_sales/audit',
    headers: () => bearer(scoped.token),
  },
  {
    name: 'sample code',
    expect: 200,
    method: 'POST',
    path: '/workspaces/w_sales/service-accounts/:scoped/sample-code',
    headers: () => session,
    body: { language: 'curl' },
  },
];

/** Headers both apps must send identically. */
const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'retry-after', 'cache-control'];

describe('the Express and Fastify examples', () => {
  it.each(PROBES.map((probe) => [probe.name, probe] as const))(
    'give the same answer to: %s',
    async (_name, probe) => {
      const path = probe.path.replace(':scoped', scoped.id);
      const init = {
        headers: probe.headers?.() ?? {},
        ...(probe.body === undefined ? {} : { body: probe.body }),
        ...(probe.rawBody === undefined ? {} : { rawBody: probe.rawBody }),
      };
      const express = await send(servers.url.express, probe.method, path, init);
      const fastify = await send(servers.url.fastify, probe.method, path, init);
      // Sample code names the host the request went to: the only byte allowed to differ.
      const text = (answer: typeof express) => answer.text.replaceAll(/127\.0\.0\.1:\d+/g, 'HOST');
      expect({ status: fastify.status, text: text(fastify) }).toEqual({
        status: express.status,
        text: text(express),
      });
      for (const name of COMPARED_HEADERS)
        expect([name, fastify.headers.get(name)]).toEqual([name, express.headers.get(name)]);
      expect(express.headers.get('content-type')).toMatch(/^application\/(problem\+)?json$/);
    },
  );

  it('give the same answer to repeated credential header lines', async () => {
    const headers = { 'x-api-key': [full.token, full.token] };
    const express = await sendRaw(servers.url.express, DATASET, headers);
    const fastify = await sendRaw(servers.url.fastify, DATASET, headers);
    expect(fastify.status).toBe(400);
    expect([fastify.status, fastify.text]).toEqual([express.status, express.text]);
  });
});
