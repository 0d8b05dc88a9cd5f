import type { Migration } from 'kysely';
import type { KyselyDialectName } from '../dialect.js';

const CHANGES = 'keyward_changes';

/**
 * 0009: `keyward_changes`, SQLite's change log, which `sqliteChangeFeed` reads so that every
 * process sharing the file evicts what another one changed. One row per changed record, written
 * in the transaction of the change: `seq` (`INTEGER PRIMARY KEY AUTOINCREMENT`: never reused, and
 * in commit order since SQLite writers are serialized), `kind` (`'k'` a key, `'a'` an account and
 * its keys), `id`, and `at` (epoch ms, for pruning). SQLite only: PostgreSQL tells its instances
 * with `NOTIFY` and needs no table, so there this migration does nothing. A new table: nothing
 * existing changes.
 *
 * @internal
 */
export function changeLogMigration(dialect: KyselyDialectName): Migration {
  return {
    async up(db) {
      if (dialect !== 'sqlite') return;
      await db.schema
        .createTable(CHANGES)
        .addColumn('seq', 'integer', (col) => col.primaryKey().autoIncrement())
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('id', 'text', (col) => col.notNull())
        .addColumn('at', 'integer', (col) => col.notNull())
        .execute();
    },
    async down(db) {
      if (dialect !== 'sqlite') return;
      await db.schema.dropTable(CHANGES).execute();
    },
  };
}
