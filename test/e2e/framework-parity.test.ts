/**
 * The Express, Fastify and Hono examples must give every answer keyward produces with the same
 * status, headers and body bytes: the guard's refusals on the data routes (400, 401, 403, 404,
 * problem bodies with `WWW-Authenticate`) and every answer of the management API.
 *
 * Only keyward's answers are compared. The data routes' 200 bodies, the body parser errors of
 * each framework and the `/login` route are the host's own code, written once per framework in
 * each example: they differ on purpose (a host is free to shape them) and prove nothing about
 * keyward. The requests are reads and refusals: none changes what a later one answers, so the
 * three answers to each can be compared byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  API,
  adminSession,
  bearer,
  type CreatedAccount,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  send,
  sendRaw,
  startExampleServers,
} from './example-servers.js';

const DATASET = '/workspaces/w_sales/datasets/d_orders';
const ACCOUNTS = `${API}/service-accounts`;

let servers: ExampleServers;
let alice: Record<string, string>;
let gina: Record<string, string>;
/** An analyst account with both of its keys issued: a further key is refused. */
let full: CreatedAccount;
/** A viewer account limited to `d_orders`. */
let scoped: CreatedAccount;

beforeAll(async () => {
  servers = await startExampleServers();
  const url = servers.url.express;
  alice = await adminSession(url);
  full = await createAccount(url, alice, { name: 'parity-full', roles: ['analyst'] });
  await send(url, 'POST', `${ACCOUNTS}/${full.id}/keys`, { headers: alice, body: { name: 'second' } });
  scoped = await createAccount(url, alice, {
    name: 'parity-scoped',
    roles: ['viewer'],
    datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
  });
  // Sessions are shared by the three apps (one DemoSessions): the same header works on each.
  gina = await adminSession(url, 'gina');
});

afterAll(() => servers.close());

interface Probe {
  readonly name: string;
  /** The status all three must answer. */
  readonly expect: number;
  readonly method: string;
  /** `:full` and `:scoped` stand for the ids of those accounts. */
  readonly path: string;
  readonly headers?: () => Record<string, string>;
  readonly body?: unknown;
  readonly rawBody?: string;
}

const session = () => alice;
const fullKey = () => bearer(full.token);
const scopedKey = () => bearer(scoped.token);

/** Refusals of the API key guard on the five data routes. */
const GUARD_PROBES: Probe[] = [
  { name: 'no key', expect: 401, method: 'GET', path: DATASET },
  { name: 'garbage key', expect: 401, method: 'GET', path: DATASET, headers: () => bearer('garbage') },
  {
    name: 'no key on a write with a body that is not JSON',
    expect: 401,
    method: 'POST',
    path: '/workspaces/w_sales/ingest',
    headers: () => ({ 'content-type': 'application/json' }),
    rawBody: '{"records": [',
  },
  {
    name: 'two different keys',
    expect: 400,
    method: 'GET',
    path: DATASET,
    headers: () => ({ ...fullKey(), 'x-api-key': scoped.token }),
  },
  {
    name: 'key in the query',
    expect: 400,
    method: 'GET',
    path: `${DATASET}?access_token=abc`,
    headers: fullKey,
  },
  { name: 'Bearer without a token', expect: 400, method: 'GET', path: DATASET, headers: () => bearer('') },
  {
    name: 'oversized header',
    expect: 400,
    method: 'GET',
    path: DATASET,
    headers: () => bearer('a'.repeat(3000)),
  },
  {
    name: 'dataset-scoped key on a workspace route',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_sales',
    headers: scopedKey,
  },
  {
    name: 'dataset-scoped key on the tenant route',
    expect: 403,
    method: 'GET',
    path: '/tenants/t_acme/workspaces',
    headers: scopedKey,
  },
  {
    name: 'dataset not granted',
    expect: 403,
    method: 'GET',
    path: '/workspaces/w_sales/datasets/d_leads',
    headers: scopedKey,
  },
  {
    name: 'write by a viewer',
    expect: 403,
    method: 'PUT',
    path: DATASET,
    headers: scopedKey,
    body: { rows: [] },
  },
  {
    name: 'other workspace of the tenant',
    expect: 403,
    method: 'POST',
    path: '/workspaces/w_ops/ingest',
    headers: fullKey,
    body: { records: [] },
  },
  { name: 'other tenant', expect: 404, method: 'GET', path: '/workspaces/w_research', headers: fullKey },
  {
    name: 'other tenant’s list',
    expect: 404,
    method: 'GET',
    path: '/tenants/t_globex/workspaces',
    headers: fullKey,
  },
  { name: 'unknown workspace', expect: 404, method: 'GET', path: '/workspaces/w_none', headers: fullKey },
  {
    name: 'dataset of another workspace',
    expect: 404,
    method: 'GET',
    path: '/workspaces/w_sales/datasets/d_metrics',
    headers: fullKey,
  },
];

