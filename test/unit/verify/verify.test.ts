import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { StorageAdapter, UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT, workspace } from '../../support/keyward-fixture.js';

/** Counts request-path reads on a real memory adapter. */
function countingStorage(): { storage: StorageAdapter; reads: () => number } {
  const inner = memoryAdapter();
  let reads = 0;
  const storage: StorageAdapter = Object.create(inner, {
    findKeyForVerification: {
      value: (args: { keyId: string }) => {
        reads++;
        return inner.findKeyForVerification(args);
      },
    },
  });
  return { storage, reads: () => reads };
}

async function issued(
  overrides: Parameters<typeof setup>[0] = {},
  accountInput: Record<string, unknown> = {},
) {
  const fixture = setup(overrides);
  const { account, key } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'k' },
    ...accountInput,
  });
  if (key === undefined) throw new Error('no key');
  return { ...fixture, account, token: key.token, keyId: key.key.id };
}

const read = { action: 'datasets:read', resource: dataset('d_1') };

describe('kw.verify', () => {
  it('accepts a valid token and returns the principal and the allowing decision', async () => {
    const { kw, token, account, keyId } = await issued();
    const result = await kw.verify(token, read);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.principal).toMatchObject({
      type: 'key',
      keyId,
      serviceAccountId: account.id,
      tenantId: TENANT,
      workspaceId: 'w_sales',
    });
    expect(result.decision).toMatchObject({
      allowed: true,
      kind: 'allow',
      reason: 'allowed',
      required: 'datasets:read',
    });
  });

  it('rejects malformed tokens without touching storage', async () => {
    const { storage, reads } = countingStorage();
    const { kw, token } = await issued({ storage });
    const before = reads();
    const bad = [
      '',
      '   ',
      `${token}x`,
      token.slice(0, -1),
      token.replace('acme_', 'beta_'),
      `${token.slice(0, -1)}!`,
      'é'.repeat(80),
      'a'.repeat(1 << 20),
    ];
    for (const candidate of [...bad, null, undefined, 42, {}, []]) {
      expect(await kw.verify(candidate, read)).toEqual({ ok: false, code: 'malformed_token' });
    }
    expect(reads()).toBe(before);
  });

  it('never throws, whatever the token and request', async () => {
    const { kw, token } = await issued();
    await fc.assert(
      fc.asyncProperty(fc.anything(), fc.anything(), async (candidate, request) => {
        const result = await kw.verify(candidate, request as never);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    const garbageRequest = await kw.verify(token, { action: 'nope:nope', resource: { tenantId: TENANT } });
    expect(garbageRequest).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(await kw.verify(token, null as never)).toMatchObject({ ok: false });
  });

  it('distinguishes unknown key id and wrong secret for the host, both failures', async () => {
    const { kw, token, keyId } = await issued();
    const other = await issued();
    expect(await kw.verify(other.token, read)).toEqual({ ok: false, code: 'key_not_found' });
    const forged = await forgeSecret(kw.tokenPrefix, keyId);
    expect(await kw.verify(forged, read)).toEqual({ ok: false, code: 'invalid_secret' });
    expect((await kw.verify(token, read)).ok).toBe(true);
  });

  it('fails at once after disable, delete, revoke or expiry on this instance', async () => {
    const { kw, token, account, keyId, clock } = await issued();
    expect((await kw.verify(token, read)).ok).toBe(true);
    await kw.serviceAccounts.disable(admin, { id: account.id });
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'account_disabled' });
    await kw.serviceAccounts.enable(admin, { id: account.id });
    expect((await kw.verify(token, read)).ok).toBe(true);
    await kw.keys.revoke(admin, { keyId });
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });

    const second = await issued({}, { firstKey: { name: 'short', expiresInSeconds: 60 } });
    expect((await second.kw.verify(second.token, read)).ok).toBe(true);
    second.clock.advance(60_000);
    expect(await second.kw.verify(second.token, read)).toMatchObject({ ok: false, code: 'key_expired' });
    await second.kw.serviceAccounts.delete(admin, { id: second.account.id });
    expect(await second.kw.verify(second.token, read)).toMatchObject({ ok: false, code: 'key_not_found' });
    expect(clock.now).toBeGreaterThan(0);
  });

  it('applies account changes to every key at once', async () => {
    const { kw, token, account } = await issued();
    const write = { action: 'datasets:write', resource: dataset('d_1') };
    expect((await kw.verify(token, write)).ok).toBe(true);
    await kw.serviceAccounts.update(admin, { id: account.id, readOnly: true });
    expect(await kw.verify(token, write)).toMatchObject({ ok: false, code: 'read_only' });
    await kw.serviceAccounts.update(admin, { id: account.id, readOnly: false, roles: ['viewer'] });
    expect(await kw.verify(token, write)).toMatchObject({ ok: false, code: 'not_granted' });
  });

  it('answers the policy reasons for binding, tenant and dataset scope', async () => {
    const { kw, token } = await issued({}, { datasetAccess: { mode: 'selected', datasetIds: ['d_1'] } });
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect(await kw.verify(token, { action: 'datasets:read', resource: dataset('d_2') })).toMatchObject({
      code: 'dataset_not_granted',
    });
    expect(await kw.verify(token, { action: 'workspace:read', resource: workspace() })).toMatchObject({
      code: 'dataset_scoped_account',
    });
    expect(
      await kw.verify(token, { action: 'datasets:read', resource: dataset('d_1', 'w_ops') }),
    ).toMatchObject({
      code: 'outside_workspace_binding',
    });
    expect(
      await kw.verify(token, { action: 'datasets:read', resource: dataset('d_1', 'w_sales', 't_other') }),
    ).toMatchObject({
      code: 'cross_tenant',
    });
  });

  it('evaluates the creator boundary on every request with the live creator boundary on', async () => {
    const creator: { -readonly [K in keyof UserActor]: UserActor[K] } = {
      type: 'user',
      id: 'u_lead',
      tenantId: TENANT,
      permissions: ['*'],
    };
    const { kw, token } = await issued({
      resolveActor: async ({ id }) => (id === creator.id ? creator : null),
      liveCreatorBoundary: true,
    });
    const { account, key } = await kw.serviceAccounts.create(creator, {
      workspaceId: 'w_sales',
      name: 'lead svc',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    const write = { action: 'datasets:write', resource: dataset('d_1') };
    expect((await kw.verify(key?.token, write)).ok).toBe(true);
    creator.permissions = ['*:read'];
    expect(await kw.verify(key?.token, write)).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
    expect((await kw.verify(key?.token, read)).ok).toBe(true);
    expect((await kw.verify(token, read)).ok).toBe(false);
    expect(account.createdBy).toEqual({ type: 'user', id: 'u_lead' });
  });

  it('does not look the creator up when the live creator boundary is off, even with resolveActor', async () => {
    let lookups = 0;
    const { kw, token } = await issued({
      resolveActor: async () => {
        lookups++;
        return null;
      },
    });
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect(lookups).toBe(0);
  });

  it('records lastUsedAt coalesced to one write per key per interval, and keeps later uses for flush', async () => {
    let touches = 0;
    const inner = memoryAdapter();
    const storage: StorageAdapter = Object.create(inner, {
      touchKeys: {
        value: (args: Parameters<StorageAdapter['touchKeys']>[0]) => {
          touches++;
          return inner.touchKeys(args);
        },
      },
    });
    const { kw, token, keyId, clock } = await issued({ storage, lastUsedIntervalMs: 60_000 });
    const lastUsed = async () => (await kw.keys.get(admin, { keyId })).lastUsedAt?.getTime();
    const firstUse = clock.now;
    for (let i = 0; i < 100; i++) await kw.verify(token, read);
    await nextTick();
    expect(touches).toBe(1);
    expect(await lastUsed()).toBe(firstUse);
    clock.advance(30_000);
    await kw.verify(token, read);
    await nextTick();
    expect(touches).toBe(1);
    clock.advance(30_000);
    await kw.verify(token, read);
    await nextTick();
    expect(touches).toBe(2);
    expect(await lastUsed()).toBe(clock.now);
    clock.advance(10_000);
    await kw.verify(token, read);
    await nextTick();
    expect(touches).toBe(2);
    await kw.close();
    expect(touches).toBe(3);
    expect((await inner.findKey({ tenantId: admin.tenantId, keyId }))?.lastUsedAt?.getTime()).toBe(clock.now);
  });
});

/** Lets the recorder's next-tick write run. */
async function nextTick(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A well-formed token for `keyId` with a secret nobody issued (valid checksum). */
async function forgeSecret(prefix: string, keyId: string): Promise<string> {
  const { formatToken } = await import('../../../src/entries/keys.js');
  return formatToken({ prefix, keyId, secret: 'Z'.repeat(43) });
}
