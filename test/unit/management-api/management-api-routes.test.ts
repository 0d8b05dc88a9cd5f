import { describe, expect, it } from 'vitest';
import { bodyOf, managementApiSetup } from '../../support/management-api-client.js';

const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

async function withAccount(extra: Record<string, unknown> = {}) {
  const world = managementApiSetup();
  const created = await world.call('POST', '/service-accounts', { json: { ...NEW_ACCOUNT, ...extra } });
  expect(created.status).toBe(201);
  return { ...world, account: bodyOf(created).account, created };
}

describe('management API routes', () => {
  it('POST /service-accounts creates an account: 201, Location, ETag, no key without firstKey', async () => {
    const { created, account } = await withAccount();
    expect(created.headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
      etag: '"1"',
      location: `/service-accounts/${account.id}`,
    });
    expect(account).toMatchObject({
      tenantId: 't_acme',
      workspaceId: 'w_sales',
      status: 'active',
      version: 1,
    });
    expect(typeof account.createdAt).toBe('string');
    expect(bodyOf(created).key).toBeUndefined();
  });

  it('POST /service-accounts with firstKey answers the key and its token once', async () => {
    const { created } = await withAccount({ firstKey: { name: 'ci' } });
    const key = bodyOf(created).key;
    expect(key.token).toMatch(/^acme_/);
    expect(key.key).toMatchObject({ name: 'ci', status: 'active' });
  });

  it('GET /service-accounts lists with filters, limit and cursor', async () => {
    const { call } = await withAccount();
    await call('POST', '/service-accounts', { json: { ...NEW_ACCOUNT, name: 'Second' } });
    await call('POST', '/service-accounts', { json: { ...NEW_ACCOUNT, workspaceId: 'w_ops', name: 'Ops' } });
    const first = await call('GET', '/service-accounts?workspaceId=w_sales&status=active&limit=1');
    expect(first.status).toBe(200);
    expect(bodyOf(first).items).toHaveLength(1);
    expect(bodyOf(first).items[0].name).toBe('ETL pipeline');
    const cursor = bodyOf(first).nextCursor as string;
    const second = await call('GET', `/service-accounts?workspaceId=w_sales&limit=1&cursor=${cursor}`);
    expect(bodyOf(second).items.map((a: { name: string }) => a.name)).toEqual(['Second']);
  });

  it('GET /service-accounts/:id reads one account with its ETag', async () => {
    const { call, account } = await withAccount();
    const read = await call('GET', `/service-accounts/${account.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(account);
  });

  it('PATCH /service-accounts/:id updates editable fields and bumps the ETag', async () => {
    const { call, account } = await withAccount();
    const patched = await call('PATCH', `/service-accounts/${account.id}`, {
      json: {
        name: 'Renamed',
        description: 'nightly',
        contactEmail: 'etl@acme.test',
        readOnly: true,
        metadata: { team: 'data' },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toBe('"2"');
    expect(patched.body).toMatchObject({
      name: 'Renamed',
      description: 'nightly',
      readOnly: true,
      version: 2,
    });
  });

  it('PUT datasets, POST datasets/grant and datasets/revoke change dataset access', async () => {
    const { call, account } = await withAccount();
    const path = `/service-accounts/${account.id}/datasets`;
    const set = await call('PUT', path, {
      json: { datasetAccess: { mode: 'selected', datasetIds: ['d_1'] } },
    });
    expect(set.status).toBe(200);
    expect(bodyOf(set).datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_1'] });
    const granted = await call('POST', `${path}/grant`, { json: { datasetIds: ['d_2'] } });
    expect(bodyOf(granted).datasetAccess.datasetIds).toEqual(expect.arrayContaining(['d_1', 'd_2']));
    const revoked = await call('POST', `${path}/revoke`, { json: { datasetIds: ['d_1'] } });
    expect(bodyOf(revoked).datasetAccess).toEqual({ mode: 'selected', datasetIds: ['d_2'] });
    expect(revoked.headers.etag).toBe('"4"');
  });

  it('POST disable and enable switch the status; DELETE answers 204 and the account is gone', async () => {
    const { call, account } = await withAccount();
    const disabled = await call('POST', `/service-accounts/${account.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(bodyOf(disabled).status).toBe('disabled');
    const enabled = await call('POST', `/service-accounts/${account.id}/enable`);
    expect(bodyOf(enabled).status).toBe('active');
    const deleted = await call('DELETE', `/service-accounts/${account.id}`);
    expect(deleted).toEqual({ status: 204, headers: { 'cache-control': 'no-store' }, body: null });
    expect((await call('GET', `/service-accounts/${account.id}`)).status).toBe(404);
  });

  it('key routes: issue (201, token once), list, get, regenerate (new token), revoke', async () => {
    const { call, account } = await withAccount();
    const issued = await call('POST', `/service-accounts/${account.id}/keys`, {
      json: { name: 'ci', expiresInSeconds: 3600 },
    });
    expect(issued.status).toBe(201);
    const keyId = bodyOf(issued).key.id as string;
    expect(issued.headers.location).toBe(`/keys/${keyId}`);
    expect(bodyOf(issued).token).toMatch(/^acme_/);
    const list = await call('GET', `/service-accounts/${account.id}/keys?limit=10`);
    expect(list.status).toBe(200);
    expect(bodyOf(list).items.map((k: { id: string }) => k.id)).toEqual([keyId]);
    const read = await call('GET', `/keys/${keyId}`);
    expect(bodyOf(read)).toMatchObject({ id: keyId, name: 'ci', status: 'active' });
    const regenerated = await call('POST', `/keys/${keyId}/regenerate`, { json: { gracePeriodSeconds: 60 } });
    expect(regenerated.status).toBe(200);
    expect(bodyOf(regenerated).key.id).toBe(keyId);
    expect(bodyOf(regenerated).token).not.toBe(bodyOf(issued).token);
    const revoked = await call('POST', `/keys/${keyId}/revoke`);
    expect(revoked.status).toBe(200);
    expect(bodyOf(revoked).status).toBe('revoked');
  });

  it('GET /audit lists events with filters and cursor; GET /audit/follow tails them', async () => {
    const { call, account } = await withAccount();
    await call('POST', `/service-accounts/${account.id}/disable`);
    const page = await call('GET', `/audit?targetId=${account.id}&limit=1`);
    expect(page.status).toBe(200);
    expect(bodyOf(page).items).toHaveLength(1);
    expect(bodyOf(page).nextCursor).toEqual(expect.any(String));
    const followed = await call('GET', '/audit/follow?limit=100');
    expect(followed.status).toBe(200);
    expect(bodyOf(followed).items.length).toBeGreaterThanOrEqual(2);
    expect(bodyOf(followed)).toMatchObject({ cursor: expect.any(String), caughtUp: expect.any(Boolean) });
  });

  it('records the client address of a change in the audit trail', async () => {
    const { call, account } = await withAccount();
    const page = await call('GET', `/audit?targetId=${account.id}`);
    expect(bodyOf(page).items[0].request).toMatchObject({ ip: '203.0.113.7' });
  });
});
