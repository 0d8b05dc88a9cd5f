import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
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

/**
 * Busy timeout of file connections. better-sqlite3 waits for a lock synchronously, blocking the
 * event loop: two handles in one process must wait briefly and let the adapter retry
 * `BEGIN IMMEDIATE` asynchronously, or the holder could never commit.
 */
const BUSY_TIMEOUT_MS = 10;

for (const target of TARGETS) {
  let db: Kysely<KeywardDatabase> | undefined;
  let file: string | undefined;
  runStorageConformance({
    name: target.name,
    runner: { describe, it, beforeAll, afterAll, beforeEach },
    async createAdapter(): Promise<StorageAdapter> {
      const dir = target.file === null ? null : await tempSqliteDirectory();
      file = dir === null || target.file === null ? undefined : dir.file(target.file);
      const opened = openSqlite(file ?? ':memory:', {
        wal: target.wal,
        statementCache: target.statementCache,
        busyTimeoutMs: BUSY_TIMEOUT_MS,
      });
      db = opened;
      await migrateToLatest(opened);
      const close = async (): Promise<void> => {
        await opened.destroy();
        await dir?.remove();
      };
      return { ...kyselyAdapter(opened, { dialect: 'sqlite' }), close };
    },
    // A second handle on the same file; `:memory:` is private to its handle, so it has none.
    createPeerAdapter:
      target.file === null
        ? undefined
        : (): StorageAdapter => {
            const second = openSqlite(file as string, {
              statementCache: target.statementCache,
              busyTimeoutMs: BUSY_TIMEOUT_MS,
            });
            return { ...kyselyAdapter(second, { dialect: 'sqlite' }), close: () => second.destroy() };
          },
    reset: async () => {
      if (db !== undefined) await clearKeywardTables(db);
    },
  });
}
