import { type Kysely, type MigrationResult, type MigrationResultSet, Migrator } from 'kysely';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { type KyselyDialectName, resolveDialect } from './dialect.js';
import { keywardMigrationProvider } from './migrations/index.js';
import { resolveBusyTimeout } from './sqlite-busy-retry.js';
import { SqliteMigrator } from './sqlite-migrator.js';
import { toStorageError } from './storage-error.js';

/** Table recording which keyward migrations ran. */
export const KEYWARD_MIGRATION_TABLE = 'keyward_migrations';

/** Table Kysely uses to keep two migrators from running at once (on SQLite the write lock does). */
export const KEYWARD_MIGRATION_LOCK_TABLE = 'keyward_migrations_lock';

/** Options of the migration functions. */
export interface KeywardMigrationOptions {
  /** The database's dialect; read from the Kysely instance's adapter when omitted. */
  readonly dialect?: KyselyDialectName | undefined;
  /**
   * SQLite only: how long a migrator waits (asynchronously) for the database write lock, held by
   * another migration or writer, before it fails with `STORAGE_UNAVAILABLE` ("Another migration
   * is running"). Whole milliseconds, 0 to 86400000; default 30000. PostgreSQL migrators wait for
   * each other on an advisory lock without a limit.
   */
  readonly busyTimeoutMs?: number | undefined;
}

/** How long a SQLite migrator waits for the write lock by default: long enough for another's migration. */
const DEFAULT_MIGRATION_BUSY_TIMEOUT_MS = 30_000;

/**
 * A Kysely `Migrator` over keyward's versioned migrations (`0001-initial`, …), recorded in
 * `keyward_migrations`, so they never mix with the host's own. Use it for `migrateTo(name)` or
 * `getMigrations()`; {@link migrateToLatest} covers the common case.
 *
 * Each run is one transaction on both dialects: it applies all of its migrations or none. On
 * PostgreSQL that is Kysely's (with an advisory lock between migrators); on SQLite keyward runs
 * it inside `BEGIN IMMEDIATE`, whose write lock also keeps a second migrator waiting.
 *
 * @example
 * ```ts
 * const { results } = await keywardMigrator(db).migrateTo('0001-initial');
 * ```
 */
export function keywardMigrator<DB>(db: Kysely<DB>, options: KeywardMigrationOptions = {}): Migrator {
  const dialect = resolveDialect(db as Kysely<unknown>, options.dialect);
  const busyTimeoutMs = resolveBusyTimeout(options.busyTimeoutMs, DEFAULT_MIGRATION_BUSY_TIMEOUT_MS);
  const props = {
    db: db as Kysely<unknown>,
    provider: keywardMigrationProvider(dialect),
    migrationTableName: KEYWARD_MIGRATION_TABLE,
    migrationLockTableName: KEYWARD_MIGRATION_LOCK_TABLE,
  };
  return dialect === 'sqlite' ? new SqliteMigrator(props, busyTimeoutMs) : new Migrator(props);
}

/**
 * Brings keyward's tables to the latest version: idempotent, all-or-nothing (a run interrupted
 * by a crash leaves nothing behind and is done again on the next start), and safe to run from
 * several instances at once (the others wait, then find nothing to do). Returns what ran; throws
 * `KeywardError` when a migration fails or, on SQLite, when another migration held the
 * database for longer than `busyTimeoutMs`.
 *
 * @example
 * ```ts
 * await migrateToLatest(db);
 * ```
 */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  options: KeywardMigrationOptions = {},
): Promise<readonly MigrationResult[]> {
  return unwrap(await keywardMigrator(db, options).migrateToLatest());
}

/**
 * Undoes the latest applied keyward migration (one step). Returns what ran; throws
 * `KeywardError` when it fails.
 *
 * @example
 * ```ts
 * await migrateDown(db); // e.g. 0002 -> 0001
 * ```
 */
export async function migrateDown<DB>(
  db: Kysely<DB>,
  options: KeywardMigrationOptions = {},
): Promise<readonly MigrationResult[]> {
  return unwrap(await keywardMigrator(db, options).migrateDown());
}

function unwrap(resultSet: MigrationResultSet): readonly MigrationResult[] {
  const results = resultSet.results ?? [];
  if (resultSet.error === undefined) return results;
  const failed = results.find((result) => result.status === 'Error')?.migrationName ?? null;
  const mapped = toStorageError(resultSet.error);
  // Before any migration ran (the lock, the state), a KeywardError says best what went wrong.
  const before = resultSet.error instanceof KeywardError ? resultSet.error.message : 'Migration failed';
  throw new KeywardError(mapped.code, failed === null ? before : `Migration ${failed} failed`, {
    cause: resultSet.error,
    details: { ...mapped.details, migration: failed },
  });
}
