import { describe, expect, it } from 'vitest';
import type { ManagementRequest, ManagementResponse } from '../../../src/management-api/index.js';
import type { ManagementApiOptions } from '../../../src/management-api/management-request.js';
import { bodyOf, managementApiSetup, type TestCall } from '../../support/management-api-client.js';
import { createConformanceChecker, type Exchange } from '../../support/openapi-conformance.js';

const BASE = '/api/keyward';
const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };
const endpointsBaseUrl = (workspaceId: string) => `https://api.acme.test/workspaces/${workspaceId}`;

/** A management API under BASE whose every answer is recorded as a client sees it. */
function recordedWorld(options: Omit<ManagementApiOptions, 'authenticate'> = {}) {
  const world = managementApiSetup({ basePath: BASE, endpointsBaseUrl, ...options });
  const exchanges: Exchange[] = [];
  const record = (method: string, path: string, response: ManagementResponse) => {
    const text = response.body === null ? '' : JSON.stringify(response.body);
    exchanges.push({
      method,
      path,
      status: response.status,
      contentType: response.headers['content-type'] ?? null,
      body: text === '' ? null : JSON.parse(text),
      headers: response.headers,
    });
    return response;
  };
  const call = async (method: string, path: string, options: TestCall = {}) =>
    record(method, `${BASE}${path}`, await world.call(method, `${BASE}${path}`, options));
  const send = async (request: Omit<ManagementRequest, 'path'> & { path: string }) =>
    record(
      request.method,
      `${BASE}${request.path}`,
      await world.api.handle({ ...request, path: `${BASE}${request.path}` }),
    );
  return { ...world, call, send, exchanges };
}

/** Every recorded answer's conformance errors (headers included). */
function problemsOf(world: ReturnType<typeof recordedWorld>): string[] {
  const check = createConformanceChecker(world.api.openapi);
  return world.exchanges.flatMap(check);
}

