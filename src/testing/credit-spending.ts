import type { ApiKey } from '../entities/api-key.js';
import type { KeyCredits } from '../entities/request-controls.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { SpendCreditsResult, StorageAdapter } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, assertLength } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

/** Concurrent spends of the concurrency tests. */
const SPENDERS = 50;
/** The refill interval of the refill tests: one minute. */
const MINUTE = 60_000;

/**
 * `spendCredits`: taking, refusing, the refill rule (set, not added; aligned to whole intervals),
 * unlimited and unknown keys, and exact counts under concurrent spenders on one connection and
 * across two (the peer adapter).
 *
 * @internal
 */
export function describeCreditSpending({ adapter, peer, describe, it }: ConformanceContext): void {
  async function storedKey(credits: KeyCredits | null, overrides: Partial<ApiKey> = {}): Promise<ApiKey> {
    const account: ServiceAccount = buildServiceAccount();
    await adapter().insertServiceAccount({ account });
    const key = buildApiKeyFor(account, { credits, ...overrides });
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    return key;
  }

  function spend(keyId: string, cost: number, offsetMs = 0, over: StorageAdapter = adapter()) {
    return over.spendCredits({ keyId, cost, now: fixtureTime(offsetMs) });
  }

  /** The key is stored as `key` with these credits, every other field unchanged. */
  async function assertCredits(key: ApiKey, credits: KeyCredits | null): Promise<void> {
    assertSameRecord(await adapter().findKey({ tenantId: key.tenantId, keyId: key.id }), { ...key, credits });
  }

  /** Credits refilled to `amount` every minute, last at `fixtureTime(refilledAtMs)`. */
  function refilling(remaining: number, amount: number, refilledAtMs = 0): KeyCredits {
    return { remaining, refill: { amount, intervalMs: MINUTE }, refilledAt: fixtureTime(refilledAtMs) };
  }

  describe('credit spending', () => {
    it('takes the cost and answers the balance left, changing nothing else', async () => {
      const key = await storedKey(refilling(5, 10));
      assertDeepEqual(await spend(key.id, 2, 1_000), { spent: true, remaining: 3 });
      await assertCredits(key, refilling(3, 10));
      assertDeepEqual(await spend(key.id, 1, 2_000), { spent: true, remaining: 2 });
      await assertCredits(key, refilling(2, 10));
    });

    it('refuses a cost above the balance without taking anything', async () => {
      const noRefill = await storedKey({ remaining: 1, refill: null, refilledAt: null });
      assertDeepEqual(await spend(noRefill.id, 2), { spent: false, remaining: 1, refillAt: null });
      await assertCredits(noRefill, noRefill.credits);
      const withRefill = await storedKey(refilling(0, 10));
      assertDeepEqual(await spend(withRefill.id, 1, MINUTE - 1), {
        spent: false,
        remaining: 0,
        refillAt: fixtureTime(MINUTE),
      });
      await assertCredits(withRefill, withRefill.credits);
    });

    it('takes a cost equal to the balance, down to 0, and refuses the next spend', async () => {
      const key = await storedKey({ remaining: 4, refill: null, refilledAt: null });
      assertDeepEqual(await spend(key.id, 4), { spent: true, remaining: 0 });
      assertDeepEqual(await spend(key.id, 1), { spent: false, remaining: 0, refillAt: null });
      await assertCredits(key, { remaining: 0, refill: null, refilledAt: null });
    });

    it('a due refill sets the balance to the refill amount (not added to it) before taking the cost', async () => {
      const key = await storedKey(refilling(3, 10));
      assertDeepEqual(await spend(key.id, 1, MINUTE), { spent: true, remaining: 9 });
      await assertCredits(key, refilling(9, 10, MINUTE));
      assertDeepEqual(await spend(key.id, 9, MINUTE + 1), { spent: true, remaining: 0 });
      assertDeepEqual(await spend(key.id, 1, 2 * MINUTE - 1), {
        spent: false,
        remaining: 0,
        refillAt: fixtureTime(2 * MINUTE),
      });
    });

    it('after several missed intervals a refill stays aligned to whole intervals', async () => {
      const key = await storedKey(refilling(0, 5));
      assertDeepEqual(await spend(key.id, 2, 3 * MINUTE + MINUTE / 2), { spent: true, remaining: 3 });
      await assertCredits(key, refilling(3, 5, 3 * MINUTE));
      assertDeepEqual(await spend(key.id, 4, 4 * MINUTE - 1), {
        spent: false,
        remaining: 3,
        refillAt: fixtureTime(4 * MINUTE),
      });
    });

    it('a refused spend still stores a due refill', async () => {
      const key = await storedKey(refilling(0, 2));
      assertDeepEqual(await spend(key.id, 5, 2 * MINUTE + 7), {
        spent: false,
        remaining: 2,
        refillAt: fixtureTime(3 * MINUTE),
      });
      await assertCredits(key, refilling(2, 2, 2 * MINUTE));
    });

    it('a key without credits is unlimited: every spend succeeds and nothing is written', async () => {
      const key = await storedKey(null, { lastUsedAt: fixtureTime(1) });
      assertDeepEqual(await spend(key.id, 1), { spent: true, remaining: null });
      assertDeepEqual(await spend(key.id, 1_000_000), { spent: true, remaining: null });
      await assertCredits(key, null);
    });

    it('answers null for an unknown key', async () => {
      assertEqual(await spend(testKeyId(), 1), null);
    });

    it('spends from a key whatever its status: the verifier never spends for a refused key', async () => {
      const revoked = await storedKey(refilling(2, 10), { status: 'revoked', revokedAt: fixtureTime(1) });
      assertDeepEqual(await spend(revoked.id, 1), { spent: true, remaining: 1 });
      await assertCredits(revoked, refilling(1, 10));
    });

    it(`${SPENDERS} concurrent spends of 1 against 10 credits take exactly 10`, async () => {
      const key = await storedKey({ remaining: 10, refill: null, refilledAt: null });
      const results = await Promise.all(Array.from({ length: SPENDERS }, () => spend(key.id, 1)));
      assertSpentExactly(results, 10, null);
      await assertCredits(key, { remaining: 0, refill: null, refilledAt: null });
    });

    it(`${SPENDERS} concurrent spends on adapter and peer against 10 credits take exactly 10`, async () => {
      const key = await storedKey({ remaining: 10, refill: null, refilledAt: null });
      // Also opens the peer's connection, so its spends do not all start behind a connect.
      assertSameRecord(await peer().findKey({ tenantId: key.tenantId, keyId: key.id }), key);
      const results = await Promise.all(
        Array.from({ length: SPENDERS }, (_, index) =>
          spend(key.id, 1, 0, index % 2 === 0 ? adapter() : peer()),
        ),
      );
      assertSpentExactly(results, 10, null);
      await assertCredits(key, { remaining: 0, refill: null, refilledAt: null });
    });

    it(`${SPENDERS} concurrent spends when a refill is due refill once and take exactly its amount`, async () => {
      const key = await storedKey(refilling(0, 10));
      const results = await Promise.all(
        Array.from({ length: SPENDERS }, (_, index) =>
          spend(key.id, 1, MINUTE + 5, index % 2 === 0 ? adapter() : peer()),
        ),
      );
      assertSpentExactly(results, 10, fixtureTime(2 * MINUTE));
      await assertCredits(key, refilling(0, 10, MINUTE));
    });
  });
}

/**
 * `spent` of the results took credits, one each, down to 0 (every balance from `spent - 1` to 0
 * answered once), and every other result was refused at 0, with `refillAt`.
 */
function assertSpentExactly(results: SpendCreditsResult[], spent: number, refillAt: Date | null): void {
  const taken = results.filter((result) => result?.spent === true);
  assertLength(taken, spent, 'spends that took credits');
  assertDeepEqual(
    taken.map((result) => result?.remaining).sort((a, b) => Number(a) - Number(b)),
    Array.from({ length: spent }, (_, index) => index),
    'balances answered',
  );
  assertDeepEqual(
    results.filter((result) => result?.spent === false),
    Array.from({ length: results.length - spent }, () => ({ spent: false, remaining: 0, refillAt })),
    'refused spends',
  );
}
