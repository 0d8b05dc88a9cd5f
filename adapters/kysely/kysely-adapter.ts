import type { Kysely } from 'kysely';
import type { StorageAdapter, StorageTransaction } from '../../src/storage/storage-adapter.js';
import { type KyselyDialectName, resolveDialect } from './dialect.js';
import { type QueryContext, transactionContext } from './query-context.js';
import { guarded, toStorageError } from './storage-error.js';
import { storageReads } from './storage-reads.js';
import { storageTransaction } from './storage-transaction.js';
import type { KeywardDatabase } from './tables.js';
import { touchKeys } from './touch-keys.js';
import { runTransaction } from './transaction-runner.js';

/** Options of {@link kyselyAdapter}. */
export interface KyselyAdapterOptions {
  /** The database behind the Kysely instance. */
  readonly dialect: KyselyDialectName;
}

/**
 * A `StorageAdapter` over a Kysely instance the host builds (and closes): SQLite through
 * better-sqlite3 (a file or `:memory:`), or PostgreSQL through pg. Run
 * {@link migrateToLatest} first. keyward imports no driver: the host installs and passes it.
 *
 * Atomic rules hold across connections: the key limit locks the account row (PostgreSQL) or
 * runs as one statement (SQLite); transactions are `BEGIN IMMEDIATE` on SQLite (retried while
 * busy) and lock rows with `SELECT ... FOR UPDATE` on PostgreSQL (`lockServiceAccount`,
 * `lockKey`). Driver errors surface as `KeywardError` `CONFLICT` or `STORAGE_UNAVAILABLE`, the
 * driver error as `cause`.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { Kysely, SqliteDialect } from 'kysely';
 * import { kyselyAdapter, migrateToLatest } from 'keyward/adapters/kysely';
 *
 * const db = new Kysely({ dialect: new SqliteDialect({ database: new Database('keyward.db') }) });
 * await migrateToLatest(db);
 * const storage = kyselyAdapter(db, { dialect: 'sqlite' });
 * ```
 */
export function kyselyAdapter<DB>(db: Kysely<DB>, options: KyselyAdapterOptions): StorageAdapter {
  const dialect = resolveDialect(db as Kysely<unknown>, options.dialect);
  const context: QueryContext = {
    db: db as unknown as Kysely<KeywardDatabase>,
    dialect,
    inTransaction: false,
  };
  return {
    name: dialect,
    ...storageReads(context),
    transaction: (fn) => transaction(context, fn),
    touchKeys: (args) => guarded(() => touchKeys(context, args)),
  };
}

/** Runs `fn` in one transaction; its own errors come back unchanged, the database's mapped. */
async function transaction<T>(context: QueryContext, fn: (tx: StorageTransaction) => Promise<T>): Promise<T> {
  let thrownByFn: { readonly error: unknown } | undefined;
  try {
    return await runTransaction(context.db, context.dialect, async (trx) => {
      try {
        return await fn(storageTransaction(transactionContext(context, trx)));
      } catch (error) {
        thrownByFn = { error };
        throw error;
      }
    });
  } catch (error) {
    if (thrownByFn !== undefined && thrownByFn.error === error) throw error;
    throw toStorageError(error);
  }
}