/** The lifecycle of an account and its keys, with the audit trail, catalog and sample code. */
async function lifecycle(world: ReturnType<typeof recordedWorld>) {
  const { call, clock } = world;
  const created = await call('POST', '/service-accounts', {
    json: {
      ...NEW_ACCOUNT,
      contactEmail: 'etl@acme.test',
      metadata: { team: 'data' },
      firstKey: { name: 'ci' },
    },
  });
  const id = bodyOf(created).account.id as string;
  const admin = await call('POST', '/service-accounts', {
    json: { ...NEW_ACCOUNT, name: 'Ops', roles: ['admin'], firstKey: { name: 'ops', environment: 'test' } },
  });
  const adminToken = bodyOf(admin).key.token as string;
  await call('POST', '/service-accounts', {
    as: null,
    headers: { 'x-api-key': adminToken },
    json: { ...NEW_ACCOUNT, name: 'Made by a key', datasetAccess: { mode: 'selected', datasetIds: ['d_9'] } },
  });
  const first = await call('GET', '/service-accounts?limit=1');
  await call('GET', `/service-accounts?limit=1&cursor=${bodyOf(first).nextCursor}`);
  await call('GET', `/service-accounts/${id}`);
  await call('PATCH', `/service-accounts/${id}`, {
    json: { name: 'Renamed', description: 'nightly', readOnly: false },
    headers: { 'if-match': '"1"' },
  });
  await call('PATCH', `/service-accounts/${id}`, {
    json: { contactEmail: null },
    headers: { 'if-match': '"1"' },
  });
  await call('PATCH', `/service-accounts/${id}`, { json: { name: 'x', expectedVersion: 1 } });
  await call('POST', `/service-accounts/${id}/datasets/grant`, { json: { datasetIds: ['d_2'] } });
  await call('PUT', `/service-accounts/${id}/datasets`, {
    json: { datasetAccess: { mode: 'selected', datasetIds: ['d_1'] } },
  });
  await call('POST', `/service-accounts/${id}/datasets/grant`, { json: { datasetIds: ['d_2'] } });
  await call('POST', `/service-accounts/${id}/datasets/revoke`, { json: { datasetIds: ['d_1'] } });
  await call('POST', `/service-accounts/${id}/disable`);
  await call('POST', `/service-accounts/${id}/keys`, { json: { name: 'while disabled' } });
  await call('POST', `/service-accounts/${id}/enable`, { headers: { 'if-match': '*' } });
  const issued = await call('POST', `/service-accounts/${id}/keys`, {
    json: { name: 'rotating', scopes: ['datasets:read'], expiresAt: '2026-01-01T01:00:00Z' },
  });
  const keyId = bodyOf(issued).key.id as string;
  await call('POST', `/service-accounts/${id}/keys`, { json: { name: 'third', expiresInSeconds: 60 } });
  await call('GET', `/service-accounts/${id}/keys?limit=10`);
  await call('GET', `/keys/${keyId}`);
  await call('POST', `/keys/${keyId}/regenerate`, { json: { gracePeriodSeconds: 600 } });
  const read = await call('GET', `/keys/${keyId}`);
  await call('PATCH', `/keys/${keyId}`, {
    json: {
      name: 'narrowed',
      expiresInSeconds: 1800,
      metadata: { ticket: 'OPS-1' },
      expectedUpdatedAt: bodyOf(read).updatedAt,
    },
  });
  await call('PATCH', `/keys/${keyId}`, {
    json: { name: 'lost', expectedUpdatedAt: bodyOf(read).updatedAt },
  });
  await call('PATCH', `/keys/${keyId}`, { json: { scopes: ['datasets:*'] } });
  await call('PATCH', `/keys/${keyId}`, { json: { expiresInSeconds: 7200 } });
  await call('POST', `/keys/${keyId}/disable`);
  await call('POST', `/keys/${keyId}/disable`, { as: 'limited' });
  await call('POST', `/keys/${keyId}/enable`);
  const keys = await call('GET', '/keys?status=active&environment=live&limit=1');
  await call('GET', `/keys?limit=1&cursor=${bodyOf(keys).nextCursor}`);
  await call(
    'GET',
    '/keys?workspaceId=w_sales&expiresBefore=2026-01-02T00:00:00Z&unusedSince=2026-01-01T00:00:00.000Z',
  );
  await call('GET', '/keys?status=lost');
  await call('GET', `/service-accounts?workspaceId=w_sales`, {
    as: null,
    headers: { authorization: `Bearer ${adminToken}` },
  });
  clock.advance(2 * 3600 * 1000);
  await call('GET', `/service-accounts/${id}/keys`);
  await call('POST', `/keys/${keyId}/regenerate`);
  await call('POST', `/keys/${keyId}/revoke`);
  await call('POST', `/keys/${keyId}/enable`);
  const audit = await call('GET', '/audit?limit=2');
  await call('GET', `/audit?limit=2&cursor=${bodyOf(audit).nextCursor}&action=service_account.update`);
  const followed = await call('GET', '/audit/follow?limit=100');
  await call('GET', `/audit/follow?cursor=${bodyOf(followed).cursor}`);
  await call('GET', '/catalog');
  await call('GET', '/catalog?workspaceId=w_sales', { as: 'limited' });
  await call('GET', `/service-accounts/${id}/sample-code?language=python&path=/datasets/d_2&method=POST`);
  await call('GET', '/openapi.json', { as: null });
  const current = await call('GET', `/service-accounts/${id}`);
  await call('DELETE', `/service-accounts/${id}`, {
    headers: { 'if-match': current.headers.etag as string },
  });
  await call('GET', `/service-accounts/${id}`);
  return { adminToken };
}

