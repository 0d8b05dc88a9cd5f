import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  kyselyAdapter,
  migrateToLatest,
  postgresChangeFeed,
  postgresPreparedStatements,
  sqliteChangeFeed,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward, type KeywardConfig } from '../../src/index.js';
import { datasetsInWorkspace, resolveUser } from './demo-platform.js';

/** Where the demo keeps keyward's tables, and extra settings (a clock, for tests). */
export interface DemoStorageOptions {
  /** A PostgreSQL URL; embedded SQLite when absent. */
  databaseUrl?: string | undefined;
  /** The SQLite file (default `keyward-example.sqlite`). */
  sqlitePath?: string | undefined;
  keyward?: Partial<Omit<KeywardConfig, 'storage'>> | undefined;
}

/**
 * Opens keyward for the examples: embedded SQLite (WAL) by default, PostgreSQL when
 * `databaseUrl` is set, migrated to the latest schema. `close()` drains keyward, then the pool.
 */
export async function openKeyward(
  options: DemoStorageOptions = {},
): Promise<{ kw: Keyward; dialect: 'sqlite' | 'postgres'; close(): Promise<void> }> {
  const dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const sqlite =
    dialect === 'sqlite' ? sqliteFile(options.sqlitePath ?? 'keyward-example.sqlite') : undefined;
  const db =
    sqlite === undefined
      ? new Kysely<unknown>({
          dialect: new PostgresDialect({
            // Each timeout bounds a fault: see docs/storage.md.
            pool: postgresPreparedStatements(
              new pg.Pool({
                connectionString: options.databaseUrl,
                connectionTimeoutMillis: 5_000,
                query_timeout: 5_000,
                statement_timeout: 3_000,
                idle_in_transaction_session_timeout: 10_000,
              }),
            ),
          }),
        })
      : new Kysely<unknown>({
          dialect: new SqliteDialect({
            database: sqliteStatementCache(sqlite),
          }),
        });
  await migrateToLatest(db, { dialect });
  const kw = createKeyward({
    // Live and test keys look different (`acme_live_...`, `acme_test_...`); routes take live keys
    // unless they say otherwise (the examples' `/sandbox` route takes test keys).
    tokenPrefix: { live: 'acme_live', test: 'acme_test' },
    acceptEnvironments: ['live'],
    // Keys stay within the live rights of every person and key up their chain of creators.
    liveCreatorBoundary: true,
    resolveActor: resolveUser,
    datasetsInWorkspace,
    // Every instance sharing the database hears of every change, so the verification cache is
    // on: over PostgreSQL through LISTEN/NOTIFY, over SQLite through its change log.
    changes:
      sqlite === undefined
        ? postgresChangeFeed({ connect: () => new pg.Client({ connectionString: options.databaseUrl }) })
        : sqliteChangeFeed({ database: sqlite }),
    ...options.keyward,
    storage: kyselyAdapter(db, { dialect }),
  });
  return {
    kw,
    dialect,
    async close() {
      await kw.close();
      await db.destroy();
    },
  };
}

/** An SQLite file in WAL mode with a short busy timeout (keyward retries asynchronously). */
function sqliteFile(path: string): Database.Database {
  const database = new Database(path, { timeout: 5 });
  if (path !== ':memory:') database.pragma('journal_mode = WAL');
  return database;
}
