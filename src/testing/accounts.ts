import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './conformance-context.js';
import { testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { expectConflict, expectSameRecord } from './record-assertions.js';
import { richServiceAccount } from './rich-records.js';

/**
 * Service account writes: insert, find, optimistic update, delete with its keys.
 *
 * @internal
 */
export function describeServiceAccounts({ adapter }: ConformanceContext): void {
  describe('service accounts', () => {
    it('has a non-empty name', () => {
      expect(typeof adapter().name).toBe('string');
      expect(adapter().name.length).toBeGreaterThan(0);
    });

    it('round-trips every field of a fully populated account', async () => {
      const account = richServiceAccount(testTenantId());
      await adapter().insertServiceAccount({ account });
      const found = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      expectSameRecord(found, account);
    });

    it('round-trips null fields, empty metadata and dataset access "all"', async () => {
      const account = buildServiceAccount({ description: null, contactEmail: null, metadata: {} });
      await adapter().insertServiceAccount({ account });
      const found = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      expectSameRecord(found, account);
      expect(found?.datasetAccess).toEqual({ mode: 'all' });
    });

    it('findServiceAccount returns null for an unknown id', async () => {
      const found = await adapter().findServiceAccount({
        tenantId: testTenantId(),
        id: testServiceAccountId(),
      });
      expect(found).toBeNull();
    });

    it('insertServiceAccount with an existing id throws CONFLICT and keeps the stored account', async () => {
      const account = buildServiceAccount({ name: 'original' });
      await adapter().insertServiceAccount({ account });
      await expectConflict(adapter().insertServiceAccount({ account: { ...account, name: 'copy' } }));
      const otherTenant = { ...account, tenantId: testTenantId(), name: 'elsewhere' };
      await expectConflict(adapter().insertServiceAccount({ account: otherTenant }));
      expectSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
      expect(
        await adapter().findServiceAccount({ tenantId: otherTenant.tenantId, id: account.id }),
      ).toBeNull();
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
      expectSameRecord(stored, next);
      expectSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        next,
      );
      expectSameRecord(
        (await adapter().listServiceAccounts({ tenantId: account.tenantId, limit: 10 }))[0],
        next,
      );
      const third = { ...next, status: 'disabled' as const, version: 3 };
      expectSameRecord(await adapter().updateServiceAccount({ account: third, expectedVersion: 2 }), third);
    });

    it('updateServiceAccount with a stale version throws CONFLICT and changes nothing', async () => {
      const account = buildServiceAccount({ version: 4 });
      await adapter().insertServiceAccount({ account });
      const stale = { ...account, name: 'stale write', version: 4 };
      await expectConflict(adapter().updateServiceAccount({ account: stale, expectedVersion: 3 }));
      const ahead = { ...account, name: 'future write', version: 6 };
      await expectConflict(adapter().updateServiceAccount({ account: ahead, expectedVersion: 5 }));
      expectSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
    });

    it('updateServiceAccount of a missing account returns null and stores nothing', async () => {
      const account = buildServiceAccount({ version: 2 });
      expect(await adapter().updateServiceAccount({ account, expectedVersion: 1 })).toBeNull();
      expect(await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id })).toBeNull();
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
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect((loser.reason as { code?: unknown }).code).toBe('CONFLICT');
      const stored = await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id });
      expect(stored?.version).toBe(2);
      expect(stored?.name).toBe((winners[0] as PromiseFulfilledResult<{ name: string }>).value.name);
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

      expect(await storage.deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(true);

      expect(await storage.findServiceAccount({ tenantId: account.tenantId, id: account.id })).toBeNull();
      for (const key of keys) {
        expect(await storage.findKey({ tenantId: account.tenantId, keyId: key.id })).toBeNull();
        expect(await storage.findKeyForVerification({ keyId: key.id })).toBeNull();
      }
      expect(
        await storage.listKeys({ tenantId: account.tenantId, serviceAccountId: account.id, limit: 10 }),
      ).toEqual([]);
      const remaining = await storage.listServiceAccounts({ tenantId: account.tenantId, limit: 10 });
      expect(remaining.map((row) => row.id)).toEqual([neighbour.id]);
      expectSameRecord((await storage.findKeyForVerification({ keyId: neighbourKey.id }))?.key, neighbourKey);
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
      expect(trail).toHaveLength(1);
      expectSameRecord(trail[0], event);
    });

    it('deleteServiceAccount returns false for an unknown or already deleted account', async () => {
      const account = buildServiceAccount();
      expect(await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(
        false,
      );
      await adapter().insertServiceAccount({ account });
      expect(await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(true);
      expect(await adapter().deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(
        false,
      );
    });
  });
}
