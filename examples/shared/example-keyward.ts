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
          pool: postgresPreparedStatements(new pg.Pool({ connectionString: options.databaseUrl, max: 10 })),
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

/** An SQLite database in WAL mode, as a server wants it. */
function openSqlite(path: string): Database.Database {
  const database = new Database(path);
  if (path !== ':memory:') database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  return database;
}
