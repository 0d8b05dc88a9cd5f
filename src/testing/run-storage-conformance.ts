import { describeAccountListing } from './account-listing.js';
import { describeServiceAccounts } from './accounts.js';
import { describeAuditTrail } from './audit.js';
import { describeAuditFollow } from './audit-follow.js';
import { describeAuditFollowConcurrency } from './audit-follow-concurrency.js';
import { conformanceContext, type StorageConformanceOptions } from './conformance-context.js';
import { assertConformanceRunner } from './conformance-runner.js';
import { describeCreditSpending } from './credit-spending.js';
import { describeTenantIsolation } from './isolation.js';
import { describeKeyLifecycleFields } from './key-lifecycle-fields.js';
import { describeKeyLimit } from './key-limit.js';
import { describeKeyQueries } from './key-queries.js';
import { describeKeyUsage } from './key-usage.js';
import { describeKeys } from './keys.js';
import { describeLifecycleRaces } from './lifecycle-races.js';
import { describeLocking } from './locking.js';
import { describePersonalAccounts } from './personal-accounts.js';
import { describeRecordCopies } from './record-copies.js';
import { describeRequestControlFields } from './request-control-fields.js';
import { describeTransactionConcurrency } from './transaction-concurrency.js';
import { describeTransactions } from './transactions.js';

/**
 * Registers the storage conformance suite for one adapter with your test runner: every method
 * of the `StorageAdapter` contract, misses, exact round-trips, ordering and cursor paging,
 * filters (`queryKeys` with derived key statuses included), optimistic versions, the atomic key limit
 * and credit spending under concurrency, the request controls' fields, following the audit
 * trail in commit order under concurrent writers, transactions, locking reads (across two
 * connections when given `createPeerAdapter`) and tenant isolation. An adapter is done when it
 * passes unchanged.
 *
 * Runs under any runner whose functions you pass as `runner` (see {@link ConformanceRunner}):
 * Vitest, Jest, `node:test`. The suite imports no runner and asserts with its own helpers,
 * which throw an `AssertionError` saying what differed and where.
 *
 * Call it at the top level of a test file (or inside a `describe`). `createAdapter` runs once
 * before the first test, `reset` before each test, the adapter's `close()` after the last.
 * Tests use fresh tenant and record ids, so they stay independent even without `reset`. A few
 * tests race 50 rounds of concurrent calls: give them a per-test timeout of 20 s or more on a
 * real database (Jest's default is 5 s; `node:test` has none).
 *
 * Listings order ties on `createdAt` by id in binary (code unit) order; in PostgreSQL that
 * means `COLLATE "C"` on the id columns or in the `ORDER BY` and cursor comparisons.
 *
 * Throws a `TypeError` at once when `runner` lacks one of its functions.
 *
 * @example
 * ```ts
 * // test/conformance/my-adapter.test.ts
 * import { runStorageConformance } from 'keyward/testing';
 * import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
 *
 * runStorageConformance({
 *   name: 'my-adapter',
 *   runner: { describe, it, beforeAll, afterAll, beforeEach },
 *   createAdapter: () => myAdapter(db),
 *   reset: async () => { await truncateAll(db); },
 * });
 * ```
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  assertConformanceRunner(options.runner);
  options.runner.describe(`storage conformance: ${options.name}`, () => {
    const context = conformanceContext(options);
    describeServiceAccounts(context);
    describeAccountListing(context);
    describePersonalAccounts(context);
    describeKeys(context);
    describeKeyLifecycleFields(context);
    describeKeyQueries(context);
    describeKeyUsage(context);
    describeKeyLimit(context);
    describeRequestControlFields(context);
    describeCreditSpending(context);
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
