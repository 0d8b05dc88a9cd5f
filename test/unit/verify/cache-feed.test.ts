/**
 * The verification cache under a change feed: on by default, trusted only while the feed is live,
 * dropped whole on a gap, caught up with `sync()` before serving, unknown ids remembered until a
 * key is created, rows past the TTL served once while read again. The feed here is a plain
 * implementation of the contract driven by the test (the real feeds have their own tests over
 * PostgreSQL, SQLite and Redis).
 */
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../../src/storage/change-feed.js';
import type { StorageAdapter } from '../../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../../src/testing/fixtures.js';
import { VerificationCache } from '../../../src/verify/verification-cache.js';
import { admin, dataset, setup } from '../../support/keyward-fixture.js';

const read = { action: 'datasets:read' as const, resource: dataset('d_1') };

/** A feed the test drives: deliveries, gaps, liveness and sync calls are the test's. */
class DrivenFeed implements ChangeFeed {
  readonly name = 'driven';
  live = true;
  listener: ChangeFeedListener | undefined;
  syncs = 0;
  /** Changes `sync()` delivers on its next call. */
  pending: StorageChange[] = [];
  published: StorageChange[] = [];
  async start(listener: ChangeFeedListener): Promise<void> {
    this.listener = listener;
  }
  sync(): void {
    this.syncs++;
    if (this.pending.length > 0) this.listener?.changed(this.pending.splice(0));
  }
  async publish(changes: readonly StorageChange[]): Promise<void> {
    this.published.push(...changes);
  }
  async stop(): Promise<void> {
    this.live = false;
  }
}

/** A memory storage without its own feed (like SQL storage), counting the request path's reads. */
function sqlLike() {
  const inner = memoryAdapter();
  let reads = 0;
  const storage: StorageAdapter = Object.create(inner, {
    changes: { value: undefined },
    findKeyForVerification: {
      value: (args: { keyId: string }) => {
        reads++;
        return inner.findKeyForVerification(args);
      },
    },
  });
  return { storage, reads: () => reads };
}

async function world() {
  const feed = new DrivenFeed();
  const counted = sqlLike();
  const { kw, clock } = setup({ storage: counted.storage, changes: feed });
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  return {
    kw,
    clock,
    feed,
    storage: counted.storage,
    reads: counted.reads,
    token: key?.token as string,
    keyId: key?.key.id as string,
    account,
  };
}

