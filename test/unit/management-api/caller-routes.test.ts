import { describe, expect, it } from 'vitest';
import type { WorkspaceDirectory } from '../../../src/entries/http.js';
import type { Actor, UserActor } from '../../../src/index.js';
import { createManagementApi } from '../../../src/management-api/index.js';
import type { ManagementResponse } from '../../../src/management-api/management-request.js';
import { TENANT } from '../../support/keyward-fixture.js';
import { bodyOf, managementApiSetup, type TestCall } from '../../support/management-api-client.js';
import { createConformanceChecker } from '../../support/openapi-conformance.js';

/** The host's directory of the test world: t_acme has w_sales and w_ops; asked questions are recorded. */
function testDirectory() {
  const asked: string[] = [];
  const directory: WorkspaceDirectory = {
    workspaces: (actor: Actor) => {
      asked.push(`workspaces ${actor.tenantId}`);
      return actor.tenantId === 't_acme'
        ? [
            { id: 'w_sales', name: 'Sales' },
            { id: 'w_ops', name: 'Operations' },
          ]
        : [];
    },
    datasets: async (workspaceId: string, actor: Actor) => {
      asked.push(`datasets ${workspaceId}`);
      if (actor.tenantId !== 't_acme') return null;
      if (workspaceId === 'w_sales')
        return [{ id: 'd_orders', name: 'Orders', extra: 'not answered' } as never];
      if (workspaceId === 'w_ops') return [{ id: 'd_metrics', name: 'Metrics' }];
      return null;
    },
  };
  return { directory, asked };
}

/** A world with the directory, whose every answer is checked against the OpenAPI document. */
function callerWorld() {
  const { directory, asked } = testDirectory();
  const world = managementApiSetup({ directory });
  const check = createConformanceChecker(world.api.openapi);
  const call = async (method: string, path: string, options?: TestCall): Promise<ManagementResponse> => {
    const answer = await world.call(method, path, options);
    const contentType = answer.headers['content-type'] ?? null;
    expect(check({ method, path, status: answer.status, contentType, body: answer.body })).toEqual([]);
    return answer;
  };
  /** A key of a viewer account in `workspaceId`: it holds `service_accounts:read` there. */
  const viewerKey = async (workspaceId: string) => {
    const created = await call('POST', '/service-accounts', {
      json: { workspaceId, name: `viewer ${workspaceId}`, roles: ['viewer'], firstKey: { name: 'page' } },
    });
    const { key, token } = bodyOf(created).key as {
      key: { id: string; serviceAccountId: string };
      token: string;
    };
    return { keyId: key.id, accountId: key.serviceAccountId, auth: { authorization: `Bearer ${token}` } };
  };
  return { ...world, call, asked, viewerKey };
}

describe('GET /me', () => {
  it('tells a person who they are: every permission they can use, no workspace limit, the key limit', async () => {
    const { call, kw } = callerWorld();
    const me = await call('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(bodyOf(me)).toEqual({
      type: 'user',
      id: 'u_admin',
      tenantId: 't_acme',
      permissions: kw.policy.permissions.permissions.map((permission) => permission.name).sort(),
      workspaceIds: null,
      limits: { maxKeysPerAccount: 2 },
    });
  });

  it("keeps a confined person's workspaces and only the permissions their grants cover", async () => {
    const { call } = callerWorld();
    const me = bodyOf(await call('GET', '/me', { as: 'limited' }));
    expect(me).toMatchObject({ type: 'user', id: 'u_limited', workspaceIds: ['w_sales'] });
    expect(me.permissions).toEqual(['datasets:read', 'service_accounts:read', 'tenant.workspaces:list']);
  });

  it('tells an API key its key id, account, workspace and what it can use; the limit follows the config', async () => {
    const world = callerWorld();
    const { keyId, accountId, auth } = await world.viewerKey('w_ops');
    const me = await world.call('GET', '/me', { as: null, headers: auth });
    expect(me.status).toBe(200);
    const body = bodyOf(me);
    expect(body).toMatchObject({
      type: 'api_key',
      id: keyId,
      serviceAccountId: accountId,
      tenantId: 't_acme',
      workspaceIds: ['w_ops'],
      limits: { maxKeysPerAccount: world.kw.limits.maxKeysPerAccount },
    });
    // A viewer reads and lists; it writes nothing and manages nothing.
    expect(body.permissions).toContain('service_accounts:read');
    expect(body.permissions.some((name: string) => name.endsWith(':write') || name.endsWith(':manage'))).toBe(
      false,
    );
  });

  it('answers 401 without a session or a key', async () => {
    const { call } = callerWorld();
    const anonymous = await call('GET', '/me', { as: null });
    expect([anonymous.status, bodyOf(anonymous).code]).toEqual([401, 'unauthenticated']);
  });
});

