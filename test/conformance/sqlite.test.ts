import type { Kysely } from 'kysely';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { runStorageConformance } from '../../src/testing/index.js';
import { clearKeywardTables, openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';

/** SQLite the ways a host runs it: in memory, and a file in WAL (with the statement cache) or rollback-journal mode. */
const TARGETS = [
  { name: 'sqlite :memory:', file: null, wal: false, statementCache: false },
  { name: 'sqlite file (WAL, statement cache)', file: 'conformance-wal.db', wal: true, statementCache: true },
  {
    name: 'sqlite file (rollback journal)',
    file: 'conformance-journal.db',
    wal: false,
    statementCache: false,
  },
] as const;

for (const target of TARGETS) {
  let db: Kysely<KeywardDatabase> | undefined;
  runStorageConformance({
    name: target.name,
    async createAdapter(): Promise<StorageAdapter> {
      const dir = target.file === null ? null : await tempSqliteDirectory();
      const opened = openSqlite(dir === null || target.file === null ? ':memory:' : dir.file(target.file), {
        wal: target.wal,
        statementCache: target.statementCache,
      });
      db = opened;
      await migrateToLatest(opened);
      const close = async (): Promise<void> => {
        await opened.destroy();
        await dir?.remove();
      };
      return { ...kyselyAdapter(opened, { dialect: 'sqlite' }), close };
    },
    reset: async () => {
      if (db !== undefined) await clearKeywardTables(db);
    },
  });
}
