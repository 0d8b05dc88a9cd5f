import type { ApiKey } from '../entities/api-key.js';
import { assertEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

/**
 * `touchKeys`: last-use timestamps only move forward; unknown keys are ignored.
 *
 * @internal
 */
export function describeKeyUsage({ adapter, describe, it }: ConformanceContext): void {
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
      assertSameRecord(await reread(first), { ...first, lastUsedAt: fixtureTime(5_001) });
      assertSameRecord(await reread(second), { ...second, lastUsedAt: fixtureTime(5_002) });
      const listed = await adapter().listKeys({
        tenantId: first.tenantId,
        serviceAccountId: first.serviceAccountId,
        limit: 10,
      });
      assertSameRecord(listed[0], { ...first, lastUsedAt: fixtureTime(5_001) });
    });

    it('only moves lastUsedAt forward', async () => {
      const key = await storedKey({ lastUsedAt: fixtureTime(10_000) });
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(9_999) }] });
      assertSameRecord(await reread(key), key);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(10_000) }] });
      assertSameRecord(await reread(key), key);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(10_001) }] });
      assertSameRecord(await reread(key), { ...key, lastUsedAt: fixtureTime(10_001) });
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
      assertEqual((await reread(key))?.lastUsedAt?.getTime(), fixtureTime(700).getTime());
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
      assertEqual((await reread(key))?.lastUsedAt?.getTime(), fixtureTime(2).getTime());
      assertEqual(await adapter().findKeyForVerification({ keyId: unknownId }), null);
    });

    it('accepts an empty batch', async () => {
      const key = await storedKey();
      await adapter().touchKeys({ entries: [] });
      assertSameRecord(await reread(key), key);
    });
  });
}
