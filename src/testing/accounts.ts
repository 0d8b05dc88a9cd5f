import { assert, assertDeepEqual, assertEqual, assertLength } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';
import { richServiceAccount } from './rich-records.js';

/**
 * Service account writes: insert, find, optimistic update, delete with its keys.
 *
 * @internal
 */
export function describeServiceAccounts({ adapter, describe, it }: ConformanceContext): void {
  describe('service accounts', () => {
    it('has a non-empty name', () => {
      assertEqual(typeof adapter().name, 'string');
      assert(adapter().name.length > 0, 'adapter name is empty');
    });

    it('round-trips every field of a fully populated account', async () => {
      const account = richServiceAccount(testTenantId());
      await adapter().insertServiceAccount({ account });
      const found = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      assertSameRecord(found, account);
    });

    it('round-trips null fields, empty metadata and dataset access "all"', async () => {
      const account = buildServiceAccount({ description: null, contactEmail: null, metadata: {} });
      await adapter().insertServiceAccount({ account });
      const found = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      assertSameRecord(found, account);
      assertDeepEqual(found?.datasetAccess, { mode: 'all' });
    });

    it('findServiceAccount returns null for an unknown id', async () => {
      const found = await adapter().findServiceAccount({
        tenantId: testTenantId(),
        id: testServiceAccountId(),
      });
      assertEqual(found, null);
    });

    it('insertServiceAccount with an existing id throws CONFLICT and keeps the stored account', async () => {
      const account = buildServiceAccount({ name: 'original' });
      await adapter().insertServiceAccount({ account });
      await assertConflict(adapter().insertServiceAccount({ account: { ...account, name: 'copy' } }));
      const otherTenant = { ...account, tenantId: testTenantId(), name: 'elsewhere' };
      await assertConflict(adapter().insertServiceAccount({ account: otherTenant }));
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
      assertEqual(
        await adapter().findServiceAccount({ tenantId: otherTenant.tenantId, id: account.id }),
        null,
      );
    });

    it('updateServiceAccount with the current version stores and returns the new record', async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const next = {
        ...account,
        name: 'renamed',
        roles: ['reader', 'writer'],
        datasetAccess: { mode: 'selected' as const, datasetIds: ['ds-1'] },
        metadata: { tier: 'gold' },
        updatedAt: fixtureTime(60_000),
        version: 2,
      };
      const stored = await adapter().updateServiceAccount({ account: next, expectedVersion: 1 });
      assertSameRecord(stored, next);
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        next,
      );
      assertSameRecord(
        (await adapter().listServiceAccounts({ tenantId: account.tenantId, limit: 10 }))[0],
        next,
      );
      const third = { ...next, status: 'disabled' as const, version: 3 };
      assertSameRecord(await adapter().updateServiceAccount({ account: third, expectedVersion: 2 }), third);
    });

    it('updateServiceAccount with a stale version throws CONFLICT and changes nothing', async () => {
      const account = buildServiceAccount({ version: 4 });
      await adapter().insertServiceAccount({ account });
      const stale = { ...account, name: 'stale write', version: 4 };
      await assertConflict(adapter().updateServiceAccount({ account: stale, expectedVersion: 3 }));
      const ahead = { ...account, name: 'future write', version: 6 };
      await assertConflict(adapter().updateServiceAccount({ account: ahead, expectedVersion: 5 }));
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
    });

    it('updateServiceAccount of a missing account returns null and stores nothing', async () => {
      const account = buildServiceAccount({ version: 2 });
      assertEqual(await adapter().updateServiceAccount({ account, expectedVersion: 1 }), null);
      assertEqual(await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }), null);
    });

    it('concurrent updates from the same version: exactly one wins, the others throw CONFLICT', async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const attempts = Array.from({ length: 10 }, (_, index) =>
        adapter().updateServiceAccount({
          account: { ...account, name: `writer ${index}`, version: 2 },
          expectedVersion: 1,
        }),
      );
      const outcomes = await Promise.allSettled(attempts);
      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.filter((outcome) => outcome.status === 'rejected');
      assertLength(winners, 1);
      for (const loser of losers) assertEqual((loser.reason as { code?: unknown }).code, 'CONFLICT');
      const stored = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      assertEqual(stored?.version, 2);
      assertEqual(stored?.name, (winners[0] as PromiseFulfilledResult<{ name: string }>).value.name);
    });

    it('deleteServiceAccount removes the account and all its keys, and only those', async () => {
      const storage = adapter();
      const account = buildServiceAccount();
      const neighbour = buildServiceAccount({ tenantId: account.tenantId });
      await storage.insertServiceAccount({ account });
      await storage.insertServiceAccount({ account: neighbour });
      const keys = [
        buildApiKeyFor(account),
        buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime() }),
      ];
      const neighbourKey = buildApiKeyFor(neighbour);
      for (const key of [...keys, neighbourKey])
        await storage.insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });

      assertEqual(await storage.deleteServiceAccount({ tenantId: account.tenantId, id: account.id }), true);

      assertEqual(await storage.findServiceAccount({ tenantId: account.tenantId, id: account.id }), null);
      for (const key of keys) {
        assertEqual(await storage.findKey({ tenantId: account.tenantId, keyId: key.id }), null);
        assertEqual(await storage.findKeyForVerification({ keyId: key.id }), null);
      }
      assertDeepEqual(
        await storage.listKeys({ tenantId: account.tenantId, serviceAccountId: account.id, limit: 10 }),
        [],
      );
      const remaining = await storage.listServiceAccounts({ tenantId: account.tenantId, limit: 10 });
      assertDeepEqual(
        remaining.map((row) => row.id),
        [neighbour.id],
      );
      assertSameRecord((await storage.findKeyForVerification({ keyId: neighbourKey.id }))?.key, neighbourKey);
    });

    it('deleteServiceAccount keeps the audit trail of the account', async () => {
      const account = buildServiceAccount();
      await adapter().insertServiceAccount({ account });
      const event = buildAuditEvent({
        tenantId: account.tenantId,
        target: { type: 'service_account', id: account.id },
      });
      await adapter().insertAuditEvent({ event });
      await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id });
      const trail = await adapter().listAuditEvents({
        tenantId: account.tenantId,
        targetId: account.id,
        limit: 10,
      });
      assertLength(trail, 1);
      assertSameRecord(trail[0], event);
    });

    it('deleteServiceAccount returns false for an unknown or already deleted account', async () => {
      const account = buildServiceAccount();
      assertEqual(
        await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id }),
        false,
      );
      await adapter().insertServiceAccount({ account });
      assertEqual(await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id }), true);
      assertEqual(
        await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id }),
        false,
      );
    });
  });
}
