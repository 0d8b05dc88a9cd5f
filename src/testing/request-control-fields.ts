import type { ApiKey } from '../entities/api-key.js';
import type { KeyCredits } from '../entities/request-controls.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { assertDeepEqual, assertEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';
import { richApiKey, richServiceAccount } from './rich-records.js';

/** The error the rollback test throws from inside a transaction. */
class DeliberateFailure extends Error {}

/** Credits with a daily refill, last refilled at `fixtureTime(offsetMs)`. */
function dailyCredits(remaining: number, offsetMs = 0): KeyCredits {
  return { remaining, refill: { amount: 1_000, intervalMs: 86_400_000 }, refilledAt: fixtureTime(offsetMs) };
}

/**
 * The request-path controls' stored fields: an account's and a key's `ipAllowlist` and
 * `rateLimits`, a key's `credits`, through every write and read; `updateKey` keeping the stored
 * credits; and `setKeyCredits`.
 *
 * @internal
 */
export function describeRequestControlFields({ adapter, describe, it }: ConformanceContext): void {
  async function storedKey(
    keyOverrides: Partial<ApiKey> = {},
    account: ServiceAccount = buildServiceAccount(),
  ): Promise<{ account: ServiceAccount; key: ApiKey }> {
    await adapter().insertServiceAccount({ account });
    const key = buildApiKeyFor(account, keyOverrides);
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    return { account, key };
  }

  /** Every read of a key (and of its account) returns `key` (and `account`) exactly. */
  async function assertStored(account: ServiceAccount, key: ApiKey): Promise<void> {
    const { tenantId } = account;
    assertSameRecord(await adapter().findKey({ tenantId, keyId: key.id }), key);
    const verification = await adapter().findKeyForVerification({ keyId: key.id });
    assertSameRecord(verification?.key, key);
    assertSameRecord(verification?.account, account);
    const listed = await adapter().listKeys({ tenantId, serviceAccountId: account.id, limit: 10 });
    assertSameRecord(
      listed.find((found) => found.id === key.id),
      key,
    );
    const queried = await adapter().queryKeys({ tenantId, now: fixtureTime(), limit: 10 });
    assertSameRecord(
      queried.find((found) => found.id === key.id),
      key,
    );
    assertSameRecord(await adapter().findServiceAccount({ tenantId, id: account.id }), account);
  }

  describe('request control fields', () => {
    it('a new account and key read back with no allowlist, no rate limits and unlimited credits', async () => {
      const { account, key } = await storedKey();
      assertDeepEqual([account.ipAllowlist, account.rateLimits], [null, []]);
      assertDeepEqual([key.ipAllowlist, key.rateLimits, key.credits], [null, [], null]);
      await assertStored(account, key);
    });

    it("an account's allowlist and rate limits round-trip through insert, update, find and lists", async () => {
      const account = richServiceAccount(testTenantId());
      const { key } = await storedKey({}, account);
      await assertStored(account, key);
      const listed = await adapter().listServiceAccounts({ tenantId: account.tenantId, limit: 10 });
      assertSameRecord(listed[0], account);
      const cleared: ServiceAccount = { ...account, ipAllowlist: null, rateLimits: [], version: 8 };
      assertSameRecord(
        await adapter().updateServiceAccount({ account: cleared, expectedVersion: 7 }),
        cleared,
      );
      await assertStored(cleared, key);
      const reset: ServiceAccount = {
        ...cleared,
        ipAllowlist: ['0.0.0.0/0'],
        rateLimits: [{ name: 'default', limit: 1, windowMs: 1_000 }],
        version: 9,
      };
      assertSameRecord(await adapter().updateServiceAccount({ account: reset, expectedVersion: 8 }), reset);
      await assertStored(reset, key);
    });

    it("a key's allowlist, rate limits and credits round-trip through insert, find, lists and verification", async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const key = richApiKey(account);
      await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
      await assertStored(account, key);
      const inTransaction = buildApiKeyFor(account, {
        credits: { remaining: 0, refill: null, refilledAt: null },
        createdAt: fixtureTime(1),
      });
      await adapter().transaction((tx) =>
        tx.insertKeyIfUnderLimit({ key: inTransaction, limit: 10, now: fixtureTime() }),
      );
      await assertStored(account, inTransaction);
    });

    it('updateKey writes allowlist and rate limits but keeps the stored credits', async () => {
      const { account, key } = await storedKey({ credits: dailyCredits(7) });
      const changed: ApiKey = {
        ...key,
        ipAllowlist: ['192.0.2.0/24'],
        rateLimits: [{ name: 'default', limit: 10, windowMs: 60_000 }],
        credits: dailyCredits(999_999, 5),
        updatedAt: fixtureTime(10),
      };
      const expected: ApiKey = { ...changed, credits: key.credits };
      assertSameRecord(await adapter().updateKey({ key: changed }), expected);
      await assertStored(account, expected);
      const unlimited: ApiKey = { ...expected, credits: null, updatedAt: fixtureTime(20) };
      assertSameRecord(await adapter().updateKey({ key: unlimited }), { ...unlimited, credits: key.credits });
      const limited = await storedKey();
      const withCredits: ApiKey = { ...limited.key, credits: dailyCredits(1) };
      const kept = await adapter().transaction((tx) => tx.updateKey({ key: withCredits }));
      assertSameRecord(kept, { ...withCredits, credits: null });
      await assertStored(limited.account, limited.key);
    });

    it('setKeyCredits sets, replaces and clears the credits and changes nothing else, updatedAt included', async () => {
      const { account, key } = await storedKey({ lastUsedAt: fixtureTime(3) });
      const { tenantId } = account;
      const set = { ...key, credits: dailyCredits(100, 7) };
      assertSameRecord(await adapter().setKeyCredits({ tenantId, keyId: key.id, credits: set.credits }), set);
      await assertStored(account, set);
      const noRefill = { ...key, credits: { remaining: 0, refill: null, refilledAt: null } };
      assertSameRecord(
        await adapter().setKeyCredits({ tenantId, keyId: key.id, credits: noRefill.credits }),
        noRefill,
      );
      await assertStored(account, noRefill);
      assertSameRecord(await adapter().setKeyCredits({ tenantId, keyId: key.id, credits: null }), key);
      await assertStored(account, key);
    });

    it('setKeyCredits answers null for an unknown key and for a key of another tenant, writing nothing', async () => {
      const { account, key } = await storedKey();
      const credits = dailyCredits(5);
      assertEqual(
        await adapter().setKeyCredits({ tenantId: account.tenantId, keyId: testKeyId(), credits }),
        null,
      );
      assertEqual(await adapter().setKeyCredits({ tenantId: testTenantId(), keyId: key.id, credits }), null);
      await assertStored(account, key);
    });

    it('setKeyCredits on a revoked key throws CONFLICT and writes nothing', async () => {
      const { account, key } = await storedKey({
        status: 'revoked',
        revokedAt: fixtureTime(1),
        credits: dailyCredits(5),
      });
      await assertConflict(
        adapter().setKeyCredits({ tenantId: account.tenantId, keyId: key.id, credits: dailyCredits(6) }),
      );
      await assertConflict(
        adapter().setKeyCredits({ tenantId: account.tenantId, keyId: key.id, credits: null }),
      );
      await assertStored(account, key);
    });

    it('setKeyCredits inside a transaction is seen by it, commits with updateKey, and rolls back with it', async () => {
      const { account, key } = await storedKey();
      const { tenantId } = account;
      const failure = new DeliberateFailure('boom');
      const rolledBack = adapter().transaction(async (tx) => {
        await tx.setKeyCredits({ tenantId, keyId: key.id, credits: dailyCredits(5) });
        assertDeepEqual((await tx.findKey({ tenantId, keyId: key.id }))?.credits, dailyCredits(5));
        throw failure;
      });
      assertEqual(await rolledBack.catch((error: unknown) => error), failure);
      await assertStored(account, key);
      const committed = { ...key, credits: dailyCredits(9), updatedAt: fixtureTime(30) };
      await adapter().transaction(async (tx) => {
        await tx.setKeyCredits({ tenantId, keyId: key.id, credits: committed.credits });
        await tx.updateKey({ key: { ...key, updatedAt: committed.updatedAt } });
      });
      await assertStored(account, committed);
    });
  });
}
