import { describe, expect, it } from 'vitest';
import { bodyOf, managementApiSetup } from '../../support/management-api-client.js';

const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

async function withAccount() {
  const world = managementApiSetup();
  const created = await world.call('POST', '/service-accounts', {
    json: { ...NEW_ACCOUNT, firstKey: { name: 'ci' } },
  });
  return { ...world, account: bodyOf(created).account, token: bodyOf(created).key.token as string };
}

describe('management API: tenants', () => {
  it('answers 404 for every account and key route of another tenant, never 403', async () => {
    const { call, account, kw } = await withAccount();
    const keyId = (
      await kw.keys.list(
        { type: 'user', id: 'u_admin', tenantId: 't_acme', permissions: ['*'] },
        { serviceAccountId: account.id },
      )
    ).items[0]?.id;
    expect(keyId).toMatch(/^[0-9A-Za-z]{16}$/);
    const probes: [string, string, unknown?][] = [
      ['GET', `/service-accounts/${account.id}`],
      ['PATCH', `/service-accounts/${account.id}`, { name: 'x' }],
      ['POST', `/service-accounts/${account.id}/disable`],
      ['DELETE', `/service-accounts/${account.id}`],
      ['POST', `/service-accounts/${account.id}/keys`, { name: 'k' }],
      ['GET', `/service-accounts/${account.id}/keys`],
      ['GET', `/keys/${keyId}`],
      ['POST', `/keys/${keyId}/revoke`],
    ];
    for (const [method, path, json] of probes) {
      const response = await call(method, path, { as: 'other', json });
      expect([method, path, response.status]).toEqual([method, path, 404]);
      expect(bodyOf(response).code).toBe('not_found');
    }
    expect(bodyOf(await call('GET', '/service-accounts', { as: 'other' })).items).toEqual([]);
  });
});

