import type { Migration } from 'kysely';

const ACCOUNTS = 'keyward_service_accounts';
const KEYS = 'keyward_api_keys';

/** The columns added to `keyward_api_keys`, nullable and without default: existing keys are unlimited. */
const KEY_CREDIT_COLUMNS = [
  'credits_remaining',
  'credits_refill_amount',
  'credits_refill_interval_ms',
  'credits_refilled_at',
] as const;

/**
 * 0007: the request-path controls' columns. On `keyward_service_accounts` and
 * `keyward_api_keys`: `ip_allowlist` (JSON text, `null` = any address) and `rate_limits` (JSON
 * text, `'[]'`). On `keyward_api_keys` only: the usage credits, `credits_remaining`,
 * `credits_refill_amount`, `credits_refill_interval_ms` (`bigint`, `null` = unlimited / no
 * refill) and `credits_refilled_at` (epoch ms like every instant column, `null` without refill).
 * Existing rows get no allowlist, no rate limits and unlimited credits. Plain `ADD COLUMN`s with
 * a constant default (or none) on both dialects: no table rebuild, and on PostgreSQL 11+ no
 * rewrite either; no index, the request path still reads the key by primary key.
 *
 * @internal
 */
export function requestControlsMigration(): Migration {
  return {
    async up(db) {
      for (const table of [ACCOUNTS, KEYS]) {
        await db.schema.alterTable(table).addColumn('ip_allowlist', 'text').execute();
        await db.schema
          .alterTable(table)
          .addColumn('rate_limits', 'text', (col) => col.notNull().defaultTo('[]'))
          .execute();
      }
      for (const column of KEY_CREDIT_COLUMNS)
        await db.schema.alterTable(KEYS).addColumn(column, 'bigint').execute();
    },
    async down(db) {
      // One column per statement: SQLite's ALTER TABLE drops one at a time.
      for (const column of [...KEY_CREDIT_COLUMNS].reverse())
        await db.schema.alterTable(KEYS).dropColumn(column).execute();
      for (const table of [KEYS, ACCOUNTS]) {
        for (const column of ['rate_limits', 'ip_allowlist'])
          await db.schema.alterTable(table).dropColumn(column).execute();
      }
    },
  };
}
