import type { ApiKey } from '../entities/api-key.js';
import type { AuditEvent } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { StorageReads } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

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
export function describeTenantIsolation({ adapter, describe, it }: ConformanceContext): void {
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
    assertEqual(await reads.findServiceAccount({ tenantId, id: theirs.account.id }), null);
    assertEqual(await reads.findKey({ tenantId, keyId: theirs.key.id }), null);
    const accounts = await reads.listServiceAccounts({ tenantId, workspaceId: 'ws-shared', limit: 100 });
    assertDeepEqual(
      accounts.map((account) => account.id),
      [mine.account.id],
    );
    assertDeepEqual(await reads.listKeys({ tenantId, serviceAccountId: theirs.account.id, limit: 100 }), []);
    const keys = await reads.queryKeys({
      tenantId,
      workspaceId: 'ws-shared',
      now: fixtureTime(),
      limit: 100,
    });
    assertDeepEqual(
      keys.map((key) => key.id),
      [mine.key.id],
    );
    const events = await reads.listAuditEvents({ tenantId, workspaceId: 'ws-shared', limit: 100 });
    assertDeepEqual(
      events.map((event) => event.id),
      [mine.event.id],
    );
    assertDeepEqual(await reads.listAuditEvents({ tenantId, targetId: theirs.account.id, limit: 100 }), []);
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
      assertEqual(await adapter().updateServiceAccount({ account: hijack, expectedVersion: 1 }), null);
      assertEqual(await adapter().updateServiceAccount({ account: hijack, expectedVersion: 7 }), null);
      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: owner.tenantId, id: owner.account.id }),
        owner.account,
      );
      assertEqual(
        await adapter().findServiceAccount({ tenantId: intruder.tenantId, id: owner.account.id }),
        null,
      );
    });

    it('updateKey through another tenant returns null and changes nothing', async () => {
      const [owner, intruder] = [await storedTenant(), await storedTenant()];
      const hijack: ApiKey = {
        ...owner.key,
        tenantId: intruder.tenantId,
        status: 'revoked',
        revokedAt: fixtureTime(),
      };
      assertEqual(await adapter().updateKey({ key: hijack }), null);
      assertSameRecord(await adapter().findKey({ tenantId: owner.tenantId, keyId: owner.key.id }), owner.key);
      assertEqual(await adapter().findKey({ tenantId: intruder.tenantId, keyId: owner.key.id }), null);
    });

    it('deleteServiceAccount through another tenant returns false and deletes nothing', async () => {
      const [owner, intruder] = [await storedTenant(), await storedTenant()];
      assertEqual(
        await adapter().deleteServiceAccount({ tenantId: intruder.tenantId, id: owner.account.id }),
        false,
      );
      const found = await adapter().findKeyForVerification({ keyId: owner.key.id });
      assertSameRecord(found?.account, owner.account);
      assertSameRecord(found?.key, owner.key);
    });

    it('findKeyForVerification finds keys of every tenant by key id alone', async () => {
      const [first, second] = [await storedTenant(), await storedTenant()];
      for (const rows of [first, second]) {
        const found = await adapter().findKeyForVerification({ keyId: rows.key.id });
        assertSameRecord(found?.key, rows.key);
        assertSameRecord(found?.account, rows.account);
      }
    });
  });
}
