import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { runStorageConformance } from '../../src/testing/index.js';
import { createPostgresDatabase } from '../setup/postgres-database.js';
import { clearKeywardTables, openPostgres } from '../setup/sql-databases.js';

const adminUrl = inject('databaseUrl');

/** As hosts run it: a plain pg pool, and one sending named prepared statements. */
const TARGETS = [
  { name: 'postgres (database collation ICU en-US)', prepared: false },
  { name: 'postgres (prepared statements)', prepared: true },
] as const;

// Skipped only when the global setup found neither DATABASE_URL nor PostgreSQL binaries (it
// warns loudly then, and fails instead under KEYWARD_REQUIRE_POSTGRES=1, as CI sets).
describe.runIf(adminUrl !== null)('PostgreSQL', () => {
  for (const target of TARGETS) {
    let db: Kysely<KeywardDatabase> | undefined;
    let url: string | undefined;
    runStorageConformance({
      name: target.name,
      runner: { describe, it, beforeAll, afterAll, beforeEach },
      async createAdapter(): Promise<StorageAdapter> {
        // A linguistic collation (where 'a' < 'B') proves ids still order bytewise.
        const database = await createPostgresDatabase(adminUrl as string, 'conformance', {
          icuLocale: 'en-US',
        });
        url = database.url;
        const opened = openPostgres(database.url, 10, undefined, target.prepared);
        db = opened;
        await migrateToLatest(opened);
        const close = async (): Promise<void> => {
          await opened.destroy();
          await database.drop();
        };
        return { ...kyselyAdapter(opened, { dialect: 'postgres' }), close };
      },
      // A second pool on the same database: the peer's transactions run on other connections.
      createPeerAdapter(): StorageAdapter {
        const second = openPostgres(url as string, 10, undefined, target.prepared);
        return { ...kyselyAdapter(second, { dialect: 'postgres' }), close: () => second.destroy() };
      },
      reset: async () => {
        if (db !== undefined) await clearKeywardTables(db);
      },
    });
  }
});
