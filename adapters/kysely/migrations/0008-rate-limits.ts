import { type Migration, sql } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';
import { idType } from './column-types.js';

const RATE_LIMITS = 'keyward_rate_limits';
const FULL_AT_INDEX = 'keyward_rate_limits_full_at';

/**
 * 0008: `keyward_rate_limits`, the token buckets of `kyselyRateLimiter`: one row per bucket id
 * (`bucket`, bytewise on PostgreSQL like every id column), its `tokens` (a float) as of
 * `updated_at`, and `full_at`, when it will be full again (epoch ms). A row whose `full_at` has
 * passed is the same as no row (a missing bucket is full), so rows are pruned by `full_at`,
 * through its index. A new table: nothing existing changes.
 *
 * @internal
 */
export function rateLimitsMigration(dialect: KyselyDialectName): Migration {
  return {
    async up(db) {
      await db.schema
        .createTable(RATE_LIMITS)
        .addColumn('bucket', idType(dialect), (col) => col.primaryKey())
        .addColumn('tokens', dialect === 'postgres' ? sql`double precision` : sql`real`, (col) =>
          col.notNull(),
        )
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('full_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex(FULL_AT_INDEX).on(RATE_LIMITS).column('full_at').execute();
    },
    async down(db) {
      await db.schema.dropIndex(FULL_AT_INDEX).execute();
      await db.schema.dropTable(RATE_LIMITS).execute();
    },
  };
}