describe('the cache with a change feed', () => {
  it('is on by default, catches up with sync() before serving, and publishes this instance’s changes', async () => {
    const w = await world();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    const reads = w.reads();
    const syncs = w.feed.syncs;
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    expect(w.reads()).toBe(reads);
    expect(w.feed.syncs).toBe(syncs + 1);
    await w.kw.keys.revoke(admin, { keyId: w.keyId });
    expect(w.feed.published).toContainEqual({ kind: 'key', id: w.keyId });
  });

  it('evicts what another instance changed, delivered by sync() before the cached row is served', async () => {
    const w = await world();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    // Another instance revokes: straight in storage, this instance hears nothing but the feed.
    const stored = await w.storage.findKey({ tenantId: w.account.tenantId, keyId: w.keyId });
    if (stored === null) throw new Error('key gone');
    await w.storage.updateKey({ key: { ...stored, status: 'revoked', revokedAt: new Date(w.clock.now) } });
    expect((await w.kw.verify(w.token, read)).ok).toBe(true); // no notice yet: the cached row
    w.feed.pending.push({ kind: 'key', id: w.keyId });
    expect(await w.kw.verify(w.token, read)).toMatchObject({ code: 'key_revoked' });
  });

  it('serves nothing cached while the feed is not live, and drops everything on a gap', async () => {
    const w = await world();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    let reads = w.reads();
    w.feed.live = false;
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    expect(w.reads()).toBe(reads + 1);
    w.feed.listener?.gap();
    w.feed.live = true;
    reads = w.reads();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    expect(w.reads()).toBe(reads + 1);
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    expect(w.reads()).toBe(reads + 1);
  });

  it('remembers unknown key ids until a key with that id is created anywhere', async () => {
    const w = await world();
    // Deleting the account makes the key's id one no key has.
    await w.kw.serviceAccounts.delete(admin, { id: w.account.id });
    expect(await w.kw.verify(w.token, read)).toMatchObject({ code: 'key_not_found' });
    const reads = w.reads();
    for (let i = 0; i < 5; i++)
      expect(await w.kw.verify(w.token, read)).toMatchObject({ code: 'key_not_found' });
    expect(w.reads()).toBe(reads);
    // A key with that id is created (by another instance): the feed tells, the id is read again.
    w.feed.pending.push({ kind: 'key', id: w.keyId });
    await w.kw.verify(w.token, read);
    expect(w.reads()).toBe(reads + 1);
  });

  it('tells a feed that publishes (Redis) of every key it creates (first keys too), so other instances forget the id as unknown', async () => {
    const w = await world();
    expect(w.feed.published).toContainEqual({ kind: 'key', id: w.keyId });
    const issued = await w.kw.keys.issue(admin, { serviceAccountId: w.account.id, key: { name: 'second' } });
    expect(w.feed.published).toContainEqual({ kind: 'key', id: issued.key.id });
  });

  it('serves a row past its TTL once while reading it again, and never after a change', async () => {
    const w = await world();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true);
    w.clock.advance(61_000);
    const reads = w.reads();
    expect((await w.kw.verify(w.token, read)).ok).toBe(true); // stale, refresh started
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(w.reads()).toBe(reads + 1);
    w.feed.pending.push({ kind: 'key', id: w.keyId });
    await w.kw.keys.revoke(admin, { keyId: w.keyId });
    expect(await w.kw.verify(w.token, read)).toMatchObject({ code: 'key_revoked' });
  });
});

describe('VerificationCache', () => {
  const options = { ttlMs: 1_000, maxEntries: 10, maxUnknown: 2, staleWhileRevalidate: true };

  it('forgets an unknown id when a key with it is created, and keeps at most maxUnknown', () => {
    const cache = new VerificationCache(options);
    cache.setUnknown('a', 0, cache.begin());
    expect(cache.get('a', 1)).toBe('unknown');
    cache.changed([{ kind: 'key', id: 'a' }]);
    expect(cache.get('a', 1)).toBeUndefined();
    for (const id of ['b', 'c', 'd']) cache.setUnknown(id, 0, cache.begin());
    expect(['b', 'c', 'd'].map((id) => cache.get(id, 1))).toEqual([undefined, 'unknown', 'unknown']);
  });

  it('evicts an account’s keys through its index, keeps at most maxEntries, and drops all on a gap', () => {
    const cache = new VerificationCache(options);
    const account = buildServiceAccount();
    const other = buildServiceAccount();
    const rows = Array.from({ length: 3 }, () => ({ key: buildApiKeyFor(account), account }));
    const foreign = { key: buildApiKeyFor(other), account: other };
    for (const row of [...rows, foreign]) cache.set(row, 0, cache.begin());
    cache.changed([{ kind: 'account', id: account.id }]);
    expect(rows.map((row) => cache.get(row.key.id, 1))).toEqual([undefined, undefined, undefined]);
    expect(cache.get(foreign.key.id, 1)).toEqual({ found: foreign, refresh: false });
    for (let i = 0; i < 25; i++) cache.set({ key: buildApiKeyFor(other), account: other }, 0, cache.begin());
    expect(cache.size).toBeLessThanOrEqual(10);
    const began = cache.begin();
    cache.dropAll();
    expect(cache.size).toBe(0);
    cache.set(foreign, 0, began); // a read that began before the gap is not kept
    expect(cache.get(foreign.key.id, 1)).toBeUndefined();
  });
});
