import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { generateKeyId, generateSecret } from '../../../src/keys/random-base62.js';
import { formatToken } from '../../../src/keys/token-format.js';
import type { StorageAdapter } from '../../../src/storage/storage-adapter.js';
import { admin, dataset, setup } from '../../support/keyward-fixture.js';

const READ = { action: 'datasets:read', resource: dataset('d_1') } as const;
const MINUTE = 60_000;

/** A memory adapter that counts the request path's storage reads. */
function counting(): { storage: StorageAdapter; reads: () => number } {
  const inner = memoryAdapter();
  let reads = 0;
  const storage: StorageAdapter = {
    ...inner,
    findKeyForVerification: (args) => {
      reads++;
      return inner.findKeyForVerification(args);
    },
  };
  return { storage, reads: () => reads };
}

/** A well-formed token (the CRC checks out) for a key id that does not exist. */
function unknownKeyToken(): string {
  return formatToken({ prefix: 'acme', keyId: generateKeyId(), secret: generateSecret() });
}

/**
 * The failed-verification throttle under concurrent guesses: an address with failures on record
 * verifies at most its remaining budget at once (each verification in flight takes a failure in
 * advance and gives it back unless it fails), so a wave of guesses after one token's refill gets
 * one guess to storage, not the whole wave. A fresh address's first burst is counted as it fails.
 */
describe('the failed-verification throttle under concurrent requests', () => {
  const wave = (kw: ReturnType<typeof setup>['kw'], size: number) =>
    Promise.all(
      Array.from({ length: size }, () => kw.verify(unknownKeyToken(), { ...READ, ip: '198.51.100.7' })),
    );

  it('lets a concurrent wave of an address that has failed reach storage only within its remaining budget', async () => {
    const counted = counting();
    const { kw } = setup({
      storage: counted.storage,
      failedVerificationThrottle: { limit: 5, windowMs: MINUTE },
    });
    await kw.verify(unknownKeyToken(), { ...READ, ip: '198.51.100.7' });
    const before = counted.reads();
    const results = await wave(kw, 200);
    expect(counted.reads() - before).toBe(4);
    expect(results.filter((result) => !result.ok && result.code === 'too_many_failures')).toHaveLength(196);
  });

  it('keeps a spent budget spent: a wave after one refill gets one guess through, not the whole wave', async () => {
    const counted = counting();
    const { kw, clock } = setup({
      storage: counted.storage,
      failedVerificationThrottle: { limit: 5, windowMs: MINUTE },
    });
    await wave(kw, 100);
    const before = counted.reads();
    clock.advance(MINUTE / 5); // one failure's worth of budget back
    await wave(kw, 100);
    expect(counted.reads() - before).toBe(1);
  });

  it('gives back the failure a valid verification took in advance', async () => {
    const { kw } = setup({ failedVerificationThrottle: { limit: 3, windowMs: MINUTE } });
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    const ip = '198.51.100.8';
    await kw.verify(unknownKeyToken(), { ...READ, ip });
    // Two valid verifications at once: both admitted within the budget, neither spends it.
    const valid = await Promise.all([0, 1].map(() => kw.verify(key?.token as string, { ...READ, ip })));
    expect(valid.map((result) => result.ok)).toEqual([true, true]);
    const after = [];
    for (let i = 0; i < 3; i++) after.push(await kw.verify(unknownKeyToken(), { ...READ, ip }));
    expect(after.map((result) => (result.ok ? 'ok' : result.code))).toEqual([
      'key_not_found',
      'key_not_found',
      'too_many_failures',
    ]);
  });
});
