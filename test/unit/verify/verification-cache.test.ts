import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, type StorageAdapter } from '../../../src/index.js';
import { admin, dataset } from '../../support/keyward-fixture.js';

/** Two keyward instances over one storage (as two app servers over one database), a shared clock. */
function twoInstances() {
  const clock = { now: Date.UTC(2026, 0, 1) };
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
  const options = { storage, tokenPrefix: 'acme', clock: () => clock.now, cache: { ttlMs: 5_000 } };
  return { here: createKeyward(options), there: createKeyward(options), clock, reads: () => reads };
}

const read = { action: 'datasets:read', resource: dataset('d_1') };

async function withKey(kw: ReturnType<typeof createKeyward>) {
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  return { account, token: key?.token as string, keyId: key?.key.id as string };
}

describe('the verification cache', () => {
  it('serves repeated verifications from memory within the ttl', async () => {
    const { here, reads } = twoInstances();
    const { token } = await withKey(here);
    for (let i = 0; i < 10; i++) expect((await here.verify(token, read)).ok).toBe(true);
    expect(reads()).toBe(1);
  });

  it('applies revoke, disable, role changes and delete made on this instance at once', async () => {
    const { here } = twoInstances();
    const first = await withKey(here);
    expect((await here.verify(first.token, read)).ok).toBe(true);
    await here.keys.revoke(admin, { keyId: first.keyId });
    expect(await here.verify(first.token, read)).toMatchObject({ ok: false, code: 'key_revoked' });

    const second = await withKey(here);
    expect((await here.verify(second.token, read)).ok).toBe(true);
    await here.serviceAccounts.disable(admin, { id: second.account.id });
    expect(await here.verify(second.token, read)).toMatchObject({ ok: false, code: 'account_disabled' });
    await here.serviceAccounts.enable(admin, { id: second.account.id });
    expect((await here.verify(second.token, read)).ok).toBe(true);
    await here.serviceAccounts.update(admin, { id: second.account.id, roles: ['analyst'], readOnly: true });
    expect(await here.verify(second.token, { ...read, action: 'datasets:write' })).toMatchObject({
      code: 'read_only',
    });
    await here.serviceAccounts.delete(admin, { id: second.account.id });
    expect(await here.verify(second.token, read)).toMatchObject({ ok: false, code: 'key_not_found' });
  });

  it('sees changes made by another instance within the ttl, and a new key at once', async () => {
    const { here, there, clock } = twoInstances();
    const { token, keyId } = await withKey(here);
    expect((await here.verify(token, read)).ok).toBe(true);
    await there.keys.revoke(admin, { keyId });
    expect((await there.verify(token, read)).ok).toBe(false);
    expect((await here.verify(token, read)).ok).toBe(true);
    clock.now += 5_000;
    expect(await here.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    const fresh = await withKey(there);
    expect((await here.verify(fresh.token, read)).ok).toBe(true);
  });

  it('is validated with the rest of the configuration', () => {
    expect(() =>
      createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', cache: { ttlMs: 0 } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
