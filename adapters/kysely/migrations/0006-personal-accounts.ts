import { type Migration, sql } from 'kysely';

const ACCOUNTS = 'keyward_service_accounts';
const PERSONAL_ACCOUNT_INDEX = 'keyward_service_accounts_personal_owner';

/**
 * 0006: personal accounts, the hidden account row holding one person's own keys in one workspace.
 * `kind` (`'service'` for every existing row, or `'personal'`) and `owner_user_id` (`null` on a
 * service account), and a partial unique index on `(tenant_id, workspace_id, owner_user_id)` over
 * personal rows: one personal account per person and workspace, however many instances race to
 * create it. Plain `ADD COLUMN`s with a constant default on both dialects: no table rebuild.
 *
 * @internal
 */
export function personalAccountsMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable(ACCOUNTS)
        .addColumn('kind', 'text', (col) => col.notNull().defaultTo('service'))
        .execute();
      await db.schema.alterTable(ACCOUNTS).addColumn('owner_user_id', 'text').execute();
      await db.schema
        .createIndex(PERSONAL_ACCOUNT_INDEX)
        .on(ACCOUNTS)
        .columns(['tenant_id', 'workspace_id', 'owner_user_id'])
        .unique()
        .where(sql.ref('kind'), '=', sql.lit('personal'))
        .execute();
    },
    async down(db) {
      await db.schema.dropIndex(PERSONAL_ACCOUNT_INDEX).execute();
      // One column per statement: SQLite's ALTER TABLE drops one at a time.
      for (const column of ['owner_user_id', 'kind'])
        await db.schema.alterTable(ACCOUNTS).dropColumn(column).execute();
    },
  };
}
