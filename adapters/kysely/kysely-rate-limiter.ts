import type { Kysely } from 'kysely';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type {
  RateLimitCheck,
  RateLimiter,
  RateLimitOutcome,
} from '../../src/request-controls/rate-limiter.js';
import { resetMsOf, takeTokens } from '../../src/request-controls/token-bucket.js';
import { type KyselyDialectName, resolveDialect } from './dialect.js';
import { classifyDriverFailure } from './driver-failure.js';
import {
  type BucketWrite,
  deletePlaceholders,
  lockBuckets,
  pruneFullBuckets,
  writeBuckets,
} from './rate-limit-rows.js';
import { resolveBusyTimeout } from './sqlite-busy-retry.js';
import { toStorageError } from './storage-error.js';
import type { KeywardDatabase } from './tables.js';
import { runTransaction } from './transaction-runner.js';

/** Options of {@link kyselyRateLimiter}. */
export interface KyselyRateLimiterOptions<DB> {
  /** The host's Kysely instance (SQLite or PostgreSQL), migrated by `migrateToLatest`. */
  readonly db: Kysely<DB>;
  /** The database's dialect; read from the Kysely instance's adapter when omitted. */
  readonly dialect?: KyselyDialectName | undefined;
  /**
   * SQLite only: how long a take waits (asynchronously) for the write lock another connection
   * holds before it fails with `STORAGE_UNAVAILABLE`. Whole milliseconds, 0 to 86400000;
   * default 5000, as `kyselyAdapter`.
   */
  readonly busyTimeoutMs?: number | undefined;
}

/** Every this many takes, one prunes full buckets. */
const PRUNE_EVERY_TAKES = 1000;
/** The most rows one prune deletes. */
const PRUNE_BATCH = 500;
/**
 * How long after it is full a row is kept: a row full before `now - PRUNE_GRACE_MS` is deleted.
 * The margin covers clock skew between instances: an instance whose clock is behind still finds
 * the row and refills it by its own `now`, so a prune by an instance ahead never mints tokens.
 *
 * @internal
 */
export const PRUNE_GRACE_MS = 60_000;
/** How many times a take starts over after a serialization failure, a deadlock or a pruned row. */
const TAKE_ATTEMPTS = 3;

/** The take found a bucket pruned between its insert and its lock: start over. */
class BucketVanished extends Error {}

/**
 * A {@link RateLimiter} whose buckets live in keyward's `keyward_rate_limits` table (migration
 * 0008): one SQLite file or PostgreSQL database shared by every instance of a fleet, so limits
 * hold across processes.
 *
 * Each take is one transaction over its buckets: `BEGIN IMMEDIATE` on SQLite (retried while
 * another connection holds the lock, see `busyTimeoutMs`); on PostgreSQL the bucket rows are
 * locked in bucket order (`SELECT ... FOR UPDATE`), so overlapping takes queue and never
 * deadlock. A refused take writes nothing. Every 1000th take of an instance also deletes up to
 * 500 rows that have been full for a minute (a full bucket needs no row), so the table holds
 * about as many rows as there are buckets in use.
 *
 * Driver errors reject as `KeywardError` (`STORAGE_UNAVAILABLE`, or `STORAGE_SCHEMA` when the
 * table is missing: run `migrateToLatest`); keyward then refuses the request. The limiter owns
 * nothing: the host closes its Kysely instance.
 *
 * @example
 * ```ts
 * import { kyselyAdapter, kyselyRateLimiter, migrateToLatest } from 'keyward/adapters/kysely';
 *
 * await migrateToLatest(db);
 * const kw = createKeyward({
 *   storage: kyselyAdapter(db, { dialect: 'postgres' }),
 *   rateLimits: { limiter: kyselyRateLimiter({ db }) },
 *   // ...
 * });
 * ```
 */
