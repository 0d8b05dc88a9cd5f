import type { ServiceAccount } from '../entities/service-account.js';
import type { InsertKeyResult } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, assertLength, rejection } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

/** The error the tests throw from inside a transaction. */
class DeliberateFailure extends Error {}

/**
 * Transactions next to other callers: outside readers see committed data only, and the key
 * limit holds across concurrent transactions and direct writes.
 *
 * @internal
 */
export function describeTransactionConcurrency({ adapter, describe, it }: ConformanceContext): void {
  describe('transactions under concurrency', () => {
    it('writes of an unfinished transaction are not visible outside it', async () => {
      const existing = buildServiceAccount();
      await adapter().insertServiceAccount({ account: existing });
      const account = buildServiceAccount({ tenantId: existing.tenantId });
      const failure = new DeliberateFailure('never committed');
      let outsideNew: Promise<unknown> = Promise.resolve('not started');
      let outsideExisting: Promise<ServiceAccount | null> = Promise.resolve(null);
      const outcome = adapter().transaction(async (tx) => {
        await tx.insertServiceAccount({ account });
        await tx.updateServiceAccount({
          account: { ...existing, name: 'uncommitted', version: 2 },
          expectedVersion: 1,
        });
        outsideNew = adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
        outsideExisting = adapter().findServiceAccount({ tenantId: existing.tenantId, id: existing.id });
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw failure;
      });
      assertEqual(await rejection(outcome), failure);
      assertEqual(await outsideNew, null);
      assertSameRecord(await outsideExisting, existing);
    });

    it('direct inserts issued while a transaction holds a new key still respect the limit', async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const now = fixtureTime();
      let direct: Promise<InsertKeyResult[]> = Promise.resolve([]);
      const inTransaction = await adapter().transaction(async (tx) => {
        const result = await tx.insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 2, now });
        direct = Promise.all(
          Array.from({ length: 3 }, () =>
            adapter().insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 2, now }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        return result;
      });
      assertDeepEqual(inTransaction, { inserted: true });
      assertLength(
        (await direct).filter((result) => result.inserted),
        1,
      );
      const keys = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 100,
      });
      assertLength(keys, 2);
    });

    it('concurrent transactions keep the key limit and write one audit event per inserted key', async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const attempts = Array.from({ length: 20 }, () =>
        adapter().transaction(async (tx) => {
          const key = buildApiKeyFor(account);
          const result = await tx.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
          if (result.inserted) {
            const target = { type: 'api_key' as const, id: key.id };
            await tx.insertAuditEvent({
              event: buildAuditEvent({ tenantId: account.tenantId, action: 'api_key.issue', target }),
            });
          }
          return result;
        }),
      );
      const results = await Promise.all(attempts);
      assertLength(
        results.filter((result) => result.inserted),
        2,
      );
      const keys = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 100,
      });
      const events = await adapter().listAuditEvents({ tenantId: account.tenantId, limit: 100 });
      assertLength(keys, 2);
      assertDeepEqual(events.map((event) => event.target.id).sort(), keys.map((key) => key.id).sort());
    });
  });
}
