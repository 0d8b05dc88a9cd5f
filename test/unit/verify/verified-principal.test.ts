import { describe, expect, it } from 'vitest';
import type { Keyward, VerifiedPrincipal, VerifyResult } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { seededWorld, userRef } from './support/verify-world.js';

/** Every object reachable from `value` is frozen. */
function deeplyFrozen(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return true;
  seen.add(value);
  if (!Object.isFrozen(value)) return false;
  return Object.values(value).every((child) => deeplyFrozen(child, seen));
}

async function selectedAccountKey(kw: Keyward, roles = ['admin']) {
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles,
    datasetAccess: { mode: 'selected', datasetIds: ['d_1'] },
    firstKey: { name: 'prod', scopes: ['datasets:*', 'api_keys:manage', 'service_accounts:read'] },
  });
  if (key === undefined) throw new Error('no key');
  return { account, token: key.token, keyId: key.key.id };
}

function principalOf(result: VerifyResult): VerifiedPrincipal {
  if (!result.ok) throw new Error(`not verified: ${result.code}`);
  return result.principal;
}

const readD1 = { action: 'datasets:read', resource: dataset('d_1') };
const readD2 = { action: 'datasets:read', resource: dataset('d_2') };

describe('the principal verify returns', () => {
  it('is plain data: it serialises to JSON with the key and account facts', async () => {
    const { kw } = setup();
    const { account, token, keyId } = await selectedAccountKey(kw);
    const principal = principalOf(await kw.verify(token, readD1));
    expect(JSON.parse(JSON.stringify(principal))).toEqual({
      type: 'key',
      keyId,
      serviceAccountId: account.id,
      tenantId: TENANT,
      workspaceId: 'w_sales',
      environment: 'live',
      name: 'prod',
      serviceAccountName: 'etl',
      roles: ['admin'],
      scopes: ['datasets:*', 'api_keys:manage', 'service_accounts:read'],
      readOnly: false,
      datasetAccess: { mode: 'selected', datasetIds: ['d_1'] },
      expiresAt: null,
      createdBy: { type: 'user', id: 'u_admin' },
      regeneratedBy: null,
    });
  });

  it('is deeply frozen: mutations throw and never widen a later request', async () => {
    const { kw } = setup();
    const { token } = await selectedAccountKey(kw);
    const result = await kw.verify(token, readD1);
    const principal = principalOf(result);
    expect(deeplyFrozen(principal)).toBe(true);
    expect(deeplyFrozen(result.decision)).toBe(true);
    const datasetAccess = principal.datasetAccess as unknown as { datasetIds: string[] };
    expect(() => datasetAccess.datasetIds.push('d_2')).toThrow(TypeError);
    expect(() => (principal.roles as string[]).push('owner')).toThrow(TypeError);
    expect(() => {
      (principal as { readOnly: boolean }).readOnly = true;
    }).toThrow(TypeError);
    expect(() => {
      (principal as { tenantId: string }).tenantId = 't_other';
    }).toThrow(TypeError);
    expect(await kw.verify(token, readD2)).toMatchObject({ ok: false, code: 'dataset_not_granted' });
    expect(kw.authorize(principal, 'datasets:read', dataset('d_2')).reason).toBe('dataset_not_granted');
  });

  it('is one shared object while the key and its account are unchanged, and a new one after a change', async () => {
    const { kw } = setup();
    const { account, token } = await selectedAccountKey(kw);
    const first = principalOf(await kw.verify(token, readD1));
    expect(principalOf(await kw.verify(token, readD1))).toBe(first);
    await kw.serviceAccounts.update(admin, { id: account.id, name: 'etl-2' });
    const second = principalOf(await kw.verify(token, readD1));
    expect(second).not.toBe(first);
    expect(second.serviceAccountName).toBe('etl-2');
  });

  it('comes with a deeply frozen, serialisable decision, traced or not', async () => {
    const { kw } = setup();
    const { token } = await selectedAccountKey(kw);
    for (const explain of [false, true]) {
      for (const request of [readD1, readD2, { action: 'nope:nope', resource: dataset('d_1') }]) {
        const result = await kw.verify(token, { ...request, explain });
        expect(result.decision).toBeDefined();
        expect(deeplyFrozen(result.decision)).toBe(true);
        if (result.ok) expect(deeplyFrozen(result.principal)).toBe(true);
        expect(JSON.parse(JSON.stringify(result.decision))).toEqual(result.decision);
        if (explain) expect(result.decision?.trace?.length).toBeGreaterThan(0);
      }
    }
  });

  it('authorizes through kw.authorize within the rights it was verified with', async () => {
    const { kw } = setup();
    const { token } = await selectedAccountKey(kw);
    const principal = principalOf(await kw.verify(token, readD1));
    expect(kw.authorize(principal, 'datasets:write', dataset('d_1')).allowed).toBe(true);
    expect(
      kw.authorize(principal, 'workspace:read', { tenantId: TENANT, workspaceId: 'w_sales' }).reason,
    ).toBe('dataset_scoped_account');
  });

  it('carries the live creator boundary it was verified with into kw.authorize', async () => {
    const world = seededWorld();
    world.users.set('u_lead', ['*:read']);
    const key = await world.key(await world.account(), userRef('u_lead'));
    const principal = principalOf(await world.kw.verify(key.token, readD1));
    expect(world.kw.authorize(principal, 'datasets:write', dataset('d_1')).reason).toBe(
      'exceeds_creator_rights',
    );
  });

  it('is refused when forged: a copy or a parsed look-alike is not a principal', async () => {
    const { kw } = setup();
    const { token } = await selectedAccountKey(kw);
    const principal = principalOf(await kw.verify(token, readD1));
    for (const forged of [{ ...principal }, JSON.parse(JSON.stringify(principal))]) {
      expect(() => kw.authorize(forged, 'datasets:read', dataset('d_1'))).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
      await expect(kw.serviceAccounts.get(forged, { id: principal.serviceAccountId })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  it('acts as a management actor within its rights', async () => {
    const { kw } = setup();
    const { account, token } = await selectedAccountKey(kw);
    const principal = principalOf(await kw.verify(token, readD1));
    // Recognised as an actor (not INVALID_INPUT), and held to its rights: a dataset-scoped key
    // may not call workspace-level management.
    await expect(kw.serviceAccounts.get(principal, { id: account.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { reason: 'dataset_scoped_account' },
    });
    await expect(
      kw.serviceAccounts.create(principal, { workspaceId: 'w_sales', name: 'child', roles: ['viewer'] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is not a principal of another keyward instance', async () => {
    const one = setup();
    const other = setup();
    const { token } = await selectedAccountKey(one.kw);
    const principal = principalOf(await one.kw.verify(token, readD1));
    expect(() => other.kw.authorize(principal, 'datasets:read', dataset('d_1'))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('still accepts a key compiled by kw.policy.compileKey', () => {
    const { kw } = setup();
    const compiled = kw.policy.compileKey({
      tenantId: TENANT,
      workspaceId: 'w_sales',
      serviceAccountId: 'sa_0000000000000001',
      keyId: 'k000000000000001',
      environment: 'live',
      roles: ['viewer'],
      scopes: null,
      readOnly: false,
      datasetAccess: { mode: 'all' },
      accountStatus: 'active',
      keyStatus: 'active',
      expiresAt: null,
      creator: null,
    });
    expect(kw.authorize(compiled, 'datasets:read', dataset('d_1')).allowed).toBe(true);
  });
});
