import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type KeywardDatabase, kyselyRateLimiter, migrateToLatest } from '../../adapters/kysely/index.js';
import { PRUNE_GRACE_MS } from '../../adapters/kysely/kysely-rate-limiter.js';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import type { RateLimitCheck, RateLimiter } from '../../src/request-controls/rate-limiter.js';
import { rejection } from '../support/rejection.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const T0 = 1_700_000_000_000;

function check(bucket: string, limit: number, windowMs = 60_000, cost = 1): RateLimitCheck {
  return { bucket, limit, windowMs, cost };
}

function rowsOf(db: Kysely<KeywardDatabase>) {
  return db.selectFrom('keyward_rate_limits').selectAll().orderBy('bucket').execute();
}

async function countRows(db: Kysely<KeywardDatabase>): Promise<number> {
  const row = await db
    .selectFrom('keyward_rate_limits')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function allowedOf(takes: Promise<{ readonly allowed: boolean }>[]): Promise<number> {
  return (await Promise.all(takes)).filter((outcome) => outcome.allowed).length;
}

describeEachSqlTarget('kyselyRateLimiter', (target) => {
  let database: SqlDatabase;
  let db: Kysely<KeywardDatabase>;
  let limiter: RateLimiter;
  beforeEach(async () => {
    database = await target.create('rate_limiter');
    db = database.connect(5);
    await migrateToLatest(db);
    limiter = kyselyRateLimiter({ db });
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('names its dialect, read from the Kysely instance', () => {
    expect(limiter.name).toBe(target.dialect);
  });

  it('stores a taken bucket as tokens, last update and when it is full again', async () => {
    await limiter.take([check('b:1', 4, 1000)], T0);
    const rows = await rowsOf(db);
    expect(rows.map((row) => [row.bucket, row.tokens, Number(row.updated_at), Number(row.full_at)])).toEqual([
      ['b:1', 3, T0, T0 + 250],
    ]);
  });

  it('a refused take writes nothing: no row for a new bucket, the stored row unchanged', async () => {
    expect((await limiter.take([check('new', 2, 1000, 3)], T0)).allowed).toBe(false);
    expect(await rowsOf(db)).toEqual([]);
    expect((await limiter.take([check('b', 1)], T0)).allowed).toBe(true);
    const before = await rowsOf(db);
    const refused = await limiter.take([check('other', 5), check('b', 1)], T0 + 10);
    expect(refused).toMatchObject({ allowed: false, refusedBy: 1 });
    expect(await rowsOf(db)).toEqual(before);
  });

  it('two instances on their own connections share every bucket', async () => {
    const peer = kyselyRateLimiter({ db: database.connect(5), dialect: target.dialect });
    expect((await limiter.take([check('shared', 2)], T0)).allowed).toBe(true);
    expect((await peer.take([check('shared', 2)], T0)).allowed).toBe(true);
    expect(await limiter.take([check('shared', 2)], T0)).toMatchObject({ allowed: false, refusedBy: 0 });
    expect(await peer.take([check('shared', 2)], T0)).toMatchObject({ allowed: false, refusedBy: 0 });
  });

  it('concurrent takes from two connections allow exactly the limit', async () => {
    const peer = kyselyRateLimiter({ db: database.connect(5) });
    const takes = Array.from({ length: 30 }, (_, index) =>
      (index % 2 === 0 ? limiter : peer).take([check('hot', 10)], T0),
    );
    expect(await allowedOf(takes)).toBe(10);
  });

  it('overlapping takes naming their buckets in opposite orders neither deadlock nor exceed the smaller limit', async () => {
    const peer = kyselyRateLimiter({ db: database.connect(5) });
    const takes = Array.from({ length: 24 }, (_, index) =>
      index % 2 === 0
        ? limiter.take([check('x', 20), check('y', 8)], T0)
        : peer.take([check('y', 8), check('x', 20)], T0),
    );
    expect(await allowedOf(takes)).toBe(8);
  });

  it('every 1000th take prunes up to 500 rows full for a minute, and keeps the others', async () => {
    const windowMs = 1000;
    for (let index = 0; index < 600; index++) await limiter.take([check(`idle:${index}`, 5, windowMs)], T0);
    for (let index = 0; index < 399; index++) await limiter.take([check(`busy:${index}`, 5, 3_600_000)], T0);
    expect(await countRows(db)).toBe(999);
    // The 1000th take, once the idle buckets have been full for longer than the grace period.
    await limiter.take([check('last', 5, windowMs)], T0 + windowMs + PRUNE_GRACE_MS);
    expect(await countRows(db)).toBe(500);
    const busy = await db
      .selectFrom('keyward_rate_limits')
      .select('bucket')
      .where('bucket', 'like', 'busy:%')
      .execute();
    expect(busy).toHaveLength(399);
    // A pruned bucket is full again.
    expect(await limiter.take([check('idle:0', 5, windowMs)], T0 + windowMs + PRUNE_GRACE_MS)).toMatchObject({
      allowed: true,
      states: [{ remaining: 4 }],
    });
  });

  it('rejects with STORAGE_SCHEMA before migrations, never with driver text', async () => {
    const bare = kyselyRateLimiter({ db: database.connect(1) });
    await db.schema.dropTable('keyward_rate_limits').execute();
    const error = await rejection(bare.take([check('b', 1)], T0));
    expect(error.code).toBe(ERROR_CODES.STORAGE_SCHEMA);
    expect(error.message).not.toMatch(/keyward_rate_limits|select|insert/i);
  });

  it('rejects with STORAGE_UNAVAILABLE when the database is closed', async () => {
    const closed = database.connect(1);
    const orphan = kyselyRateLimiter({ db: closed });
    await orphan.take([check('b', 1)], T0);
    await closed.destroy();
    const error = await rejection(orphan.take([check('b', 1)], T0));
    expect(error.code).toBe(ERROR_CODES.STORAGE_UNAVAILABLE);
    expect(error.message).toBe('Storage is unavailable');
  });
});
