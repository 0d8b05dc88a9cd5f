import { type Kysely, type MigrationResult, type MigrationResultSet, Migrator } from 'kysely';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { type KyselyDialectName, resolveDialect } from './dialect.js';
import { keywardMigrationProvider } from './migrations/index.js';
import { toStorageError } from './storage-error.js';

/** Table recording which keyward migrations ran. */
export const KEYWARD_MIGRATION_TABLE = 'keyward_migrations';

/** Table Kysely uses to keep two migrators from running at once. */
export const KEYWARD_MIGRATION_LOCK_TABLE = 'keyward_migrations_lock';

/** Options of the migration functions. */
export interface KeywardMigrationOptions {
  /** The database's dialect; read from the Kysely instance's adapter when omitted. */
  readonly dialect?: KyselyDialectName | undefined;
}

/**
 * A Kysely `Migrator` over keyward's versioned migrations (`0001-initial`, …), recorded in
 * `keyward_migrations`, so they never mix with the host's own. Use it for `migrateTo(name)` or
 * `getMigrations()`; {@link migrateToLatest} covers the common case.
 *
 * @example
 * ```ts
 * const { results } = await keywardMigrator(db).migrateTo('0001-initial');
 * ```
 */
export function keywardMigrator<DB>(db: Kysely<DB>, options: KeywardMigrationOptions = {}): Migrator {
  const dialect = resolveDialect(db as Kysely<unknown>, options.dialect);
  return new Migrator({
    db: db as Kysely<unknown>,
    provider: keywardMigrationProvider(dialect),
    migrationTableName: KEYWARD_MIGRATION_TABLE,
    migrationLockTableName: KEYWARD_MIGRATION_LOCK_TABLE,
  });
}

/**
 * Brings keyward's tables to the latest version (idempotent; on PostgreSQL safe to run from
 * several instances at once). Returns what ran; throws `KeywardError` when a migration fails.
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
  throw new KeywardError(mapped.code, failed === null ? 'Migration failed' : `Migration ${failed} failed`, {
    cause: resultSet.error,
    details: { ...mapped.details, migration: failed },
  });
}
