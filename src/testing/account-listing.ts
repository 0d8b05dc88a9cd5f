import type { ServiceAccount } from '../entities/service-account.js';
import { assertDeepEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildServiceAccount, fixtureTime } from './fixtures.js';
import { idsInOrder, walkPages } from './record-paging.js';

/** Characters whose binary order (0 < 9 < A < Z < a < z) differs from case-insensitive collations. */
const MIXED_CASE_FIRST_CHARACTERS = ['z', 'A', '9', 'a', 'Z', '0'] as const;

/**
 * Listing service accounts: order, ties, cursor paging, filters.
 *
 * @internal
 */
export function describeAccountListing({ adapter, describe, it }: ConformanceContext): void {
  async function insertAll(accounts: readonly ServiceAccount[]): Promise<void> {
    for (const account of accounts) await adapter().insertServiceAccount({ account });
  }

  describe('listing service accounts', () => {
    it('orders by createdAt ascending whatever the insertion order', async () => {
      const tenantId = testTenantId();
      const offsets = [5_000, -3_000, 0, 86_400_000, 1, -1];
      const accounts = offsets.map((offset) =>
        buildServiceAccount({ tenantId, createdAt: fixtureTime(offset) }),
      );
      await insertAll(accounts);
      const listed = await adapter().listServiceAccounts({ tenantId, limit: 100 });
      assertDeepEqual(
        listed.map((account) => account.id),
        idsInOrder(accounts),
      );
    });

    it('orders ties on createdAt by id in binary (code unit) order', async () => {
      const tenantId = testTenantId();
      const accounts = MIXED_CASE_FIRST_CHARACTERS.map((first) =>
        buildServiceAccount({ tenantId, id: testServiceAccountId(first), createdAt: fixtureTime() }),
      );
      await insertAll(accounts);
      const listed = await adapter().listServiceAccounts({ tenantId, limit: 100 });
      assertDeepEqual(
        listed.map((account) => account.id.charAt(3)),
        ['0', '9', 'A', 'Z', 'a', 'z'],
      );
    });

    it('returns at most limit rows, the first ones in order', async () => {
      const tenantId = testTenantId();
      const accounts = [3, 1, 4, 2, 5].map((offset) =>
        buildServiceAccount({ tenantId, createdAt: fixtureTime(offset) }),
      );
      await insertAll(accounts);
      const listed = await adapter().listServiceAccounts({ tenantId, limit: 2 });
      assertDeepEqual(
        listed.map((account) => account.id),
        idsInOrder(accounts).slice(0, 2),
      );
    });

    it('starts strictly after the cursor, which need not be a stored row', async () => {
      const tenantId = testTenantId();
      const accounts = [0, 10, 10, 10, 20].map((offset) =>
        buildServiceAccount({ tenantId, createdAt: fixtureTime(offset) }),
      );
      await insertAll(accounts);
      const ordered = idsInOrder(accounts);
      const second = accounts.find((account) => account.id === ordered[1]) as ServiceAccount;
      const afterSecond = await adapter().listServiceAccounts({ tenantId, limit: 100, after: second });
      assertDeepEqual(
        afterSecond.map((account) => account.id),
        ordered.slice(2),
      );
      const between = await adapter().listServiceAccounts({
        tenantId,
        limit: 100,
        after: { createdAt: fixtureTime(5), id: testServiceAccountId() },
      });
      assertDeepEqual(
        between.map((account) => account.id),
        ordered.slice(1),
      );
      const fromTie = await adapter().listServiceAccounts({
        tenantId,
        limit: 100,
        after: { createdAt: fixtureTime(10), id: 'sa_' },
      });
      assertDeepEqual(
        fromTie.map((account) => account.id),
        ordered.slice(1),
      );
      const pastEnd = await adapter().listServiceAccounts({
        tenantId,
        limit: 100,
        after: { createdAt: fixtureTime(21), id: 'sa_' },
      });
      assertDeepEqual(pastEnd, []);
    });

    it('pages through many rows sharing one millisecond without repeating or skipping any', async () => {
      const tenantId = testTenantId();
      const accounts = Array.from({ length: 31 }, (_, index) =>
        buildServiceAccount({ tenantId, createdAt: fixtureTime(index < 24 ? 7 : index) }),
      );
      await insertAll(accounts);
      const walked = await walkPages((after) => adapter().listServiceAccounts({ tenantId, limit: 5, after }));
      assertDeepEqual(walked.ids, idsInOrder(accounts));
      assertDeepEqual(walked.pageSizes, [5, 5, 5, 5, 5, 5, 1]);
    });

    it('filters by workspace, by status, and by both together', async () => {
      const tenantId = testTenantId();
      const accounts = [
        buildServiceAccount({ tenantId, workspaceId: 'ws-a', status: 'active', createdAt: fixtureTime(1) }),
        buildServiceAccount({ tenantId, workspaceId: 'ws-a', status: 'disabled', createdAt: fixtureTime(2) }),
        buildServiceAccount({ tenantId, workspaceId: 'ws-b', status: 'active', createdAt: fixtureTime(3) }),
        buildServiceAccount({ tenantId, workspaceId: 'ws-b', status: 'disabled', createdAt: fixtureTime(4) }),
        buildServiceAccount({ tenantId, workspaceId: 'ws-a', status: 'active', createdAt: fixtureTime(5) }),
      ];
      await insertAll(accounts);
      const ids = (rows: readonly ServiceAccount[]): string[] => rows.map((row) => row.id);
      const pick = (...indexes: number[]): string[] =>
        indexes.map((index) => (accounts[index] as ServiceAccount).id);
      const storage = adapter();
      assertDeepEqual(
        ids(await storage.listServiceAccounts({ tenantId, workspaceId: 'ws-a', limit: 100 })),
        pick(0, 1, 4),
      );
      assertDeepEqual(
        ids(await storage.listServiceAccounts({ tenantId, status: 'disabled', limit: 100 })),
        pick(1, 3),
      );
      assertDeepEqual(
        ids(
          await storage.listServiceAccounts({ tenantId, workspaceId: 'ws-a', status: 'active', limit: 100 }),
        ),
        pick(0, 4),
      );
      assertDeepEqual(
        ids(
          await storage.listServiceAccounts({ tenantId, workspaceId: 'ws-a', limit: 1, after: accounts[0] }),
        ),
        pick(1),
      );
      assertDeepEqual(
        await storage.listServiceAccounts({ tenantId, workspaceId: 'ws-none', limit: 100 }),
        [],
      );
    });

    it('returns [] for a tenant without accounts', async () => {
      assertDeepEqual(await adapter().listServiceAccounts({ tenantId: testTenantId(), limit: 100 }), []);
    });
  });
}
