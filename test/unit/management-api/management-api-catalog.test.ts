import { describe, expect, it } from 'vitest';
import { SAMPLE_TOKEN_PLACEHOLDER } from '../../../src/management-api/management-routes.js';
import { bodyOf, managementApiSetup } from '../../support/management-api-client.js';

const NEW_ACCOUNT = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };
const endpointsBaseUrl = (workspaceId: string) => `https://api.acme.test/workspaces/${workspaceId}`;

/** A world with the sample-code route and one account whose first key's token is known. */
async function withAccount() {
  const world = managementApiSetup({ endpointsBaseUrl });
  const created = await world.call('POST', '/service-accounts', {
    json: { ...NEW_ACCOUNT, firstKey: { name: 'ci' } },
  });
  expect(created.status).toBe(201);
  return { ...world, account: bodyOf(created).account, token: bodyOf(created).key.token as string };
}

const names = (items: { name: string }[]) => items.map((item) => item.name);

describe('management API: GET /catalog', () => {
  it('lists the roles assignable to service accounts, never owner, with descriptions', async () => {
    const { call, kw } = managementApiSetup();
    const response = await call('GET', '/catalog');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const { roles, permissions } = bodyOf(response);
    expect(names(roles)).toEqual(['admin', 'analyst', 'viewer']);
    expect(roles[0]).toEqual({ name: 'admin', description: expect.any(String) });
    expect(permissions).toContainEqual({
      name: 'service_accounts:manage',
      scope: 'workspace',
      access: 'admin',
      description: 'Create, edit, disable and delete service accounts',
    });
    expect(permissions).toHaveLength(kw.policy.permissions.permissions.length);
  });

  it('lists only the permissions a limited actor holds, in a workspace it may read', async () => {
    const { call } = managementApiSetup();
    const held = ['datasets:read', 'service_accounts:read', 'tenant.workspaces:list'];
    expect(names(bodyOf(await call('GET', '/catalog', { as: 'limited' })).permissions)).toEqual(held);
    const inSales = await call('GET', '/catalog?workspaceId=w_sales', { as: 'limited' });
    expect(inSales.status).toBe(200);
    expect(names(bodyOf(inSales).permissions)).toEqual(held);
    expect(names(bodyOf(inSales).roles)).toEqual(['admin', 'analyst', 'viewer']);
    const elsewhere = await call('GET', '/catalog?workspaceId=w_hr', { as: 'limited' });
    expect(elsewhere.status).toBe(403);
  });

  it('lists a key actor only the permissions its own roles give', async () => {
    const { call } = managementApiSetup();
    const created = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, roles: ['viewer'], firstKey: { name: 'ro' } },
    });
    const token = bodyOf(created).key.token as string;
    const response = await call('GET', '/catalog?workspaceId=w_sales', {
      as: null,
      headers: { 'x-api-key': token },
    });
    expect(response.status).toBe(200);
    const permissions: { access: string }[] = bodyOf(response).permissions;
    expect(permissions.length).toBeGreaterThan(0);
    expect(permissions.every((permission) => permission.access === 'read')).toBe(true);
  });

  it('lists, for an account, only what both the caller and the account hold (a key form)', async () => {
    const { call, kw } = managementApiSetup();
    const readOnly = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, roles: ['analyst'], readOnly: true },
    });
    const id = bodyOf(readOnly).account.id as string;
    const forAccount = await call('GET', `/catalog?serviceAccountId=${id}`);
    expect(forAccount.status).toBe(200);
    const permissions: { name: string; access: string }[] = bodyOf(forAccount).permissions;
    expect(permissions.length).toBeGreaterThan(0);
    expect(permissions.length).toBeLessThan(kw.policy.permissions.permissions.length);
    expect(permissions.every((permission) => permission.access === 'read')).toBe(true);
    expect(names(permissions)).not.toContain('service_accounts:manage');
    // The same account writable: its write permissions appear, still never the admin ones.
    const writable = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, roles: ['analyst'] },
    });
    const wide = bodyOf(await call('GET', `/catalog?serviceAccountId=${bodyOf(writable).account.id}`));
    expect(wide.permissions.length).toBeGreaterThan(permissions.length);
    expect(names(wide.permissions)).not.toContain('api_keys:manage');
    // A limited caller gets the intersection with its own rights.
    const limited = bodyOf(
      await call('GET', `/catalog?serviceAccountId=${bodyOf(writable).account.id}`, { as: 'limited' }),
    );
    expect(names(limited.permissions).every((name) => names(wide.permissions).includes(name))).toBe(true);
    expect(
      names(limited.permissions).every((name) =>
        ['datasets:read', 'service_accounts:read', 'tenant.workspaces:list'].includes(name),
      ),
    ).toBe(true);
  });

  it('answers 404 for an account outside the tenant or unknown', async () => {
    const { call } = managementApiSetup();
    const created = await call('POST', '/service-accounts', { json: NEW_ACCOUNT });
    const id = bodyOf(created).account.id as string;
    const fromOtherTenant = await call('GET', `/catalog?serviceAccountId=${id}`, { as: 'other' });
    expect(fromOtherTenant.status).toBe(404);
    await call('DELETE', `/service-accounts/${id}`);
    expect((await call('GET', `/catalog?serviceAccountId=${id}`)).status).toBe(404);
  });

  it('refuses unknown query members with 400', async () => {
    const { call } = managementApiSetup();
    const response = await call('GET', '/catalog?role=owner');
    expect(response.status).toBe(400);
  });
});

