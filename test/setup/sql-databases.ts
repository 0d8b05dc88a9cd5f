import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type LogConfig, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  type KeywardDatabase,
  postgresDiscardBrokenConnections,
  postgresPreparedStatements,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';

/** Options of {@link openSqlite}. */
export interface SqliteOpenOptions {
  /** Switch the file to write-ahead logging (what keyward's docs recommend for files). */
  readonly wal?: boolean | undefined;
  /**
   * better-sqlite3 busy timeout in ms: 5 by default, as docs/storage.md recommends (better-sqlite3's
   * own default, 5000, blocks the event loop that long; the adapter retries asynchronously).
   */
  readonly busyTimeoutMs?: number | undefined;
  /** Reuse prepared statements through `sqliteStatementCache` (the recommended host setup). */
  readonly statementCache?: boolean | undefined;
  /** Kysely's query log (to capture the SQL the adapter runs). */
  readonly log?: LogConfig | undefined;
}

/** A Kysely instance over better-sqlite3, the way a host builds one. */
export function openSqlite(filename: string, options: SqliteOpenOptions = {}): Kysely<KeywardDatabase> {
  const database = new Database(filename, { timeout: options.busyTimeoutMs ?? 5 });
  if (options.wal === true) database.pragma('journal_mode = WAL');
  const dialect = new SqliteDialect({
    database: options.statementCache === true ? sqliteStatementCache(database) : database,
  });
  return new Kysely<KeywardDatabase>(options.log === undefined ? { dialect } : { dialect, log: options.log });
}

/**
 * The pool settings docs/storage.md recommends for PostgreSQL (keep the two in step): every
 * test that opens PostgreSQL runs with them, so the suite runs the documented setup.
 */
export const DOCUMENTED_POSTGRES_POOL = {
  connectionTimeoutMillis: 5_000,
  query_timeout: 5_000,
  statement_timeout: 3_000,
  idle_in_transaction_session_timeout: 10_000,
  keepAlive: true,
} as const satisfies pg.PoolConfig;

/**
 * A Kysely instance over a pg pool, the way docs/storage.md builds one: the documented settings
 * ({@link DOCUMENTED_POSTGRES_POOL}, `settings` overriding them), an `error` listener on the
 * pool, and `postgresPreparedStatements` when `prepared`, `postgresDiscardBrokenConnections`
 * otherwise.
 */
export function openPostgres(
  url: string,
  poolSize = 10,
  log?: LogConfig,
  prepared = false,
  settings: pg.PoolConfig = {},
): Kysely<KeywardDatabase> {
  const raw = new pg.Pool({ ...DOCUMENTED_POSTGRES_POOL, ...settings, connectionString: url, max: poolSize });
  // An idle connection the server closed (a restart): pg has already dropped it; a host logs this.
  raw.on('error', () => {});
  const pool = prepared ? postgresPreparedStatements(raw) : postgresDiscardBrokenConnections(raw);
  const dialect = new PostgresDialect({ pool });
  return new Kysely<KeywardDatabase>(log === undefined ? { dialect } : { dialect, log });
}

/** Deletes every keyward row (children first), keeping the schema. */
export async function clearKeywardTables(db: Kysely<KeywardDatabase>): Promise<void> {
  await db.deleteFrom('keyward_audit_events').execute();
  await db.deleteFrom('keyward_api_keys').execute();
  await db.deleteFrom('keyward_service_accounts').execute();
}

/** A temp directory for SQLite files, removed by `remove()`. */
export async function tempSqliteDirectory(): Promise<{
  file(name: string): string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'keyward-sqlite-'));
  return { file: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}
