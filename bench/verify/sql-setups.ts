import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { apiKeyToRow } from '../../adapters/kysely/api-key-row.js';
import {
  type KeywardDatabase,
  kyselyAdapter,
  migrateToLatest,
  postgresPreparedStatements,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';
import { serviceAccountToRow } from '../../adapters/kysely/service-account-row.js';
import { findPostgresBinaries } from '../../test/setup/postgres-binaries.js';
import { type PostgresCluster, startPostgresCluster } from '../../test/setup/postgres-cluster.js';
import type { StorageSetup } from '../verify.bench.js';
import type { InsertBatch } from './seed-world.js';

const CHUNK = 500;

/** Bulk insert straight into the tables (seeding 1,000,000 keys through the API would take hours). */
function bulkInsert(db: Kysely<KeywardDatabase>): InsertBatch {
  return async (accounts, keys) => {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < accounts.length; i += CHUNK) {
        await trx
          .insertInto('keyward_service_accounts')
          .values(accounts.slice(i, i + CHUNK).map(serviceAccountToRow))
          .execute();
      }
      for (let i = 0; i < keys.length; i += CHUNK) {
        await trx
          .insertInto('keyward_api_keys')
          .values(keys.slice(i, i + CHUNK).map(apiKeyToRow))
          .execute();
      }
    });
  };
}

const sqlite: StorageSetup = {
  storage: 'sqlite',
  keysStored: [1_000, 1_000_000],
  concurrency: 1,
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'keyward-bench-'));
    const database = new Database(join(dir, 'bench.sqlite'), { timeout: 5 });
    database.pragma('journal_mode = WAL');
    // As docs/storage.md recommends: page cache misses read the mapped file, not read() per page.
    database.pragma('mmap_size = 1073741824');
    const db = new Kysely<KeywardDatabase>({
      dialect: new SqliteDialect({ database: sqliteStatementCache(database) }),
    });
    await migrateToLatest(db);
    return {
      storage: kyselyAdapter(db, { dialect: 'sqlite' }),
      insert: bulkInsert(db),
      close: async () => {
        await db.destroy();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(url: () => Promise<string>, finish: () => Promise<void>): StorageSetup {
  return {
    storage: 'postgres',
    keysStored: [1_000, 1_000_000],
    concurrency: 32,
    async open() {
      const pool = postgresPreparedStatements(new pg.Pool({ connectionString: await url(), max: 16 }));
      const db = new Kysely<KeywardDatabase>({ dialect: new PostgresDialect({ pool }) });
      // Every keyward table, whichever migrations made it (a size after the first starts empty).
      const tables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_name like 'keyward_%'`.execute(db);
      for (const { name } of tables.rows)
        await sql`drop table if exists ${sql.table(name)} cascade`.execute(db);
      await migrateToLatest(db);
      return {
        storage: kyselyAdapter(db, { dialect: 'postgres' }),
        insert: bulkInsert(db),
        afterSeed: async () => {
          await sql`analyze`.execute(db);
        },
        close: () => db.destroy(),
      };
    },
    finish,
  };
}

/**
 * SQLite over a temp file, and PostgreSQL at `DATABASE_URL` or on a throwaway loopback cluster
 * started like the tests do. Without a server, the PostgreSQL rows are skipped with a warning.
 */
export async function sqlSetups(): Promise<StorageSetup[]> {
  const external = process.env.DATABASE_URL;
  if (external)
    return [
      sqlite,
      postgres(
        async () => external,
        async () => {},
      ),
    ];
  const binaries = await findPostgresBinaries();
  if (binaries === null) {
    console.warn(
      'bench verify: no PostgreSQL (set DATABASE_URL or put initdb on PATH): postgres rows skipped',
    );
    return [sqlite];
  }
  let cluster: PostgresCluster | null = null;
  const url = async () => {
    cluster ??= await startPostgresCluster(binaries);
    return cluster.url;
  };
  return [sqlite, postgres(url, async () => cluster?.stop())];
}
