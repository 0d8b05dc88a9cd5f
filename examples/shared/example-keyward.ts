import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  kyselyAdapter,
  migrateToLatest,
  postgresPreparedStatements,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward, type KeywardConfig } from '../../src/index.js';
import { datasetsInWorkspace, resolveUser } from './world.js';

/** Where the example keeps keyward's tables. */
export interface ExampleStorageOptions {
  /** A PostgreSQL connection URL; when set, PostgreSQL is used. */
  databaseUrl?: string | undefined;
  /** The SQLite file otherwise (default `keyward-example.sqlite`); `:memory:` works too. */
  sqlitePath?: string | undefined;
  /** Extra keyward settings (a clock for tests, ...). */
  keyward?: Partial<Omit<KeywardConfig, 'storage'>> | undefined;
}

/** A keyward instance over the example's storage, and how to shut both down. */
export interface ExampleKeyward {
  readonly kw: Keyward;
  readonly dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Opens the example's storage (embedded SQLite by default, PostgreSQL when `databaseUrl` is
 * set), runs keyward's migrations and builds the keyward instance of the example apps.
 *
 * @example
 * ```ts
 * const { kw, close } = await openExampleKeyward({ databaseUrl: process.env.DATABASE_URL });
 * ```
 */
export async function openExampleKeyward(options: ExampleStorageOptions = {}): Promise<ExampleKeyward> {
  const usePostgres = options.databaseUrl !== undefined && options.databaseUrl !== '';
  const dialect = usePostgres ? 'postgres' : 'sqlite';
  const db = usePostgres
    ? new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: postgresPreparedStatements(openPostgresPool(options.databaseUrl as string)),
        }),
      })
    : new Kysely<unknown>({
        dialect: new SqliteDialect({
          database: sqliteStatementCache(openSqlite(options.sqlitePath ?? 'keyward-example.sqlite')),
        }),
      });
  await migrateToLatest(db, { dialect });
  const kw = createKeyward({
    tokenPrefix: 'acme',
    // Keys stay within the live rights of every person and key up their chain of creators.
    liveCreatorBoundary: true,
    resolveActor: resolveUser,
    datasetsInWorkspace,
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

/**
 * A pg pool set up as docs/storage.md recommends: each timeout bounds a fault (a frozen server,
 * a stuck statement, a client gone mid-transaction), and the `error` listener keeps a database
 * restart from ending the process.
 */
function openPostgresPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    connectionTimeoutMillis: 5_000,
    query_timeout: 5_000,
    statement_timeout: 3_000,
    idle_in_transaction_session_timeout: 10_000,
    keepAlive: true,
  });
  pool.on('error', (error) =>
    console.warn(`keyward example: idle PostgreSQL connection lost: ${error.message}`),
  );
  return pool;
}

/**
 * An SQLite database in WAL mode, as a server wants it, with a short busy timeout: better-sqlite3
 * waits for a lock synchronously, keyward's adapter retries asynchronously.
 */
function openSqlite(path: string): Database.Database {
  const database = new Database(path, { timeout: 5 });
  if (path !== ':memory:') database.pragma('journal_mode = WAL');
  return database;
}
