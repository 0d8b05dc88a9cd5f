import type { Migration } from 'kysely';

const KEYS = 'keyward_api_keys';

/**
 * Tenant-wide key queries (`queryKeys`), each served by a `tenant_id`-led index: pages of a tenant
 * or of one workspace in `(created_at, id)` order, and the sweeps for keys expiring before a time
 * or not used since one. The request path's primary-key lookup is unchanged.
 */
const TENANT_KEY_INDEXES = [
  ['keyward_api_keys_tenant_page', ['tenant_id', 'created_at', 'id']],
  ['keyward_api_keys_workspace_page', ['tenant_id', 'workspace_id', 'created_at', 'id']],
  ['keyward_api_keys_tenant_expiry', ['tenant_id', 'expires_at']],
  ['keyward_api_keys_tenant_last_use', ['tenant_id', 'last_used_at']],
] as const;

/**
 * 0005: the key lifecycle's columns on `keyward_api_keys` (existing keys get their defaults):
 * `metadata` (JSON text, `'{}'`), `disabled_at` (a reversible disable, `null`; the stored
 * `status` and its check stay `active` / `revoked`) and `expiry_notice_at` (when an "expiring
 * soon" notice was last sent, `null`), and the indexes of tenant-wide key queries. Plain
 * `ADD COLUMN`s on both dialects: no table rebuild, and on PostgreSQL 11+ no rewrite either. The
 * migration run is one transaction (see `migrate.ts`), so the index builds block writes to the
 * keys table until it commits.
 *
 * @internal
 */
export function keyLifecycleMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable(KEYS)
        .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
        .execute();
      await db.schema.alterTable(KEYS).addColumn('disabled_at', 'bigint').execute();
      await db.schema.alterTable(KEYS).addColumn('expiry_notice_at', 'bigint').execute();
      for (const [name, columns] of TENANT_KEY_INDEXES) {
        await db.schema
          .createIndex(name)
          .on(KEYS)
          .columns([...columns])
          .execute();
      }
    },
    async down(db) {
      for (const [name] of TENANT_KEY_INDEXES) await db.schema.dropIndex(name).execute();
      // One column per statement: SQLite's ALTER TABLE drops one at a time.
      for (const column of ['expiry_notice_at', 'disabled_at', 'metadata'])
        await db.schema.alterTable(KEYS).dropColumn(column).execute();
    },
  };
}