/** The refusals a client can meet. */
async function refusals(world: ReturnType<typeof recordedWorld>, adminToken: string) {
  const { call, send } = world;
  const json = (body: string, type = 'application/json') => ({
    method: 'POST',
    path: '/service-accounts',
    headers: { 'x-test-user': 'admin', 'content-type': type },
    body,
  });
  await call('POST', '/service-accounts', {
    json: { workspaceId: 'bad workspace!', name: '', roles: [], tenantId: 't' },
  });
  await call('GET', '/service-accounts?limit=abc');
  await send(json('{"name": '));
  await send(json('name=x', 'application/x-www-form-urlencoded'));
  await send(json(JSON.stringify({ name: 'x'.repeat(70_000) })));
  await call('GET', `/service-accounts?api_key=${adminToken}`, { as: null });
  await call('GET', '/service-accounts', { as: null });
  await call('GET', '/audit', {
    as: null,
    headers: { 'x-api-key': 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC' },
  });
  await call('POST', '/service-accounts', { as: 'limited', json: NEW_ACCOUNT });
  const readOnly = await call('POST', '/service-accounts', {
    json: { ...NEW_ACCOUNT, readOnly: true, firstKey: { name: 'ro' } },
  });
  await call('POST', '/service-accounts', {
    as: null,
    headers: { 'x-api-key': bodyOf(readOnly).key.token },
    json: NEW_ACCOUNT,
  });
  await call('POST', '/service-accounts', { json: { ...NEW_ACCOUNT, roles: ['owner'] } });
  await call('GET', '/service-accounts/sa_0000000000000000');
  await call('GET', '/nope');
  await call('PUT', '/service-accounts/sa_0000000000000000');
  await call('POST', '/openapi.json');
}

describe('every answer of the management API conforms to its OpenAPI document', () => {
  it('over the lifecycle of accounts and keys, and every refusal', async () => {
    const world = recordedWorld();
    const { adminToken } = await lifecycle(world);
    await refusals(world, adminToken);
    expect(problemsOf(world)).toEqual([]);
    const statuses = new Set(world.exchanges.map((exchange) => exchange.status));
    expect([...statuses].sort()).toEqual([200, 201, 204, 400, 401, 403, 404, 405, 409, 412, 413, 415, 422]);
  });

  it('when the host rate-limits (429) or its endpointsBaseUrl fails (500)', async () => {
    const limited = recordedWorld({ limit: () => ({ limited: true, retryAfterSeconds: 30 }) });
    await limited.call('GET', '/service-accounts');
    await limited.call('POST', '/service-accounts', { json: NEW_ACCOUNT });
    const broken = recordedWorld({ endpointsBaseUrl: () => 'not a url' });
    const created = await broken.call('POST', '/service-accounts', { json: NEW_ACCOUNT });
    await broken.call('GET', `/service-accounts/${bodyOf(created).account.id}/sample-code?language=curl`);
    expect([...limited.exchanges, ...broken.exchanges].map((exchange) => exchange.status)).toEqual([
      429, 429, 201, 500,
    ]);
    expect([...problemsOf(limited), ...problemsOf(broken)]).toEqual([]);
  });
});

describe('the conformance checker', () => {
  const { api } = managementApiSetup({ basePath: BASE });
  const check = createConformanceChecker(api.openapi);
  const page = { items: [], nextCursor: null };
  const ok: Exchange = {
    method: 'GET',
    path: `${BASE}/service-accounts?limit=5`,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: page,
  };

  it('passes a conforming answer', () => {
    expect(check(ok)).toEqual([]);
  });

  it('fails a wrong body, an undocumented status, a wrong content type, and a body on 204', () => {
    expect(check({ ...ok, body: { items: [{ id: 'x' }], nextCursor: null } })).not.toEqual([]);
    expect(check({ ...ok, body: { items: [] } })).toEqual([
      expect.stringContaining("required property 'nextCursor'"),
    ]);
    expect(check({ ...ok, status: 201 })).toEqual([expect.stringContaining('status 201 is not documented')]);
    expect(check({ ...ok, contentType: 'text/html' })).toEqual([
      expect.stringContaining('text/html is not documented'),
    ]);
    expect(check({ ...ok, contentType: null })).toEqual([expect.stringContaining('content-type is missing')]);
    expect(check({ ...ok, status: 400, contentType: 'application/json' })).not.toEqual([]);
    const deleted = {
      method: 'DELETE',
      path: `${BASE}/service-accounts/sa_0000000000000000`,
      status: 204,
      contentType: null,
    };
    expect(check({ ...deleted, body: null })).toEqual([]);
    expect(check({ ...deleted, body: { gone: true } })).toEqual([expect.stringContaining('without a body')]);
  });

  it('fails a missing or malformed required header when the headers are given', () => {
    const unauthenticated = {
      ...ok,
      status: 401,
      contentType: 'application/problem+json',
      body: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'x', code: 'unauthenticated' },
    };
    expect(check({ ...unauthenticated, headers: { 'WWW-Authenticate': 'Bearer realm="api"' } })).toEqual([]);
    expect(check(unauthenticated)).toEqual([]);
    expect(check({ ...unauthenticated, headers: {} })).toEqual([
      expect.stringContaining('WWW-Authenticate is documented as required but missing'),
    ]);
    const read = { ...ok, path: `${BASE}/service-accounts/sa_0000000000000000`, body: {} };
    expect(check({ ...read, headers: { etag: 'W/"1"' } })).toContainEqual(
      expect.stringContaining('header ETag does not match its schema'),
    );
  });

  it('fails an answer to a path or method the document does not have, unless it is a 404 or 405 problem', () => {
    const problem = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'x', code: 'not_found' };
    const unknown = { ...ok, path: `${BASE}/nope`, contentType: 'application/problem+json', body: problem };
    expect(check(unknown)).toEqual([expect.stringContaining('no documented path')]);
    expect(check({ ...unknown, status: 404 })).toEqual([]);
    expect(check({ ...unknown, status: 404, body: { code: 'not_found' } })).not.toEqual([]);
    expect(check({ ...ok, method: 'PUT' })).toEqual([expect.stringContaining('documents no PUT')]);
    expect(check({ ...ok, path: '/service-accounts' })).toEqual([
      expect.stringContaining('no documented path'),
    ]);
  });
});
