import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, type LogConfig, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  type KeywardDatabase,
  postgresPreparedStatements,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';

/** Options of {@link openSqlite}. */
export interface SqliteOpenOptions {
  /** Switch the file to write-ahead logging (what keyward's docs recommend for files). */
  readonly wal?: boolean | undefined;
  /** better-sqlite3 busy timeout in ms (its default is 5000). */
  readonly busyTimeoutMs?: number | undefined;
  /** Reuse prepared statements through `sqliteStatementCache` (the recommended host setup). */
  readonly statementCache?: boolean | undefined;
  /** Kysely's query log (to capture the SQL the adapter runs). */
  readonly log?: LogConfig | undefined;
}

/** A Kysely instance over better-sqlite3, the way a host builds one. */
export function openSqlite(filename: string, options: SqliteOpenOptions = {}): Kysely<KeywardDatabase> {
  const database = new Database(filename, { timeout: options.busyTimeoutMs ?? 5000 });
  if (options.wal === true) database.pragma('journal_mode = WAL');
  const dialect = new SqliteDialect({
    database: options.statementCache === true ? sqliteStatementCache(database) : database,
  });
  return new Kysely<KeywardDatabase>(options.log === undefined ? { dialect } : { dialect, log: options.log });
}

/**
 * A Kysely instance over a pg pool, the way a host builds one; `prepared` sends parameterized
 * queries as named prepared statements (`postgresPreparedStatements`).
 */
export function openPostgres(
  url: string,
  poolSize = 10,
  log?: LogConfig,
  prepared = false,
): Kysely<KeywardDatabase> {
  const raw = new pg.Pool({ connectionString: url, max: poolSize });
  const pool = prepared ? postgresPreparedStatements(raw) : raw;
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
