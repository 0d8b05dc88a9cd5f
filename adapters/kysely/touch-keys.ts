import type { QueryContext } from './query-context.js';
import { atomically } from './query-context.js';
import { retryWhileBusy } from './sqlite-busy-retry.js';

const KEYS = 'keyward_api_keys';

/** Most keys updated in one SQLite transaction: a long flush is several short write locks. */
export const SQLITE_TOUCH_BATCH = 100;

interface TouchEntry {
  readonly keyId: string;
  readonly lastUsedAt: Date;
}

/** The latest use per key, in key id order. */
function latestPerKey(entries: readonly TouchEntry[]): [string, number][] {
  const latest = new Map<string, number>();
  for (const { keyId, lastUsedAt } of entries) {
    const ms = lastUsedAt.getTime();
    if (!(ms <= (latest.get(keyId) ?? Number.NEGATIVE_INFINITY))) latest.set(keyId, ms);
  }
  return [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One forward-only update per key, on `context`'s executor. */
async function moveForward(context: QueryContext, updates: readonly [string, number][]): Promise<void> {
  for (const [keyId, ms] of updates) {
    await context.db
      .updateTable(KEYS)
      .set({ last_used_at: ms })
      .where('id', '=', keyId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', ms)]))
      .execute();
  }
}

/**
 * Moves `last_used_at` forward, never back; unknown keys match no row.
 *
 * - SQLite: one write transaction per {@link SQLITE_TOUCH_BATCH} keys, in key id order, so the
 *   write lock is never held for a long batch. Each batch is all-or-nothing and retried whole
 *   while the database is busy (moving forward twice is harmless), for up to `busyTimeoutMs`.
 *   When a batch fails, the batches before it stay written, it and those after it are not
 *   written, and the error (`STORAGE_UNAVAILABLE` when busy too long) is thrown: the caller
 *   can send the same entries again.
 * - PostgreSQL: each update on its own, so a batch never holds many row locks at once and
 *   cannot deadlock with management transactions.
 *
 * @internal
 */
export async function touchKeys(
  context: QueryContext,
  args: { readonly entries: readonly TouchEntry[] },
): Promise<void> {
  const updates = latestPerKey(args.entries);
  // Inside an open transaction (PostgreSQL, or a caller's SQLite transaction): no batches, no retry.
  if (context.dialect !== 'sqlite' || context.inTransaction) return moveForward(context, updates);
  for (let start = 0; start < updates.length; start += SQLITE_TOUCH_BATCH) {
    const batch = updates.slice(start, start + SQLITE_TOUCH_BATCH);
    await retryWhileBusy(() => atomically(context, (tx) => moveForward(tx, batch)), context.busyTimeoutMs);
  }
}