describe('GET /workspaces and GET /workspaces/:workspaceId/datasets (the directory option)', () => {
  it("lists the host's workspaces by name, kept to a confined person's workspaces", async () => {
    const { call } = callerWorld();
    expect(bodyOf(await call('GET', '/workspaces'))).toEqual({
      items: [
        { id: 'w_sales', name: 'Sales' },
        { id: 'w_ops', name: 'Operations' },
      ],
    });
    expect(bodyOf(await call('GET', '/workspaces', { as: 'limited' }))).toEqual({
      items: [{ id: 'w_sales', name: 'Sales' }],
    });
  });

  it('keeps an API key to its own workspace', async () => {
    const world = callerWorld();
    const { auth } = await world.viewerKey('w_ops');
    const listed = await world.call('GET', '/workspaces', { as: null, headers: auth });
    expect(bodyOf(listed)).toEqual({ items: [{ id: 'w_ops', name: 'Operations' }] });
    const own = await world.call('GET', '/workspaces/w_ops/datasets', { as: null, headers: auth });
    expect(bodyOf(own)).toEqual({ items: [{ id: 'd_metrics', name: 'Metrics' }] });
    const other = await world.call('GET', '/workspaces/w_sales/datasets', { as: null, headers: auth });
    expect([other.status, bodyOf(other).code]).toEqual([404, 'not_found']);
  });

  it('lists the datasets of a workspace as { id, name } only', async () => {
    const { call } = callerWorld();
    const listed = await call('GET', '/workspaces/w_sales/datasets', { as: 'limited' });
    expect(listed.status).toBe(200);
    expect(bodyOf(listed)).toEqual({ items: [{ id: 'd_orders', name: 'Orders' }] });
  });

  it('answers 403 naming service_accounts:read to a person of the workspace who lacks it, without asking the host', async () => {
    // Confined to w_sales (so the binding lets the request through) but holding only datasets:read.
    const datasetReader: UserActor = {
      type: 'user',
      id: 'u_dataset_reader',
      tenantId: TENANT,
      permissions: ['datasets:read'],
      workspaceIds: ['w_sales'],
    };
    const { directory, asked } = testDirectory();
    const { kw } = managementApiSetup();
    const api = createManagementApi(kw, { directory, authenticate: () => datasetReader });
    const check = createConformanceChecker(api.openapi);
    const path = '/workspaces/w_sales/datasets';
    const refused = await api.handle({ method: 'GET', path, headers: {}, ip: '203.0.113.7' });
    const contentType = refused.headers['content-type'] ?? null;
    expect(check({ method: 'GET', path, status: refused.status, contentType, body: refused.body })).toEqual(
      [],
    );
    expect(refused.status).toBe(403);
    expect(bodyOf(refused)).toMatchObject({
      status: 403,
      code: 'not_granted',
      required: 'service_accounts:read',
    });
    expect(asked).toEqual([]);
  });

  it('answers 404 outside the binding without asking the host, and when the host knows no such workspace', async () => {
    const { call, asked } = callerWorld();
    const outside = await call('GET', '/workspaces/w_ops/datasets', { as: 'limited' });
    expect([outside.status, bodyOf(outside).code]).toEqual([404, 'not_found']);
    expect(asked).toEqual([]);
    const unknown = await call('GET', '/workspaces/w_nowhere/datasets');
    expect([unknown.status, bodyOf(unknown).code]).toEqual([404, 'not_found']);
    const otherTenant = await call('GET', '/workspaces/w_sales/datasets', { as: 'other' });
    expect([otherTenant.status, bodyOf(otherTenant).code]).toEqual([404, 'not_found']);
    expect(asked).toEqual(['datasets w_nowhere', 'datasets w_sales']);
  });

  it('does not exist without the directory option: 404 like any unknown path', async () => {
    const { call } = managementApiSetup();
    for (const path of ['/workspaces', '/workspaces/w_sales/datasets']) {
      const answer = await call('GET', path);
      expect([path, answer.status, bodyOf(answer).code]).toEqual([path, 404, 'not_found']);
    }
    expect((await call('GET', '/me')).status).toBe(200);
  });

  it('refuses a directory that is not { workspaces, datasets } with TypeError at startup', () => {
    for (const directory of [{}, { workspaces: () => [] }, 'directory']) {
      expect(() => managementApiSetup({ directory: directory as never })).toThrow(TypeError);
    }
  });
});
