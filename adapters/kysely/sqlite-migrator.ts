import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type MigrationResultSet,
  Migrator,
  type MigratorProps,
  type NoMigrations,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { runTransaction } from './transaction-runner.js';

/** Carries a failed run's result set out of the transaction, so that it rolls back. */
class FailedRun {
  constructor(readonly resultSet: MigrationResultSet) {}
}

/**
 * Kysely's `Migrator` for SQLite, made atomic: every run (`migrateToLatest`, `migrateTo`,
 * `migrateUp`, `migrateDown`) reads the applied migrations, runs the pending ones and records
 * them inside one `BEGIN IMMEDIATE` transaction (SQLite DDL is transactional). A process killed
 * halfway leaves the database as it was, and the next start migrates it; a failed migration
 * rolls back the whole run. The write lock is also the migration lock: a second migrator waits
 * (asynchronously, for up to `busyTimeoutMs`), then finds nothing left to run, or reports that
 * another migration is running. Kysely's own SQLite path has neither transaction nor lock.
 *
 * `getMigrations` is Kysely's, unchanged.
 *
 * @internal
 */
export class SqliteMigrator extends Migrator {
  readonly #props: MigratorProps;
  readonly #busyTimeoutMs: number;

  constructor(props: MigratorProps, busyTimeoutMs: number) {
    super(props);
    this.#props = props;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  override migrateToLatest(): Promise<MigrationResultSet> {
    return this.#atomically((migrator) => migrator.migrateToLatest());
  }

  override migrateTo(targetMigrationName: string | NoMigrations): Promise<MigrationResultSet> {
    return this.#atomically((migrator) => migrator.migrateTo(targetMigrationName));
  }

  override migrateUp(): Promise<MigrationResultSet> {
    return this.#atomically((migrator) => migrator.migrateUp());
  }

  override migrateDown(): Promise<MigrationResultSet> {
    return this.#atomically((migrator) => migrator.migrateDown());
  }

  /** Runs `run` with a Kysely `Migrator` whose every query goes through one immediate transaction. */
  async #atomically(run: (migrator: Migrator) => Promise<MigrationResultSet>): Promise<MigrationResultSet> {
    let locked = false;
    try {
      return await runTransaction(
        this.#props.db,
        'sqlite',
        async (connection) => {
          locked = true;
          const resultSet = await run(new Migrator({ ...this.#props, db: onPinnedConnection(connection) }));
          if (resultSet.error !== undefined) throw new FailedRun(resultSet);
          return resultSet;
        },
        this.#busyTimeoutMs,
      );
    } catch (error) {
      if (error instanceof FailedRun) return error.resultSet;
      return { error: locked ? error : anotherMigrationRunning(error, this.#busyTimeoutMs) };
    }
  }
}

/** The error of a migrator that never got the write lock (Kysely result sets carry errors, not throw them). */
function anotherMigrationRunning(error: unknown, busyTimeoutMs: number): unknown {
  if (!(error instanceof KeywardError) || error.code !== ERROR_CODES.STORAGE_UNAVAILABLE) return error;
  if (!String(error.details.driverCode ?? '').startsWith('SQLITE_BUSY')) return error;
  return new KeywardError(
    ERROR_CODES.STORAGE_UNAVAILABLE,
    `Another migration is running: the database stayed locked for ${busyTimeoutMs} ms`,
    { cause: error.cause, details: error.details },
  );
}

/**
 * A Kysely instance whose every query runs on `pinned` (an instance bound to one connection by
 * `connection().execute`), without the host's plugins. Kysely's `Migrator` asks its instance for
 * a connection of its own; this one hands it the connection our transaction is open on.
 */
function onPinnedConnection(pinned: Kysely<unknown>): Kysely<unknown> {
  const bare = pinned.withoutPlugins();
  const connection: DatabaseConnection = {
    executeQuery: <R>(compiled: CompiledQuery) => bare.executeQuery<R>(compiled as CompiledQuery<R>),
    streamQuery: () => {
      throw new Error('Migrations do not stream');
    },
  };
  const nested = () => Promise.reject(new Error('Migrations already run inside a transaction'));
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: nested,
    commitTransaction: nested,
    rollbackTransaction: nested,
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  return new Kysely<unknown>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
}
