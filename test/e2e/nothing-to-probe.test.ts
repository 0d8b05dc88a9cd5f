import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatToken } from '../../src/keys/index.js';
import {
  type Answer,
  API,
  adminSession,
  bearer,
  type CreatedAccount,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  type Framework,
  send,
  startExampleServers,
} from './example-servers.js';

/** The dataset URLs a key holder could probe: (a) its own tenant's, (b) missing ones, (c) another tenant's. */
const DATASET_URLS = {
  own: '/workspaces/w_sales/datasets/d_orders',
  missingDataset: '/workspaces/w_sales/datasets/d_nope',
  missingWorkspace: '/workspaces/w_nope/datasets/d_nope',
  otherTenant: '/workspaces/w_research/datasets/d_trials',
} as const;

/** Workspace-level and management URLs of the same three kinds. */
const OTHER_URLS = [
  ['GET', '/workspaces/w_sales'],
  ['GET', '/workspaces/w_nope'],
  ['GET', '/workspaces/w_research'],
  ['GET', '/tenants/t_acme/workspaces'],
  ['GET', '/tenants/t_nope/workspaces'],
  ['GET', '/tenants/t_globex/workspaces'],
  ['GET', `${API}/service-accounts`],
  ['GET', `${API}/service-accounts/sa_nope`],
  ['POST', `${API}/keys/k_nope/revoke`],
] as const;

let servers: ExampleServers;
/** The credentials under test, by name: each fails, and must fail the same way everywhere. */
const bad = new Map<string, Record<string, string>>();
let valid: CreatedAccount;

/** A well-formed token (right prefix, alphabet and checksum) that no key has. */
function unknownToken(keyId = 'Zz0Zz0Zz0Zz0Zz0Z'): string {
  return formatToken({ prefix: 'acme_live', keyId, secret: 'S'.repeat(43) });
}

beforeAll(async () => {
  servers = await startExampleServers();
  const url = servers.url.express;
  const session = await adminSession(url);
  const create = (name: string, extra: Record<string, unknown> = {}) =>
    createAccount(url, session, { name, roles: ['viewer'], ...extra });
  valid = await create('valid');
  const revoked = await create('revoked');
  await send(url, 'POST', `${API}/keys/${revoked.keyId}/revoke`, { headers: session });
  const disabled = await create('disabled');
  await send(url, 'POST', `${API}/service-accounts/${disabled.id}/disable`, { headers: session });
  const expiring = await create('expiring', { firstKey: { name: 'short', expiresInSeconds: 60 } });
  expect((await send(url, 'GET', DATASET_URLS.own, { headers: bearer(expiring.token) })).status).toBe(200);
  servers.clock.now += 120_000;

  bad.set('no key', {});
  bad.set('garbage', bearer('garbage'));
  bad.set('an unknown key id', bearer(unknownToken()));
  bad.set('a wrong secret', bearer(unknownToken(valid.keyId)));
  bad.set('a revoked key', bearer(revoked.token));
  bad.set('an expired key', bearer(expiring.token));
  bad.set('a disabled account’s key', { 'x-api-key': disabled.token });
});

afterAll(() => servers.close());

/** Status, headers (but `date`) and body bytes of an answer: everything a prober can compare. */
function observable(answer: Answer): string {
  const headers: string[] = [];
  answer.headers.forEach((value, name) => {
    if (name !== 'date') headers.push(`${name}: ${value}`);
  });
  headers.sort();
  return JSON.stringify([answer.status, headers, answer.text]);
}

describe.each(FRAMEWORKS)(
  'the %s example gives a bad credential nothing to probe',
  (framework: Framework) => {
    const url = () => servers.url[framework];

    it.each([
      'no key',
      'garbage',
      'an unknown key id',
      'a wrong secret',
      'a revoked key',
      'an expired key',
      'a disabled account’s key',
    ])(
      '%s gets one identical 401 on its own, a missing and another tenant’s dataset, and the management API',
      async (name) => {
        const headers = bad.get(name) as Record<string, string>;
        const answers = new Map<string, string>();
        for (const [kind, path] of Object.entries(DATASET_URLS)) {
          const answer = await send(url(), 'GET', path, { headers });
          expect([kind, answer.status]).toEqual([kind, 401]);
          answers.set(kind, observable(answer));
        }
        for (const [method, path] of OTHER_URLS) {
          answers.set(path, observable(await send(url(), method, path, { headers })));
        }
        expect(new Set(answers.values()).size).toBe(1);
      },
    );

    it('every bad credential gets the same 401 body bytes (only the challenge tells "no key" apart)', async () => {
      const bodies = new Set<string>();
      const challenges = new Set<string | null>();
      for (const headers of bad.values()) {
        const answer = await send(url(), 'GET', DATASET_URLS.otherTenant, { headers });
        bodies.add(answer.text);
        challenges.add(answer.headers.get('www-authenticate'));
      }
      expect(bodies.size).toBe(1);
      expect(JSON.parse([...bodies][0] as string)).toMatchObject({ status: 401, code: 'unauthenticated' });
      expect([...challenges].sort()).toEqual([
        'Bearer realm="acme-data-platform"',
        'Bearer realm="acme-data-platform", error="invalid_token"',
      ]);
    });

    it('a valid key gets 200 on its dataset and one identical 404 for missing and foreign ones', async () => {
      const t = bearer(valid.token);
      const own = await send(url(), 'GET', DATASET_URLS.own, { headers: t });
      const missing = await send(url(), 'GET', DATASET_URLS.missingDataset, { headers: t });
      const noWorkspace = await send(url(), 'GET', DATASET_URLS.missingWorkspace, { headers: t });
      const foreign = await send(url(), 'GET', DATASET_URLS.otherTenant, { headers: t });
      expect(own.status).toBe(200);
      expect(missing.status).toBe(404);
      expect(observable(noWorkspace)).toBe(observable(missing));
      expect(observable(foreign)).toBe(observable(missing));
    });
  },
);

it('Express, Fastify and Hono answer every bad credential with the same bytes', async () => {
  for (const [name, headers] of bad) {
    for (const path of [...Object.values(DATASET_URLS), `${API}/service-accounts`]) {
      const [express, fastify, hono] = await Promise.all(
        FRAMEWORKS.map((framework) => send(servers.url[framework], 'GET', path, { headers })),
      );
      const pick = (answer: Answer | undefined) => [
        answer?.status,
        answer?.text,
        answer?.headers.get('content-type'),
        answer?.headers.get('cache-control'),
        answer?.headers.get('www-authenticate'),
      ];
      expect([name, path, ...pick(express)]).toEqual([name, path, ...pick(fastify)]);
      expect([name, path, ...pick(hono)]).toEqual([name, path, ...pick(fastify)]);
    }
  }
});