/** Answers of the management API that no earlier write of this file changes. */
const MANAGEMENT_PROBES: Probe[] = [
  { name: 'list', expect: 200, method: 'GET', path: `${ACCOUNTS}?workspaceId=w_sales`, headers: session },
  {
    name: 'one account, with its ETag',
    expect: 200,
    method: 'GET',
    path: `${ACCOUNTS}/:full`,
    headers: session,
  },
  { name: 'catalog', expect: 200, method: 'GET', path: `${API}/catalog`, headers: session },
  {
    name: 'sample code',
    expect: 200,
    method: 'GET',
    path: `${ACCOUNTS}/:scoped/sample-code?language=python&path=/datasets/d_orders`,
    headers: session,
  },
  { name: 'OpenAPI document', expect: 200, method: 'GET', path: `${API}/openapi.json` },
  { name: 'no session', expect: 401, method: 'GET', path: ACCOUNTS },
  {
    name: 'forged session',
    expect: 401,
    method: 'GET',
    path: ACCOUNTS,
    headers: () => ({ 'x-session': 'nope' }),
  },
  { name: 'garbage key', expect: 401, method: 'GET', path: ACCOUNTS, headers: () => bearer('garbage') },
  {
    name: 'unknown id',
    expect: 404,
    method: 'GET',
    path: `${ACCOUNTS}/sa_0000000000000000`,
    headers: session,
  },
  {
    name: 'another tenant’s account',
    expect: 404,
    method: 'GET',
    path: `${ACCOUNTS}/:full`,
    headers: () => gina,
  },
  { name: 'unknown path', expect: 404, method: 'GET', path: `${API}/nowhere`, headers: session },
  { name: 'wrong method', expect: 405, method: 'DELETE', path: ACCOUNTS, headers: session },
  {
    name: 'not JSON',
    expect: 415,
    method: 'POST',
    path: ACCOUNTS,
    headers: () => ({ ...alice, 'content-type': 'text/plain' }),
    rawBody: 'name=x',
  },
  {
    name: 'malformed JSON',
    expect: 400,
    method: 'POST',
    path: ACCOUNTS,
    headers: () => ({ ...alice, 'content-type': 'application/json' }),
    rawBody: '{"name": ',
  },
  {
    name: 'invalid input',
    expect: 400,
    method: 'POST',
    path: ACCOUNTS,
    headers: session,
    body: { workspaceId: 'w_sales', name: '', roles: ['nope role'], surprise: true },
  },
  {
    name: 'owner role',
    expect: 422,
    method: 'POST',
    path: ACCOUNTS,
    headers: session,
    body: { workspaceId: 'w_sales', name: 'boss', roles: ['owner'] },
  },
  {
    name: 'stale If-Match',
    expect: 412,
    method: 'PATCH',
    path: `${ACCOUNTS}/:full`,
    headers: () => ({ ...alice, 'if-match': '"999"' }),
    body: { name: 'renamed' },
  },
  {
    name: 'key limit',
    expect: 409,
    method: 'POST',
    path: `${ACCOUNTS}/:full/keys`,
    headers: session,
    body: { name: 'third' },
  },
  {
    name: 'a key without management rights',
    expect: 403,
    method: 'POST',
    path: ACCOUNTS,
    headers: fullKey,
    body: { workspaceId: 'w_sales', name: 'nope', roles: ['viewer'] },
  },
  { name: 'a dataset-scoped key', expect: 403, method: 'GET', path: `${API}/audit`, headers: scopedKey },
];

/** Headers keyward sets, which all three must send identically. */
const COMPARED_HEADERS = ['content-type', 'cache-control', 'www-authenticate', 'etag', 'location', 'allow'];

/** Status, keyward's headers and body bytes: what must not depend on the framework. */
function observable(answer: Answer): unknown[] {
  return [
    answer.status,
    ...COMPARED_HEADERS.map((name) => `${name}: ${answer.headers.get(name)}`),
    answer.text,
  ];
}

async function answersTo(probe: Probe): Promise<Answer[]> {
  const path = probe.path.replace(':full', full.id).replace(':scoped', scoped.id);
  const init = {
    headers: probe.headers?.() ?? {},
    ...(probe.body === undefined ? {} : { body: probe.body }),
    ...(probe.rawBody === undefined ? {} : { rawBody: probe.rawBody }),
  };
  const answers: Answer[] = [];
  for (const framework of FRAMEWORKS)
    answers.push(await send(servers.url[framework], probe.method, path, init));
  return answers;
}

describe('the Express, Fastify and Hono examples give keyward’s answers byte for byte', () => {
  it.each([...GUARD_PROBES, ...MANAGEMENT_PROBES].map((probe) => [probe.name, probe] as const))(
    '%s',
    async (_name, probe) => {
      const [express, fastify, hono] = (await answersTo(probe)) as [Answer, Answer, Answer];
      expect(express.status).toBe(probe.expect);
      expect(express.headers.get('content-type')).toMatch(/^application\/(problem\+)?json$/);
      expect({ fastify: observable(fastify) }).toEqual({ fastify: observable(express) });
      expect({ hono: observable(hono) }).toEqual({ hono: observable(express) });
    },
  );

  it.each([
    ['a data route', DATASET, 'GET'],
    ['the management API', ACCOUNTS, 'GET'],
  ])('repeated credential header lines on %s', async (_name, path, method) => {
    const headers = { 'x-api-key': [full.token, full.token] };
    const [express, fastify, hono] = await Promise.all(
      FRAMEWORKS.map((framework) => sendRaw(servers.url[framework], path, headers, method)),
    );
    expect([express?.status, JSON.parse(express?.text ?? '{}').code]).toEqual([400, 'duplicate_header']);
    expect([fastify?.status, fastify?.text]).toEqual([express?.status, express?.text]);
    expect([hono?.status, hono?.text]).toEqual([express?.status, express?.text]);
  });
});
