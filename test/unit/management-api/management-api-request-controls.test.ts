import { describe, expect, it } from 'vitest';
import type { ManagementResponse } from '../../../src/management-api/index.js';
import { bodyOf, managementApiSetup, type TestCall } from '../../support/management-api-client.js';
import { createConformanceChecker, type Exchange } from '../../support/openapi-conformance.js';

const HOURLY = { name: 'hourly', limit: 100, windowMs: 3_600_000 };
const DAY = 86_400_000;

/** A management API whose every answer is recorded, to be checked against its OpenAPI document. */
function recordedWorld() {
  const world = managementApiSetup();
  const exchanges: Exchange[] = [];
  const call = async (method: string, path: string, options: TestCall = {}): Promise<ManagementResponse> => {
    const response = await world.call(method, path, options);
    exchanges.push({
      method,
      path,
      status: response.status,
      contentType: response.headers['content-type'] ?? null,
      body: response.body === null ? null : JSON.parse(JSON.stringify(response.body)),
      headers: response.headers,
    });
    return response;
  };
  const conformanceProblems = () => exchanges.flatMap(createConformanceChecker(world.api.openapi));
  return { ...world, call, conformanceProblems };
}

/** An account (analyst in w_sales) with one key. */
async function accountWithKey(world: ReturnType<typeof recordedWorld>) {
  const created = await world.call('POST', '/service-accounts', {
    json: { workspaceId: 'w_sales', name: 'etl', roles: ['analyst'], firstKey: { name: 'ci' } },
  });
  expect(created.status).toBe(201);
  return { accountId: bodyOf(created).account.id as string, keyId: bodyOf(created).key.key.id as string };
}