describe('management API: HTTP rules', () => {
  it('refuses a body without content-type application/json with 415', async () => {
    const { api } = managementApiSetup();
    const response = await api.handle({
      method: 'POST',
      path: '/service-accounts',
      headers: { 'x-test-user': 'admin', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(bodyOf(response).code).toBe('unsupported_media_type');
  });

  it('refuses a body over 64 KiB with 413, raw text and bytes alike', async () => {
    const { api } = managementApiSetup();
    const big = JSON.stringify({ name: 'x'.repeat(70_000) });
    for (const body of [big, new TextEncoder().encode(big)]) {
      const response = await api.handle({
        method: 'POST',
        path: '/service-accounts',
        headers: { 'x-test-user': 'admin', 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(413);
      expect(bodyOf(response).code).toBe('body_too_large');
    }
  });

  it('answers malformed JSON with 400 malformed_json, without echoing it', async () => {
    const { api } = managementApiSetup();
    const response = await api.handle({
      method: 'POST',
      path: '/service-accounts',
      headers: { 'x-test-user': 'admin', 'content-type': 'application/json; charset=utf-8' },
      body: '{"name": "secret-ish',
    });
    expect(response.status).toBe(400);
    expect(bodyOf(response).code).toBe('malformed_json');
    expect(JSON.stringify(response.body)).not.toContain('secret-ish');
  });

  it('answers 404 for unknown routes and paths outside the base path', async () => {
    const { call } = managementApiSetup();
    for (const path of ['/nope', '/service-accounts/x/y/z', '/', '/keys/x/y/z']) {
      const response = await call('GET', path);
      expect(response.status).toBe(404);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('answers 405 with Allow for a known path and a wrong method', async () => {
    const { call } = managementApiSetup();
    const response = await call('PUT', '/service-accounts/sa_0000000000000000');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, PATCH, DELETE');
    expect(bodyOf(response).code).toBe('method_not_allowed');
  });

  it('mounts under basePath', async () => {
    const { kw } = managementApiSetup();
    const { createManagementApi } = await import('../../../src/management-api/index.js');
    const api = createManagementApi(kw, { authenticate: () => null, basePath: '/admin/' });
    expect((await api.handle({ method: 'GET', path: '/service-accounts', headers: {} })).status).toBe(404);
    expect((await api.handle({ method: 'GET', path: '/admin/service-accounts', headers: {} })).status).toBe(
      401,
    );
  });

  it('refuses bad options at startup with TypeError', async () => {
    const { kw } = managementApiSetup();
    const { createManagementApi } = await import('../../../src/management-api/index.js');
    expect(() => createManagementApi(kw, {} as never)).toThrow(TypeError);
    expect(() => createManagementApi(kw, { authenticate: () => null, basePath: 'no-slash' })).toThrow(
      TypeError,
    );
    expect(() => createManagementApi(kw, { authenticate: () => null, maxBodyBytes: 10 })).toThrow(TypeError);
  });

  it('answers validation errors as 400 problems with JSON pointers into the body', async () => {
    const { call, account } = await withAccount();
    const created = await call('POST', '/service-accounts', {
      json: { workspaceId: 'bad workspace!', name: 'x', roles: [], tenantId: 't_other' },
    });
    expect(created.status).toBe(400);
    expect(bodyOf(created).code).toBe('invalid_input');
    const pointers = bodyOf(created).errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/workspaceId', '#/roles']));
    const issued = await call('POST', `/service-accounts/${account.id}/keys`, {
      json: { name: '', expiresInSeconds: -1 },
    });
    expect(issued.status).toBe(400);
    expect(bodyOf(issued).errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['#/name', '#/expiresInSeconds']),
    );
    const list = await call('GET', '/service-accounts?limit=abc');
    expect(list.status).toBe(400);
    expect(bodyOf(list).errors[0].pointer).toBe('#/limit');
  });

  it('refuses a body member repeating a path parameter and a body on GET', async () => {
    const { call, account } = await withAccount();
    const repeated = await call('PATCH', `/service-accounts/${account.id}`, {
      json: { id: 'sa_x', name: 'n' },
    });
    expect(repeated.status).toBe(400);
    expect(bodyOf(repeated).errors[0].pointer).toBe('#/id');
    const getWithBody = await call('GET', `/service-accounts/${account.id}`, { json: {} });
    expect(getWithBody.status).toBe(400);
  });
});

describe('management API: ETag and If-Match', () => {
  it('applies a write whose If-Match names the current version, and answers the new ETag', async () => {
    const { call, account } = await withAccount();
    const patched = await call('PATCH', `/service-accounts/${account.id}`, {
      json: { name: 'Renamed' },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
  });

  it('answers 412 and changes nothing when If-Match names a stale version, on every account write', async () => {
    const { call, account } = await withAccount();
    await call('PATCH', `/service-accounts/${account.id}`, { json: { name: 'Renamed' } });
    const path = `/service-accounts/${account.id}`;
    const writes: [string, string, unknown?][] = [
      ['PATCH', path, { name: 'Lost update' }],
      ['PUT', `${path}/datasets`, { datasetAccess: { mode: 'all' } }],
      ['POST', `${path}/disable`],
      ['DELETE', path],
    ];
    for (const [method, target, json] of writes) {
      const response = await call(method, target, { json, headers: { 'if-match': '"1"' } });
      expect([method, response.status, bodyOf(response).code]).toEqual([method, 412, 'precondition_failed']);
    }
    const current = await call('GET', path);
    expect(bodyOf(current)).toMatchObject({ name: 'Renamed', status: 'active', version: 2 });
  });

  it('answers 412 for an If-Match no version can match, and accepts *', async () => {
    const { call, account } = await withAccount();
    const weak = await call('POST', `/service-accounts/${account.id}/disable`, {
      headers: { 'if-match': 'W/"1"' },
    });
    expect(weak.status).toBe(412);
    const any = await call('POST', `/service-accounts/${account.id}/disable`, {
      headers: { 'if-match': '*' },
    });
    expect(any.status).toBe(200);
  });

  it('keeps 409 for a stale expectedVersion sent in the body', async () => {
    const { call, account } = await withAccount();
    const response = await call('PATCH', `/service-accounts/${account.id}`, {
      json: { name: 'n', expectedVersion: 5 },
    });
    expect(response.status).toBe(409);
  });
});

describe('management API: secrets and credentials', () => {
  it('shows a token only in create, issue and regenerate answers, never in list, get or audit', async () => {
    const { call, account, token } = await withAccount();
    const issued = await call('POST', `/service-accounts/${account.id}/keys`, { json: { name: 'second' } });
    const keyId = bodyOf(issued).key.id as string;
    const regenerated = await call('POST', `/keys/${keyId}/regenerate`);
    const secrets = [token, bodyOf(issued).token as string, bodyOf(regenerated).token as string];
    const reads = [
      await call('GET', '/service-accounts'),
      await call('GET', `/service-accounts/${account.id}`),
      await call('GET', `/service-accounts/${account.id}/keys`),
      await call('GET', `/keys/${keyId}`),
      await call('GET', '/audit'),
      await call('GET', '/audit/follow'),
    ];
    for (const read of reads) {
      expect(read.status).toBe(200);
      const text = JSON.stringify(read);
      for (const secret of secrets) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(secret.slice(-20));
      }
    }
  });

  it('answers 401 with the request guard body when there is neither a session nor a key', async () => {
    const { call } = managementApiSetup();
    const response = await call('GET', '/service-accounts', { as: null });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(bodyOf(response).code).toBe('unauthenticated');
    const wrongKey = await call('GET', '/service-accounts', {
      as: null,
      headers: {
        authorization: 'Bearer acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC',
      },
    });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toEqual(response.body);
    expect(JSON.stringify(wrongKey)).not.toContain('zdrX53');
  });

  it('lets a verified key act within its own rights, and refuses it beyond them', async () => {
    const { call, kw } = managementApiSetup();
    const created = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, roles: ['admin'], firstKey: { name: 'ops' } },
    });
    expect(created.status).toBe(201);
    const token = bodyOf(created).key.token as string;
    const asKey = await call('GET', '/service-accounts', { as: null, headers: { 'x-api-key': token } });
    expect(asKey.status).toBe(200);
    expect(bodyOf(asKey).items).toHaveLength(1);
    const readOnly = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, readOnly: true, firstKey: { name: 'ro' } },
    });
    const roToken = bodyOf(readOnly).key.token as string;
    const refused = await call('POST', '/service-accounts', {
      as: null,
      headers: { authorization: `Bearer ${roToken}` },
      json: NEW_ACCOUNT,
    });
    expect(refused.status).toBe(403);
    expect(bodyOf(refused).code).toBe('read_only');
    expect(
      (await kw.serviceAccounts.list({ type: 'user', id: 'u_admin', tenantId: 't_acme', permissions: ['*'] }))
        .items,
    ).toHaveLength(2);
  });

  it('refuses a session together with an API key (either header) with 400 multiple_credentials, changing nothing', async () => {
    const { call, kw } = managementApiSetup();
    const created = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, roles: ['admin'], firstKey: { name: 'ops' } },
    });
    const token = bodyOf(created).key.token as string;
    for (const headers of [{ 'x-api-key': token }, { authorization: `Bearer ${token}` }]) {
      const both = await call('POST', '/service-accounts', {
        headers,
        json: { ...NEW_ACCOUNT, name: 'twice' },
      });
      expect([both.status, bodyOf(both).code]).toEqual([400, 'multiple_credentials']);
      expect(JSON.stringify(both)).not.toContain(token);
    }
    // Shaped like a key of this instance but no key: still a second credential.
    const keyShaped = await call('GET', '/service-accounts', {
      headers: { authorization: 'Bearer acme_nonsense' },
    });
    expect(keyShaped.status).toBe(400);
    const garbage = await call('GET', '/service-accounts', { headers: { 'x-api-key': 'nonsense' } });
    expect(garbage.status).toBe(400);
    const admin = { type: 'user', id: 'u_admin', tenantId: 't_acme', permissions: ['*'] } as const;
    expect((await kw.serviceAccounts.list(admin)).items).toHaveLength(1);
  });
});
