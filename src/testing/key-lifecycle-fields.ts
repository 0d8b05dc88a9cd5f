import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { assertDeepEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';

/**
 * The key lifecycle's fields (`metadata`, `disabledAt`, `expiryNoticeAt`) and the other fields a
 * lifecycle write changes (`name`, `scopes`, `expiresAt`, `createdBy`), through `updateKey`.
 *
 * @internal
 */
export function describeKeyLifecycleFields({ adapter, describe, it }: ConformanceContext): void {
  async function storedKey(
    overrides: Partial<ApiKey> = {},
  ): Promise<{ account: ServiceAccount; key: ApiKey }> {
    const account = buildServiceAccount();
    await adapter().insertServiceAccount({ account });
    const key = buildApiKeyFor(account, overrides);
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    return { account, key };
  }

  async function assertStored(account: ServiceAccount, expected: ApiKey): Promise<void> {
    assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: expected.id }), expected);
    assertSameRecord((await adapter().findKeyForVerification({ keyId: expected.id }))?.key, expected);
  }

  describe('key lifecycle fields', () => {
    it('a new key keeps metadata {}, disabledAt null and expiryNoticeAt null', async () => {
      const { account, key } = await storedKey();
      assertDeepEqual([key.metadata, key.disabledAt, key.expiryNoticeAt], [{}, null, null]);
      await assertStored(account, key);
    });

    it('updateKey writes every field but lastUsedAt, the lifecycle fields included', async () => {
      const { account, key } = await storedKey({ lastUsedAt: fixtureTime(5) });
      const changed: ApiKey = {
        ...key,
        name: 'renamed ✓',
        scopes: ['datasets:read'],
        expiresAt: fixtureTime(86_400_000 + 3),
        createdBy: { type: 'key', id: testKeyId(), serviceAccountId: account.id },
        metadata: { owner: 'data — team', ticket: 12, paged: false, gone: null },
        disabledAt: fixtureTime(1_000 + 7),
        expiryNoticeAt: fixtureTime(2_000 + 9),
        lastUsedAt: fixtureTime(999_999),
        updatedAt: fixtureTime(3_000),
      };
      const expected: ApiKey = { ...changed, lastUsedAt: fixtureTime(5) };
      assertSameRecord(await adapter().updateKey({ key: changed }), expected);
      await assertStored(account, expected);
    });

    it('a disabled key is enabled again by updateKey (disable is reversible), inside a transaction too', async () => {
      const { account, key } = await storedKey();
      const disabled: ApiKey = { ...key, disabledAt: fixtureTime(10), updatedAt: fixtureTime(10) };
      assertSameRecord(await adapter().updateKey({ key: disabled }), disabled);
      const enabled: ApiKey = {
        ...disabled,
        disabledAt: null,
        expiryNoticeAt: fixtureTime(20),
        metadata: { reason: 'rotated' },
        updatedAt: fixtureTime(20),
      };
      const stored = await adapter().transaction((tx) => tx.updateKey({ key: enabled }));
      assertSameRecord(stored, enabled);
      await assertStored(account, enabled);
    });

    it('a revoked key stays as it is: its lifecycle fields cannot change either', async () => {
      const { account, key } = await storedKey({
        status: 'revoked',
        revokedAt: fixtureTime(10),
        disabledAt: fixtureTime(5),
      });
      await assertConflict(adapter().updateKey({ key: { ...key, disabledAt: null } }));
      await assertConflict(adapter().updateKey({ key: { ...key, metadata: { note: 'x' } } }));
      await assertConflict(adapter().updateKey({ key: { ...key, expiryNoticeAt: fixtureTime(20) } }));
      await assertStored(account, key);
    });
  });
}
