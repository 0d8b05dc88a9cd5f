import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../entities/api-key.js';
import type { AuditEvent } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { StorageReads } from '../storage/storage-adapter.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { expectSameRecord } from './record-assertions.js';

/** One tenant's stored rows. */
interface TenantRows {
  readonly tenantId: string;
  readonly account: ServiceAccount;
  readonly key: ApiKey;
  readonly event: AuditEvent;
}

/**
 * Tenant isolation: every tenant-scoped read and write ignores rows of other tenants, even with
 * the same workspace id; only the verification read crosses tenants, by key id.
 *
 * @internal
 */
export function describeTenantIsolation({ adapter }: ConformanceContext): void {
  async function storedTenant(): Promise<TenantRows> {
    const tenantId = testTenantId();
    const account = buildServiceAccount({ tenantId, workspaceId: 'ws-shared' });
    const key = buildApiKeyFor(account);
    const event = buildAuditEvent({
      tenantId,
      workspaceId: 'ws-shared',
      target: { type: 'service_account', id: account.id },
    });
    await adapter().insertServiceAccount({ account });
    await adapter().insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    await adapter().insertAuditEvent({ event });
    return { tenantId, account, key, event };
  }

  async function expectReadsIsolated(
    reads: StorageReads,
    mine: TenantRows,
    theirs: TenantRows,
  ): Promise<void> {
    const tenantId = mine.tenantId;
    expect(await reads.findServiceAccount({ tenantId, id: theirs.account.id })).toBeNull();
    expect(await reads.findKey({ tenantId, keyId: theirs.key.id })).toBeNull();
    const accounts = await reads.listServiceAccounts({ tenantId, workspaceId: 'ws-shared', limit: 100 });
    expect(accounts.map((account) => account.id)).toEqual([mine.account.id]);
    expect(await reads.listKeys({ tenantId, serviceAccountId: theirs.account.id, limit: 100 })).toEqual([]);
    const events = await reads.listAuditEvents({ tenantId, workspaceId: 'ws-shared', limit: 100 });
    expect(events.map((event) => event.id)).toEqual([mine.event.id]);
    expect(await reads.listAuditEvents({ tenantId, targetId: theirs.account.id, limit: 100 })).toEqual([]);
  }

  describe('tenant isolation', () => {
    it('tenant-scoped reads never return rows of another tenant', async () => {
      const [first, second] = [await storedTenant(), await storedTenant()];
      await expectReadsIsolated(adapter(), first, second);
      await expectReadsIsolated(adapter(), second, first);
    });

    it('tenant-scoped reads inside a transaction are isolated too', async () => {
      const [first, second] = [await storedTenant(), await storedTenant()];
      await adapter().transaction(async (tx) => {
        await expectReadsIsolated(tx, first, second);
        await expectReadsIsolated(tx, second, first);
      });
    });

    it('updateServiceAccount through another tenant returns null and changes nothing', async () => {
      const [owner, intruder] = [await storedTenant(), await storedTenant()];
      const hijack = { ...owner.account, tenantId: intruder.tenantId, name: 'hijacked', version: 2 };
      expect(await adapter().updateServiceAccount({ account: hijack, expectedVersion: 1 })).toBeNull();
      expect(await adapter().updateServiceAccount({ account: hijack, expectedVersion: 7 })).toBeNull();
      expectSameRecord(
        await adapter().findServiceAccount({ tenantId: owner.tenantId, id: owner.account.id }),
        owner.account,
      );
      expect(
        await adapter().findServiceAccount({ tenantId: intruder.tenantId, id: owner.account.id }),
      ).toBeNull();
    });

    it('updateKey through another tenant returns null and changes nothing', async () => {
      const [owner, intruder] = [await storedTenant(), await storedTenant()];
      const hijack: ApiKey = {
        ...owner.key,
        tenantId: intruder.tenantId,
        status: 'revoked',
        revokedAt: fixtureTime(),
      };
      expect(await adapter().updateKey({ key: hijack })).toBeNull();
      expectSameRecord(await adapter().findKey({ tenantId: owner.tenantId, keyId: owner.key.id }), owner.key);
      expect(await adapter().findKey({ tenantId: intruder.tenantId, keyId: owner.key.id })).toBeNull();
    });

    it('deleteServiceAccount through another tenant returns false and deletes nothing', async () => {
      const [owner, intruder] = [await storedTenant(), await storedTenant()];
      expect(
        await adapter().deleteServiceAccount({ tenantId: intruder.tenantId, id: owner.account.id }),
      ).toBe(false);
      const found = await adapter().findKeyForVerification({ keyId: owner.key.id });
      expectSameRecord(found?.account, owner.account);
      expectSameRecord(found?.key, owner.key);
    });

    it('findKeyForVerification finds keys of every tenant by key id alone', async () => {
      const [first, second] = [await storedTenant(), await storedTenant()];
      for (const rows of [first, second]) {
        const found = await adapter().findKeyForVerification({ keyId: rows.key.id });
        expectSameRecord(found?.key, rows.key);
        expectSameRecord(found?.account, rows.account);
      }
    });
  });
}