describe('request controls through the management API', () => {
  it('PATCH /keys/:keyId sets credits and an allowlist; GET shows them, normalised', async () => {
    const world = recordedWorld();
    const { keyId } = await accountWithKey(world);
    const patched = await world.call('PATCH', `/keys/${keyId}`, {
      json: {
        ipAllowlist: ['203.0.113.0/24', '2001:DB8::/32'],
        rateLimits: [HOURLY],
        credits: { remaining: 250, refill: { amount: 250, intervalMs: DAY } },
      },
    });
    expect(patched.status).toBe(200);
    const expected = {
      ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'],
      rateLimits: [HOURLY],
      credits: {
        remaining: 250,
        refill: { amount: 250, intervalMs: DAY },
        refilledAt: new Date(world.clock.now).toISOString(),
      },
    };
    expect(JSON.parse(JSON.stringify(patched.body))).toMatchObject(expected);
    const read = await world.call('GET', `/keys/${keyId}`);
    expect(JSON.parse(JSON.stringify(read.body))).toMatchObject(expected);
    const cleared = await world.call('PATCH', `/keys/${keyId}`, {
      json: { credits: null, ipAllowlist: null },
    });
    expect(bodyOf(cleared)).toMatchObject({ credits: null, ipAllowlist: null });
    expect(world.conformanceProblems()).toEqual([]);
  });

  it('accounts and issued keys take them on create, issue and PATCH', async () => {
    const world = recordedWorld();
    const created = await world.call('POST', '/service-accounts', {
      json: {
        workspaceId: 'w_sales',
        name: 'metered',
        roles: ['analyst'],
        ipAllowlist: ['10.0.0.0/8'],
        rateLimits: [HOURLY],
        firstKey: { name: 'ci', credits: { remaining: 5 } },
      },
    });
    expect(created.status).toBe(201);
    expect(bodyOf(created)).toMatchObject({
      account: { ipAllowlist: ['10.0.0.0/8'], rateLimits: [HOURLY] },
      key: { key: { credits: { remaining: 5, refill: null, refilledAt: null } } },
    });
    const id = bodyOf(created).account.id as string;
    const issued = await world.call('POST', `/service-accounts/${id}/keys`, {
      json: { name: 'narrow', ipAllowlist: ['10.1.0.0/16'], rateLimits: [HOURLY] },
    });
    expect(issued.status).toBe(201);
    expect(bodyOf(issued).key).toMatchObject({
      ipAllowlist: ['10.1.0.0/16'],
      rateLimits: [HOURLY],
      credits: null,
    });
    const patched = await world.call('PATCH', `/service-accounts/${id}`, {
      json: { ipAllowlist: null, rateLimits: [] },
      headers: { 'if-match': '"1"' },
    });
    expect(patched.status).toBe(200);
    expect(bodyOf(patched)).toMatchObject({ ipAllowlist: null, rateLimits: [], version: 2 });
    const listed = await world.call('GET', `/service-accounts/${id}/keys`);
    expect(bodyOf(listed).items.map((key: { ipAllowlist: unknown }) => key.ipAllowlist)).toEqual(
      expect.arrayContaining([null, ['10.1.0.0/16']]),
    );
    expect(world.conformanceProblems()).toEqual([]);
  });

  it('a bad CIDR block answers 400 with the JSON pointer to the entry and the reason', async () => {
    const world = recordedWorld();
    const { accountId, keyId } = await accountWithKey(world);
    const patched = await world.call('PATCH', `/keys/${keyId}`, {
      json: { ipAllowlist: ['10.0.0.0/8', '10.0.0.1/8'] },
    });
    expect(patched.status).toBe(400);
    expect(bodyOf(patched).code).toBe('invalid_input');
    expect(bodyOf(patched).errors).toEqual([
      expect.objectContaining({
        pointer: '#/ipAllowlist/1',
        detail: expect.stringContaining('did you mean 10.0.0.0/8?'),
      }),
    ]);
    const issued = await world.call('POST', `/service-accounts/${accountId}/keys`, {
      json: { name: 'k', ipAllowlist: ['nope'] },
    });
    expect(issued.status).toBe(400);
    expect(bodyOf(issued).errors).toEqual([expect.objectContaining({ pointer: '#/ipAllowlist/0' })]);
    expect(world.conformanceProblems()).toEqual([]);
  });

  it('an any-address block answers 400 at its entry, saying why', async () => {
    const world = recordedWorld();
    const { accountId } = await accountWithKey(world);
    const patched = await world.call('PATCH', `/service-accounts/${accountId}`, {
      json: { ipAllowlist: ['192.0.2.0/24', '0.0.0.0/0'] },
    });
    expect(patched.status).toBe(400);
    expect(bodyOf(patched).errors).toEqual([
      expect.objectContaining({
        pointer: '#/ipAllowlist/1',
        detail: expect.stringContaining('restricts nothing'),
      }),
    ]);
    expect(world.conformanceProblems()).toEqual([]);
  });

  it('a key acting may not widen beyond its own allowlist (403 ip_allowlist_wider) nor change its own budgets (403 own_request_controls)', async () => {
    const world = recordedWorld();
    // The test client's requests come from 203.0.113.7.
    const ops = await world.call('POST', '/service-accounts', {
      json: {
        workspaceId: 'w_sales',
        name: 'ops',
        roles: ['admin'],
        firstKey: { name: 'actor', ipAllowlist: ['203.0.113.0/24'] },
      },
    });
    const token = bodyOf(ops).key.token as string;
    const actorKeyId = bodyOf(ops).key.key.id as string;
    const { keyId } = await accountWithKey(world);
    const asKey = { as: null, headers: { 'x-api-key': token } } as const;
    const wider = await world.call('PATCH', `/keys/${keyId}`, {
      ...asKey,
      json: { ipAllowlist: ['198.51.100.0/24'] },
    });
    expect(wider.status).toBe(403);
    expect(bodyOf(wider).code).toBe('ip_allowlist_wider');
    expect(bodyOf(wider).detail).toContain('pass a narrower ipAllowlist');
    const narrower = await world.call('PATCH', `/keys/${keyId}`, {
      ...asKey,
      json: { ipAllowlist: ['203.0.113.128/25'] },
    });
    expect(narrower.status).toBe(200);
    const own = await world.call('PATCH', `/keys/${actorKeyId}`, {
      ...asKey,
      json: { credits: { remaining: 1e9 } },
    });
    expect(own.status).toBe(403);
    expect(bodyOf(own).code).toBe('own_request_controls');
    expect(world.conformanceProblems()).toEqual([]);
  });

  it('the OpenAPI document describes the new members of inputs and results', () => {
    const { api } = managementApiSetup();
    const text = JSON.stringify(api.openapi);
    for (const member of ['ipAllowlist', 'rateLimits', 'credits', 'refilledAt'])
      expect(text).toContain(member);
    expect(text).toContain('ip_allowlist_wider');
    expect(text).toContain('own_request_controls');
  });
});
