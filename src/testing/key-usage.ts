import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../entities/api-key.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { expectSameRecord } from './record-assertions.js';

/**
 * `touchKeys`: last-use timestamps only move forward; unknown keys are ignored.
 *
 * @internal
 */
export function describeKeyUsage({ adapter }: ConformanceContext): void {
  async function storedKey(overrides: Partial<ApiKey> = {}): Promise<ApiKey> {
    const account = buildServiceAccount();
    await adapter().insertServiceAccount({ account });
    const key = buildApiKeyFor(account, overrides);
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    return key;
  }

  async function reread(key: ApiKey): Promise<ApiKey | null> {
    return adapter().findKey({ tenantId: key.tenantId, keyId: key.id });
  }

  describe('touchKeys', () => {
    it('sets lastUsedAt of keys in any tenant and changes no other field', async () => {
      const first = await storedKey();
      const second = await storedKey({ lastUsedAt: fixtureTime(-1_000) });
      await adapter().touchKeys({
        entries: [
          { keyId: first.id, lastUsedAt: fixtureTime(5_001) },
          { keyId: second.id, lastUsedAt: fixtureTime(5_002) },
        ],
      });
      expectSameRecord(await reread(first), { ...first, lastUsedAt: fixtureTime(5_001) });
      expectSameRecord(await reread(second), { ...second, lastUsedAt: fixtureTime(5_002) });
      const listed = await adapter().listKeys({
        tenantId: first.tenantId,
        serviceAccountId: first.serviceAccountId,
        limit: 10,
      });
      expectSameRecord(listed[0], { ...first, lastUsedAt: fixtureTime(5_001) });
    });

    it('only moves lastUsedAt forward', async () => {
      const key = await storedKey({ lastUsedAt: fixtureTime(10_000) });
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(9_999) }] });
      expectSameRecord(await reread(key), key);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(10_000) }] });
      expectSameRecord(await reread(key), key);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(10_001) }] });
      expectSameRecord(await reread(key), { ...key, lastUsedAt: fixtureTime(10_001) });
    });

    it('keeps the latest time when one batch names a key several times', async () => {
      const key = await storedKey();
      await adapter().touchKeys({
        entries: [
          { keyId: key.id, lastUsedAt: fixtureTime(300) },
          { keyId: key.id, lastUsedAt: fixtureTime(700) },
          { keyId: key.id, lastUsedAt: fixtureTime(500) },
        ],
      });
      expect((await reread(key))?.lastUsedAt?.getTime()).toBe(fixtureTime(700).getTime());
    });

    it('ignores unknown keys and still updates the known ones', async () => {
      const key = await storedKey();
      const unknownId = testKeyId();
      await adapter().touchKeys({
        entries: [
          { keyId: unknownId, lastUsedAt: fixtureTime(1) },
          { keyId: key.id, lastUsedAt: fixtureTime(2) },
        ],
      });
      expect((await reread(key))?.lastUsedAt?.getTime()).toBe(fixtureTime(2).getTime());
      expect(await adapter().findKeyForVerification({ keyId: unknownId })).toBeNull();
    });

    it('accepts an empty batch', async () => {
      const key = await storedKey();
      await adapter().touchKeys({ entries: [] });
      expectSameRecord(await reread(key), key);
    });
  });
}