describe('management API: GET /service-accounts/:id/sample-code', () => {
  it('writes curl, TypeScript and Python with the placeholder, never a token', async () => {
    const { call, account, token } = await withAccount();
    for (const language of ['curl', 'typescript', 'python']) {
      const response = await call(
        'GET',
        `/service-accounts/${account.id}/sample-code?language=${language}&path=/datasets/d_orders`,
      );
      expect([language, response.status]).toEqual([language, 200]);
      const body = bodyOf(response);
      expect(body.language).toBe(language);
      expect(body.baseUrl).toBe('https://api.acme.test/workspaces/w_sales');
      expect(body.code).toContain(SAMPLE_TOKEN_PLACEHOLDER);
      expect(body.code).toContain('https://api.acme.test/workspaces/w_sales/datasets/d_orders');
      expect(body.code).not.toContain(token);
      expect(JSON.stringify(body)).not.toMatch(/acme_[0-9A-Za-z]{16}_/);
    }
  });

  it('refuses an unknown language, a bad path and a token in the query with 400', async () => {
    const { call, account } = await withAccount();
    for (const query of ['language=go', 'language=curl&path=nope', 'language=curl&token=abc']) {
      const response = await call('GET', `/service-accounts/${account.id}/sample-code?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
    }
  });

  it('answers 404 for an account of another tenant, and for a missing account', async () => {
    const { call, account } = await withAccount();
    const other = await call('GET', `/service-accounts/${account.id}/sample-code?language=curl`, {
      as: 'other',
    });
    expect(other.status).toBe(404);
    expect(bodyOf(other).code).toBe('not_found');
    expect((await call('DELETE', `/service-accounts/${account.id}`)).status).toBe(204);
    const missing = await call('GET', `/service-accounts/${account.id}/sample-code?language=curl`);
    expect(missing.status).toBe(404);
  });

  it('does not exist without the endpointsBaseUrl option', async () => {
    const { call } = managementApiSetup();
    const created = await call('POST', '/service-accounts', { json: NEW_ACCOUNT });
    const response = await call(
      'GET',
      `/service-accounts/${bodyOf(created).account.id}/sample-code?language=curl`,
    );
    expect(response.status).toBe(404);
    expect(bodyOf(response).code).toBe('not_found');
  });
});

describe('management API: sample code in the answers that hold a token', () => {
  /** The three snippets of an answered key, checked to call the workspace with `token`. */
  function expectSamplesWith(sample: Record<string, string>, token: string) {
    expect(sample.baseUrl).toBe('https://api.acme.test/workspaces/w_sales');
    for (const language of ['curl', 'typescript', 'python']) {
      expect(sample[language]).toContain(token);
      expect(sample[language]).toContain('https://api.acme.test/workspaces/w_sales');
    }
  }

  it('answers create (first key), issue and regenerate with code holding that very token', async () => {
    const { call, account, token } = await withAccount();
    const created = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, name: 'second', firstKey: { name: 'ci' } },
    });
    expectSamplesWith(bodyOf(created).key.sampleCode, bodyOf(created).key.token);
    const issued = await call('POST', `/service-accounts/${account.id}/keys`, { json: { name: 'backup' } });
    expect(issued.status).toBe(201);
    expectSamplesWith(bodyOf(issued).sampleCode, bodyOf(issued).token);
    const regenerated = await call('POST', `/keys/${bodyOf(issued).key.id}/regenerate`, { json: {} });
    expect(regenerated.status).toBe(200);
    const fresh = bodyOf(regenerated).token as string;
    expectSamplesWith(bodyOf(regenerated).sampleCode, fresh);
    expect(JSON.stringify(bodyOf(regenerated))).not.toContain(token);
  });

  it('leaves it out without endpointsBaseUrl, and never puts it in reads', async () => {
    const { call } = managementApiSetup();
    const created = await call('POST', '/service-accounts', {
      json: { ...NEW_ACCOUNT, firstKey: { name: 'ci' } },
    });
    expect(bodyOf(created).key).not.toHaveProperty('sampleCode');
    const withUrls = await withAccount();
    const keys = await withUrls.call('GET', `/service-accounts/${withUrls.account.id}/keys`);
    expect(JSON.stringify(bodyOf(keys))).not.toContain('sampleCode');
  });
});
