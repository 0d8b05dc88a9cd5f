import type { Kysely } from 'kysely';
import type { TokenBucketState } from '../../src/request-controls/token-bucket.js';
import type { KyselyDialectName } from './dialect.js';
import type { KeywardDatabase } from './tables.js';

const RATE_LIMITS = 'keyward_rate_limits';

/**
 * The buckets of one take, as read inside its transaction: the stored state of each bucket, or
 * none when the bucket is missing (full). `vanished` lists buckets that were there when the
 * take began and were pruned before it could lock them: the take must start over.
 *
 * @internal
 */
export interface LockedBuckets {
  readonly stored: ReadonlyMap<string, TokenBucketState>;
  /** Placeholder rows this transaction inserted (PostgreSQL): delete them when nothing is written. */
  readonly placeholders: readonly string[];
  readonly vanished: boolean;
}

/** One bucket's new state, with when it will be full again. @internal */
export interface BucketWrite {
  readonly bucket: string;
  readonly tokens: number;
  readonly updatedAt: number;
  readonly fullAt: number;
}

/**
 * Reads and locks the rows of `buckets` (distinct, in bytewise order) in an open transaction.
 *
 * - SQLite: a plain read; the transaction's `BEGIN IMMEDIATE` already holds the write lock.
 * - PostgreSQL: a missing row cannot be locked, so missing rows are first inserted as
 *   placeholders (`INSERT ... ON CONFLICT DO NOTHING`, which waits for a concurrent inserter of
 *   the same bucket), then every row is locked with `SELECT ... FOR UPDATE` in bucket order.
 *   Inserting and locking both go in bucket order, so concurrent takes over overlapping buckets
 *   queue instead of deadlocking. A placeholder stands for a missing (full) bucket; the take
 *   either overwrites it or deletes it, so none is ever committed.
 *
 * @internal
 */
export async function lockBuckets(
  trx: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  buckets: readonly string[],
): Promise<LockedBuckets> {
  const placeholders = dialect === 'postgres' ? await insertPlaceholders(trx, buckets) : [];
  let query = trx
    .selectFrom(RATE_LIMITS)
    .select(['bucket', 'tokens', 'updated_at'])
    .where('bucket', 'in', buckets)
    .orderBy('bucket');
  if (dialect === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  const fresh = new Set(placeholders);
  const stored = new Map<string, TokenBucketState>();
  for (const row of rows) {
    if (!fresh.has(row.bucket))
      stored.set(row.bucket, { tokens: Number(row.tokens), updatedAt: Number(row.updated_at) });
  }
  const vanished = dialect === 'postgres' && rows.length < buckets.length;
  return { stored, placeholders, vanished };
}

/** Inserts a placeholder row for each missing bucket; returns the buckets it inserted. */
async function insertPlaceholders(
  trx: Kysely<KeywardDatabase>,
  buckets: readonly string[],
): Promise<string[]> {
  const rows = await trx
    .insertInto(RATE_LIMITS)
    .values(buckets.map((bucket) => ({ bucket, tokens: 0, updated_at: 0, full_at: 0 })))
    .onConflict((oc) => oc.column('bucket').doNothing())
    .returning('bucket')
    .execute();
  return rows.map((row) => row.bucket);
}

/**
 * Writes the buckets' new states (one statement, `INSERT ... ON CONFLICT DO UPDATE`).
 *
 * @internal
 */
export async function writeBuckets(
  trx: Kysely<KeywardDatabase>,
  writes: readonly BucketWrite[],
): Promise<void> {
  await trx
    .insertInto(RATE_LIMITS)
    .values(
      writes.map((write) => ({
        bucket: write.bucket,
        tokens: write.tokens,
        updated_at: write.updatedAt,
        full_at: write.fullAt,
      })),
    )
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet((eb) => ({
        tokens: eb.ref('excluded.tokens'),
        updated_at: eb.ref('excluded.updated_at'),
        full_at: eb.ref('excluded.full_at'),
      })),
    )
    .execute();
}

/**
 * Deletes the placeholders a refused take inserted, so that it writes nothing.
 *
 * @internal
 */
export async function deletePlaceholders(
  trx: Kysely<KeywardDatabase>,
  placeholders: readonly string[],
): Promise<void> {
  if (placeholders.length > 0)
    await trx.deleteFrom(RATE_LIMITS).where('bucket', 'in', placeholders).execute();
}

/**
 * Deletes up to `batch` rows full since `fullBefore` or earlier (the same as missing rows),
 * through the `full_at` index; returns how many. On PostgreSQL rows another take holds are
 * skipped (`FOR UPDATE SKIP LOCKED`), so a prune never waits for a take nor makes one wait long.
 *
 * @internal
 */
export async function pruneFullBuckets(
  db: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  fullBefore: number,
  batch: number,
): Promise<number> {
  const result = await db
    .deleteFrom(RATE_LIMITS)
    .where('bucket', 'in', (eb) => {
      let victims = eb
        .selectFrom(RATE_LIMITS)
        .select('bucket')
        .where('full_at', '<=', fullBefore)
        .orderBy('full_at')
        .limit(batch);
      if (dialect === 'postgres') victims = victims.forUpdate().skipLocked();
      return victims;
    })
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
