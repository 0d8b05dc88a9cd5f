import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { KeyWithAccount } from '../../../src/entries/storage.js';
import { createKeyward, type StorageAdapter } from '../../../src/index.js';
import { buildApiKeyFor, buildServiceAccount } from '../../../src/testing/fixtures.js';
import { VerificationCache } from '../../../src/verify/verification-cache.js';
import { admin, dataset } from '../../support/keyward-fixture.js';
import { probedStorage } from './support/verify-world.js';

/**
 * Two keyward instances over one storage (as two app servers over one database), a shared clock.
 * With `feed: false` the storage's change feed is hidden: a TTL-only cache, as over SQL storage
 * without a feed.
 */
function twoInstances({ feed = true } = {}) {
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
    ...(feed ? {} : { changes: { value: undefined } }),
  });
  const options = { storage, tokenPrefix: 'acme', clock: () => clock.now, cache: { ttlMs: 5_000 } };
  return { here: createKeyward(options), there: createKeyward(options), clock, reads: () => reads };
}

const read = { action: 'datasets:read' as const, resource: dataset('d_1') };

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

  it('sees changes made by another instance at once through the change feed, a new key too', async () => {
    const { here, there } = twoInstances();
    const { token, keyId } = await withKey(here);
    expect((await here.verify(token, read)).ok).toBe(true);
    const unknown = await withKey(here);
    await here.serviceAccounts.delete(admin, { id: unknown.account.id });
    expect(await here.verify(unknown.token, read)).toMatchObject({ code: 'key_not_found' });
    await there.keys.revoke(admin, { keyId });
    expect(await here.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    const fresh = await withKey(there);
    expect((await here.verify(fresh.token, read)).ok).toBe(true);
  });

  it('without a change feed, sees changes made by another instance within the ttl, and a new key at once', async () => {
    const { here, there, clock } = twoInstances({ feed: false });
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

  it('does not put back a row read before a revoke on this instance', async () => {
    const probe = probedStorage();
    const kw = createKeyward({ storage: probe.storage, tokenPrefix: 'acme', cache: { ttlMs: 60_000 } });
    const { token, keyId } = await withKey(kw);
    const held = probe.holdNext();
    const inFlight = kw.verify(token, read);
    await kw.keys.revoke(admin, { keyId });
    held.release();
    expect((await inFlight).ok).toBe(true); // it began before the revoke
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
  });

  it('does not put back a row read before an account is disabled on this instance', async () => {
    const probe = probedStorage();
    const kw = createKeyward({ storage: probe.storage, tokenPrefix: 'acme', cache: { ttlMs: 60_000 } });
    const { token, account } = await withKey(kw);
    expect((await kw.verify(token, read)).ok).toBe(true);
    await kw.serviceAccounts.update(admin, { id: account.id, name: 'renamed' }); // evicts: the next read goes to storage
    const held = probe.holdNext();
    const inFlight = kw.verify(token, read);
    await kw.serviceAccounts.disable(admin, { id: account.id });
    held.release();
    await inFlight;
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'account_disabled' });
    await kw.serviceAccounts.enable(admin, { id: account.id });
    expect((await kw.verify(token, read)).ok).toBe(true);
    const reads = probe.reads();
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect(probe.reads()).toBe(reads); // reads that began after the last change are cached again
  });

  it('forgets old change stamps within its bound, refusing reads that began before them', () => {
    const cache = new VerificationCache({
      ttlMs: 1_000,
      maxEntries: 3,
      maxUnknown: 3,
      staleWhileRevalidate: true,
    });
    const account = buildServiceAccount();
    const found = (): KeyWithAccount => ({ key: buildApiKeyFor(account), account });
    const early = cache.begin();
    for (let i = 0; i < 4; i++) cache.keyChanged(`other${i}`); // one more than the bound: a floor
    const stale = found();
    cache.set(stale, 0, early);
    expect(cache.get(stale.key.id, 0)).toBeUndefined();
    const fresh = found();
    cache.set(fresh, 0, cache.begin());
    expect(cache.get(fresh.key.id, 0)).toEqual({ found: fresh, refresh: false });
  });

  it('is validated with the rest of the configuration', () => {
    expect(() =>
      createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', cache: { ttlMs: 0 } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