export function kyselyRateLimiter<DB>(options: KyselyRateLimiterOptions<DB>): RateLimiter {
  const db = options.db as unknown as Kysely<KeywardDatabase>;
  const dialect = resolveDialect(db as Kysely<unknown>, options.dialect);
  const busyTimeoutMs = resolveBusyTimeout(options.busyTimeoutMs);
  let takes = 0;
  return {
    name: dialect,
    async take(checks, now) {
      if (checks.length === 0) return { allowed: true, states: [] };
      const outcome = await takeWithRetries(db, dialect, busyTimeoutMs, checks, now);
      takes += 1;
      if (takes % PRUNE_EVERY_TAKES === 0) await pruneQuietly(db, dialect, now);
      return outcome;
    },
  };
}

/** One prune; a failure is left to the next take to report (a prune only tidies up). */
async function pruneQuietly(
  db: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  now: number,
): Promise<void> {
  try {
    await pruneFullBuckets(db, dialect, now - PRUNE_GRACE_MS, PRUNE_BATCH);
  } catch {
    // Nothing to undo: the rows stay until the next prune.
  }
}

async function takeWithRetries(
  db: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  busyTimeoutMs: number,
  checks: readonly RateLimitCheck[],
  now: number,
): Promise<RateLimitOutcome> {
  const buckets = bucketsInLockOrder(checks);
  for (let attempt = 1; ; attempt++) {
    try {
      return await runTransaction(
        db,
        dialect,
        (trx) => takeInTransaction(trx, dialect, buckets, checks, now),
        busyTimeoutMs,
      );
    } catch (error) {
      if (attempt < TAKE_ATTEMPTS && isWorthRetrying(error)) continue;
      throw limiterError(error);
    }
  }
}

async function takeInTransaction(
  trx: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  buckets: readonly string[],
  checks: readonly RateLimitCheck[],
  now: number,
): Promise<RateLimitOutcome> {
  const locked = await lockBuckets(trx, dialect, buckets);
  if (locked.vanished) throw new BucketVanished();
  const { outcome, next } = takeTokens(checks, (index) => locked.stored.get(bucketOf(checks, index)), now);
  if (next === null) await deletePlaceholders(trx, locked.placeholders);
  else await writeBuckets(trx, bucketWrites(checks, next));
  return outcome;
}

/** The new state of each bucket: for a bucket named twice, the later check's. */
function bucketWrites(
  checks: readonly RateLimitCheck[],
  next: readonly { readonly tokens: number; readonly updatedAt: number }[],
): BucketWrite[] {
  const writes = new Map<string, BucketWrite>();
  checks.forEach((check, index) => {
    const state = next[index] as { readonly tokens: number; readonly updatedAt: number };
    const fullAt = state.updatedAt + resetMsOf(state.tokens, check);
    writes.set(check.bucket, {
      bucket: check.bucket,
      tokens: state.tokens,
      updatedAt: state.updatedAt,
      fullAt,
    });
  });
  return [...writes.values()];
}

function bucketOf(checks: readonly RateLimitCheck[], index: number): string {
  return (checks[index] as RateLimitCheck).bucket;
}

/**
 * The distinct buckets in bytewise (UTF-8) order: the order of PostgreSQL's `collate "C"` on
 * the `bucket` column, in which rows are both inserted and locked.
 */
function bucketsInLockOrder(checks: readonly RateLimitCheck[]): string[] {
  const distinct = [...new Set(checks.map((check) => check.bucket))];
  return distinct.sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

/** A serialization failure or deadlock (a host running `SERIALIZABLE`), or a pruned bucket. */
function isWorthRetrying(error: unknown): boolean {
  return error instanceof BucketVanished || classifyDriverFailure(error).kind === 'conflict';
}

/**
 * A `KeywardError` for what a take met: the storage mapping of `toStorageError`, except that a
 * conflict that outlived the retries is `STORAGE_UNAVAILABLE` too (a take never conflicts with
 * anything the caller did).
 */
function limiterError(error: unknown): KeywardError {
  if (error instanceof BucketVanished) {
    return new KeywardError(
      ERROR_CODES.STORAGE_UNAVAILABLE,
      'Rate limit buckets kept changing during a take',
    );
  }
  const mapped = toStorageError(error);
  if (mapped.code !== ERROR_CODES.CONFLICT) return mapped;
  return new KeywardError(ERROR_CODES.STORAGE_UNAVAILABLE, 'Storage kept rejecting a rate limit take', {
    cause: error,
    details: mapped.details,
  });
}
