import { describe } from 'vitest';
import { describeAccountListing } from './account-listing.js';
import { describeServiceAccounts } from './accounts.js';
import { describeAuditTrail } from './audit.js';
import { describeAuditFollow } from './audit-follow.js';
import { describeAuditFollowConcurrency } from './audit-follow-concurrency.js';
import { conformanceContext, type StorageConformanceOptions } from './conformance-context.js';
import { describeTenantIsolation } from './isolation.js';
import { describeKeyLimit } from './key-limit.js';
import { describeKeyUsage } from './key-usage.js';
import { describeKeys } from './keys.js';
import { describeLifecycleRaces } from './lifecycle-races.js';
import { describeLocking } from './locking.js';
import { describeRecordCopies } from './record-copies.js';
import { describeTransactionConcurrency } from './transaction-concurrency.js';
import { describeTransactions } from './transactions.js';

/**
 * Registers the storage conformance suite (vitest) for one adapter: every method of the
 * `StorageAdapter` contract, misses, exact round-trips, ordering and cursor paging, filters,
 * optimistic versions, the atomic key limit under concurrency, following the audit trail in
 * commit order under concurrent writers, transactions, locking reads
 * (across two connections when given `createPeerAdapter`) and tenant isolation. An adapter is
 * done when it passes unchanged.
 *
 * Call it at the top level of a test file. `createAdapter` runs once before the first test,
 * `reset` before each test, the adapter's `close()` after the last. Tests use fresh tenant and
 * record ids, so they stay independent even without `reset`.
 *
 * Listings order ties on `createdAt` by id in binary (code unit) order; in PostgreSQL that
 * means `COLLATE "C"` on the id columns or in the `ORDER BY` and cursor comparisons.
 *
 * Requires `vitest` (an optional peer dependency of keyward).
 *
 * @example
 * ```ts
 * // test/conformance/my-adapter.test.ts
 * import { runStorageConformance } from 'keyward/testing';
 *
 * runStorageConformance({
 *   name: 'my-adapter',
 *   createAdapter: () => myAdapter(db),
 *   reset: async () => { await truncateAll(db); },
 * });
 * ```
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  describe(`storage conformance: ${options.name}`, () => {
    const context = conformanceContext(options);
    describeServiceAccounts(context);
    describeAccountListing(context);
    describeKeys(context);
    describeKeyUsage(context);
    describeKeyLimit(context);
    describeAuditTrail(context);
    describeAuditFollow(context);
    describeAuditFollowConcurrency(context);
    describeTransactions(context);
    describeTransactionConcurrency(context);
    describeLocking(context);
    describeLifecycleRaces(context);
    describeTenantIsolation(context);
    describeRecordCopies(context);
  });
}
