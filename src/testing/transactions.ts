import type { ServiceAccount } from '../entities/service-account.js';
import type { InsertKeyResult } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, rejection } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';

/** The error the rollback tests throw from inside a transaction. */
class DeliberateFailure extends Error {}

/**
 * Transactions: commit, rollback of every write, read-your-writes, isolation from outside
 * readers, and the key limit across concurrent transactions.
 *
 * @internal
 */
export function describeTransactions({ adapter, describe, it }: ConformanceContext): void {
  async function storedAccountWithKey(): Promise<{
    account: ServiceAccount;
    key: ReturnType<typeof buildApiKeyFor>;
  }> {
    const account = buildServiceAccount();
    await adapter().insertServiceAccount({ account });
    const key = buildApiKeyFor(account);
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    return { account, key };
  }

  describe('transactions', () => {
    it('commits every write together and resolves with the callback value', async () => {
      const account = buildServiceAccount();
      const key = buildApiKeyFor(account);
      const event = buildAuditEvent({
        tenantId: account.tenantId,
        target: { type: 'service_account', id: account.id },
      });
      const result = await adapter().transaction(async (tx) => {
        await tx.insertServiceAccount({ account });
        await tx.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
        await tx.insertAuditEvent({ event });
        return 'committed';
      });
      assertEqual(result, 'committed');
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
      assertSameRecord((await adapter().findKeyForVerification({ keyId: key.id }))?.key, key);
      assertSameRecord(
        (await adapter().listAuditEvents({ tenantId: account.tenantId, limit: 10 }))[0],
        event,
      );
    });

    it('a throw rolls back every write made in the transaction and rethrows the same error', async () => {
      const { account: existing, key: existingKey } = await storedAccountWithKey();
      const account = buildServiceAccount({ tenantId: existing.tenantId });
      const key = buildApiKeyFor(account);
      const failure = new DeliberateFailure('boom');
      const outcome = adapter().transaction(async (tx) => {
        await tx.insertServiceAccount({ account });
        await tx.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
        await tx.insertAuditEvent({ event: buildAuditEvent({ tenantId: existing.tenantId }) });
        await tx.updateServiceAccount({
          account: { ...existing, name: 'changed', version: 2 },
          expectedVersion: 1,
        });
        await tx.updateKey({ key: { ...existingKey, status: 'revoked', revokedAt: fixtureTime() } });
        throw failure;
      });
      assertEqual(await rejection(outcome), failure);
      const storage = adapter();
      assertEqual(await storage.findServiceAccount({ tenantId: account.tenantId, id: account.id }), null);
      assertEqual(await storage.findKeyForVerification({ keyId: key.id }), null);
      assertDeepEqual(await storage.listAuditEvents({ tenantId: existing.tenantId, limit: 10 }), []);
      assertSameRecord(
        await storage.findServiceAccount({ tenantId: existing.tenantId, id: existing.id }),
        existing,
      );
      assertSameRecord(
        await storage.findKey({ tenantId: existing.tenantId, keyId: existingKey.id }),
        existingKey,
      );
    });

    it('a rolled back delete keeps the account and its keys', async () => {
      const { account, key } = await storedAccountWithKey();
      const failure = new DeliberateFailure('undo delete');
      const outcome = adapter().transaction(async (tx) => {
        assertEqual(await tx.deleteServiceAccount({ tenantId: account.tenantId, id: account.id }), true);
        throw failure;
      });
      assertEqual(await rejection(outcome), failure);
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertSameRecord(found?.account, account);
      assertSameRecord(found?.key, key);
    });

    it('reads inside a transaction see its own writes', async () => {
      const { account: existing } = await storedAccountWithKey();
      const account = buildServiceAccount({ tenantId: existing.tenantId, createdAt: fixtureTime(1) });
      const key = buildApiKeyFor(account);
      const event = buildAuditEvent({ tenantId: account.tenantId });
      await adapter().transaction(async (tx) => {
        const tenantId = account.tenantId;
        await tx.insertServiceAccount({ account });
        assertSameRecord(await tx.findServiceAccount({ tenantId, id: account.id }), account);
        const listed = await tx.listServiceAccounts({ tenantId, limit: 10 });
        assertDeepEqual(
          listed.map((row) => row.id),
          [existing.id, account.id],
        );
        await tx.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
        assertSameRecord(await tx.findKey({ tenantId, keyId: key.id }), key);
        assertSameRecord((await tx.findKeyForVerification({ keyId: key.id }))?.account, account);
        assertDeepEqual(
          (await tx.listKeys({ tenantId, serviceAccountId: account.id, limit: 10 })).map((row) => row.id),
          [key.id],
        );
        await tx.insertAuditEvent({ event });
        assertDeepEqual(
          (await tx.listAuditEvents({ tenantId, limit: 10 })).map((row) => row.id),
          [event.id],
        );
        const renamed = { ...existing, name: 'renamed in tx', version: 2 };
        await tx.updateServiceAccount({ account: renamed, expectedVersion: 1 });
        assertSameRecord(await tx.findServiceAccount({ tenantId, id: existing.id }), renamed);
        await tx.deleteServiceAccount({ tenantId, id: existing.id });
        assertEqual(await tx.findServiceAccount({ tenantId, id: existing.id }), null);
        assertDeepEqual(
          (await tx.listServiceAccounts({ tenantId, limit: 10 })).map((row) => row.id),
          [account.id],
        );
      });
      assertEqual(await adapter().findServiceAccount({ tenantId: existing.tenantId, id: existing.id }), null);
    });

    it('insertKeyIfUnderLimit inside a transaction counts keys inserted earlier in it', async () => {
      const account = buildServiceAccount();
      const results = await adapter().transaction(async (tx) => {
        await tx.insertServiceAccount({ account });
        const outcomes: InsertKeyResult[] = [];
        for (let index = 0; index < 3; index++) {
          outcomes.push(
            await tx.insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 2, now: fixtureTime() }),
          );
        }
        return outcomes;
      });
      assertDeepEqual(results, [{ inserted: true }, { inserted: true }, { inserted: false, activeKeys: 2 }]);
    });

    it('a CONFLICT inside a transaction rejects it and rolls back its earlier writes', async () => {
      const { account: existing } = await storedAccountWithKey();
      const account = buildServiceAccount({ tenantId: existing.tenantId });
      await assertConflict(
        adapter().transaction(async (tx) => {
          await tx.insertServiceAccount({ account });
          await tx.updateServiceAccount({ account: { ...existing, version: 9 }, expectedVersion: 8 });
        }),
      );
      assertEqual(await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }), null);
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: existing.tenantId, id: existing.id }),
        existing,
      );
    });

    it('a failed transaction does not block later writes and transactions', async () => {
      const failure = new DeliberateFailure('first fails');
      assertEqual(await rejection(adapter().transaction(async () => Promise.reject(failure))), failure);
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const renamed = { ...account, name: 'after failure', version: 2 };
      await adapter().transaction(async (tx) =>
        tx.updateServiceAccount({ account: renamed, expectedVersion: 1 }),
      );
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        renamed,
      );
    });
  });
}
