import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatToken } from '../../src/keys/index.js';
import { withTypo } from '../support/typo.js';
import {
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

const REALM = 'acme-data-platform';
const DATASET = '/workspaces/w_sales/datasets/d_orders';

let servers: ExampleServers;
let session: Record<string, string>;
let full: CreatedAccount;
let scoped: CreatedAccount;
let viewer: CreatedAccount;

beforeAll(async () => {
  servers = await startExampleServers();
  const url = servers.url.express;
  session = await adminSession(url);
  full = await createAccount(url, session, { name: 'full', roles: ['analyst'] });
  scoped = await createAccount(url, session, {
    name: 'scoped',
    roles: ['analyst'],
    readOnly: true,
    datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
  });
  viewer = await createAccount(url, session, { name: 'viewer', roles: ['viewer'] });
});

afterAll(() => servers.close());

/** A well-formed token (right prefix, alphabet and checksum) that no key has. */
function unknownToken(keyId = 'Zz0Zz0Zz0Zz0Zz0Z'): string {
  return formatToken({ prefix: 'acme_live', keyId, secret: 'S'.repeat(43) });
}

describe.each(FRAMEWORKS)('the %s example', (framework) => {
  const url = () => servers.url[framework];

  it('answers 200 to allowed keys at tenant, workspace and dataset level', async () => {
    const t = bearer(full.token);
    expect((await send(url(), 'GET', '/tenants/t_acme/workspaces', { headers: t })).status).toBe(200);
    expect((await send(url(), 'GET', '/workspaces/w_sales', { headers: t })).status).toBe(200);
    const read = await send(url(), 'GET', DATASET, { headers: t });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ id: 'd_orders', workspaceId: 'w_sales' });
    const write = await send(url(), 'PUT', DATASET, {
      headers: t,
      body: { rows: [{ id: 'o_1', value: 5 }] },
    });
    expect(write.status).toBe(200);
    const ingest = await send(url(), 'POST', '/workspaces/w_sales/ingest', {
      headers: t,
      body: { records: [{ a: 1 }] },
    });
    expect(ingest.status).toBe(202);
  });

  it('accepts the key as x-api-key and as a Bearer token whatever the scheme case', async () => {
    for (const headers of [{ 'x-api-key': full.token }, { authorization: `bearer ${full.token}` }]) {
      expect((await send(url(), 'GET', DATASET, { headers })).status).toBe(200);
    }
    const both = { authorization: `Bearer ${full.token}`, 'x-api-key': full.token };
    expect((await send(url(), 'GET', DATASET, { headers: both })).status).toBe(200);
  });

  it('answers 403 with the reason code and the required permission for each policy denial', async () => {
    const cases = [
      ['GET', '/workspaces/w_sales', scoped, 'dataset_scoped_account', 'workspace:read'],
      ['GET', '/tenants/t_acme/workspaces', scoped, 'dataset_scoped_account', 'tenant.workspaces:list'],
      ['PUT', DATASET, scoped, 'read_only', 'datasets:write'],
      ['GET', '/workspaces/w_sales/datasets/d_customers', scoped, 'dataset_not_granted', 'datasets:read'],
      ['GET', '/workspaces/w_ops', full, 'outside_workspace_binding', 'workspace:read'],
      ['POST', '/workspaces/w_sales/ingest', viewer, 'not_granted', 'workspace:ingest'],
    ] as const;
    for (const [method, path, account, code, required] of cases) {
      const body = method === 'GET' ? undefined : { rows: [], records: [] };
      const answer = await send(url(), method, path, { headers: bearer(account.token), body });
      expect([path, answer.status, answer.json.code, answer.json.required]).toEqual([
        path,
        403,
        code,
        required,
      ]);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toBe(
        `Bearer realm="${REALM}", error="insufficient_scope", scope="${required}"`,
      );
      expect(answer.text).not.toContain(account.token);
    }
  });

  it('answers 404 for another tenant and for unknown objects alike, and 401 there to an invalid key', async () => {
    const t = bearer(full.token);
    const other = await send(url(), 'GET', '/workspaces/w_research', { headers: t });
    const otherTenant = await send(url(), 'GET', '/tenants/t_globex/workspaces', { headers: t });
    const unknown = await send(url(), 'GET', '/workspaces/w_nope', { headers: t });
    const unknownDataset = await send(url(), 'GET', '/workspaces/w_sales/datasets/d_nope', { headers: t });
    for (const answer of [other, otherTenant, unknown, unknownDataset]) {
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual(other.json);
      expect(answer.headers.get('www-authenticate')).toBeNull();
    }
    const probe = await send(url(), 'GET', '/workspaces/w_nope', { headers: bearer(unknownToken()) });
    expect(probe.status).toBe(401);
  });

  it('answers one identical 401 with a Bearer challenge for missing, unknown, wrong, revoked, expired and disabled keys', async () => {
    const url0 = url();
    const revoked = await createAccount(url0, session, { name: `revoked-${framework}`, roles: ['viewer'] });
    await send(url0, 'POST', `${API}/keys/${revoked.keyId}/revoke`, { headers: session });
    const disabled = await createAccount(url0, session, { name: `disabled-${framework}`, roles: ['viewer'] });
    await send(url0, 'POST', `${API}/service-accounts/${disabled.id}/disable`, { headers: session });
    const deleted = await createAccount(url0, session, { name: `deleted-${framework}`, roles: ['viewer'] });
    await send(url0, 'DELETE', `${API}/service-accounts/${deleted.id}`, { headers: session });
    const expiring = await createAccount(url0, session, {
      name: `expiring-${framework}`,
      roles: ['viewer'],
      firstKey: { name: 'short', expiresInSeconds: 60 },
    });
    expect((await send(url0, 'GET', DATASET, { headers: bearer(expiring.token) })).status).toBe(200);
    servers.clock.now += 120_000;

    const cases: [string, Record<string, string>][] = [
      ['missing', {}],
      ['not a keyward token', bearer('definitely-not-a-key')],
      ['a token with a bad checksum', bearer(withTypo(full.token))],
      ['an unknown key id', bearer(unknownToken())],
      ['a wrong secret', bearer(unknownToken(full.keyId))],
      ['a revoked key', bearer(revoked.token)],
      ['an expired key', bearer(expiring.token)],
      ['a disabled account', bearer(disabled.token)],
      ['a deleted account', { 'x-api-key': deleted.token }],
    ];
    const bodies = new Set<string>();
    for (const [name, headers] of cases) {
      const answer = await send(url0, 'GET', DATASET, { headers });
      expect([name, answer.status]).toEqual([name, 401]);
      const challenge =
        name === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`;
      expect(answer.headers.get('www-authenticate')).toBe(challenge);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      for (const value of Object.values(headers))
        expect(answer.text).not.toContain(value.replace(/^Bearer /, ''));
      bodies.add(answer.text);
    }
    expect(bodies.size).toBe(1);
    expect(JSON.parse([...bodies][0] as string)).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it.each([
    [
      'two different keys',
      () => ({ authorization: `Bearer ${full.token}`, 'x-api-key': viewer.token }),
      'multiple_credentials',
    ],
    [
      'Bearer with two tokens',
      () => ({ authorization: `Bearer ${full.token} ${viewer.token}` }),
      'malformed_authorization',
    ],
    ['Bearer without a token', () => ({ authorization: 'Bearer' }), 'malformed_authorization'],
    [
      'an oversized Authorization header',
      () => bearer(`${full.token}${'a'.repeat(4000)}`),
      'header_too_large',
    ],
    ['an oversized x-api-key header', () => ({ 'x-api-key': 'k'.repeat(4000) }), 'header_too_large'],
  ])('answers 400 invalid_request to %s', async (_name, headers, code) => {
    const answer = await send(url(), 'GET', DATASET, { headers: headers() });
    expect([answer.status, answer.json.code]).toEqual([400, code]);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", error="invalid_request"/);
    expect(answer.text).not.toContain(full.token);
  });

  it('answers 400 to repeated credential header lines, even carrying the same valid key', async () => {
    const cases: Record<string, string[]>[] = [
      { authorization: [`Bearer ${full.token}`, `Bearer ${full.token}`] },
      { authorization: [`Bearer ${full.token}`, `Bearer ${viewer.token}`] },
      { 'x-api-key': [full.token, viewer.token] },
    ];
    for (const headers of cases) {
      const answer = await sendRaw(url(), DATASET, headers);
      expect([answer.status, JSON.parse(answer.text).code]).toEqual([400, 'duplicate_header']);
      expect(answer.text).not.toContain(full.token);
    }
  });

  it('answers 400 to a key in the query string, even beside a valid header', async () => {
    for (const query of [`access_token=${full.token}`, `api_key=${full.token}`, `q=${full.token}`]) {
      const answer = await send(url(), 'GET', `${DATASET}?${query}`, { headers: bearer(full.token) });
      expect([answer.status, answer.json.code]).toEqual([400, 'credential_in_query']);
      expect(answer.text).not.toContain(full.token);
    }
  });

  it('refuses a request before reading its body: an oversized body without a key gets 401, not 413', async () => {
    const rawBody = JSON.stringify({ rows: [{ blob: 'x'.repeat(300_000) }] });
    const headers = { 'content-type': 'application/json' };
    const answer = await send(url(), 'PUT', DATASET, { headers, rawBody });
    expect([answer.status, answer.json.code]).toEqual([401, 'unauthenticated']);
  });
});
