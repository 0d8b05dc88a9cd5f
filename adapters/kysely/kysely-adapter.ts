import type { Kysely } from 'kysely';
import type { StorageAdapter, StorageTransaction } from '../../src/storage/storage-adapter.js';
import { listAuditEventsSince } from './audit-event-follow.js';
import { type KyselyDialectName, resolveDialect } from './dialect.js';
import { spendCredits } from './key-credits.js';
import { type QueryContext, transactionContext } from './query-context.js';
import { resolveBusyTimeout } from './sqlite-busy-retry.js';
import { guarded, toStorageError } from './storage-error.js';
import { callerOf, storageReads } from './storage-reads.js';
import { storageTransaction } from './storage-transaction.js';
import type { KeywardDatabase } from './tables.js';
import { touchKeys } from './touch-keys.js';
import { runTransaction } from './transaction-runner.js';

/** Options of {@link kyselyAdapter}. */
export interface KyselyAdapterOptions {
  /** The database behind the Kysely instance. */
  readonly dialect: KyselyDialectName;
  /**
   * SQLite only: how long one operation (a statement outside a transaction, `BEGIN IMMEDIATE`,
   * `COMMIT`, a `touchKeys` batch) keeps retrying, asynchronously, while another connection
   * holds the lock it needs, before it fails with `STORAGE_UNAVAILABLE`. A whole number of
   * milliseconds, 0 to 86400000; default 5000. Give the better-sqlite3 handle a short busy
   * timeout of its own (`new Database(file, { timeout: 5 })`): better-sqlite3 waits for it
   * synchronously, blocking the event loop.
   */
  readonly busyTimeoutMs?: number | undefined;
}

/**
 * A `StorageAdapter` over a Kysely instance the host builds (and closes): SQLite through
 * better-sqlite3 (a file or `:memory:`), or PostgreSQL through pg. Run
 * {@link migrateToLatest} first. keyward imports no driver: the host installs and passes it.
 *
 * Atomic rules hold across connections: the key limit locks the account row (PostgreSQL) or
 * runs as one statement (SQLite); transactions are `BEGIN IMMEDIATE` on SQLite and lock rows
 * with `SELECT ... FOR UPDATE` on PostgreSQL (`lockServiceAccount`, `lockKey`). On SQLite an
 * operation that meets a database locked by another connection waits asynchronously (see
 * `busyTimeoutMs`). Driver errors surface as `KeywardError` `CONFLICT` or
 * `STORAGE_UNAVAILABLE`, the driver error as `cause`.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3';
 * import { Kysely, SqliteDialect } from 'kysely';
 * import { kyselyAdapter, migrateToLatest } from 'keyward/adapters/kysely';
 *
 * const sqlite = new Database('keyward.db', { timeout: 5 }); // wait briefly; keyward retries asynchronously
 * const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
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
    busyTimeoutMs: resolveBusyTimeout(options.busyTimeoutMs),
  };
  const call = callerOf(context);
  return {
    name: dialect,
    ...storageReads(context),
    listAuditEventsSince: (args) => call(() => listAuditEventsSince(context, args)),
    transaction: (fn) => transaction(context, fn),
    touchKeys: (args) => guarded(() => touchKeys(context, args)),
    spendCredits: (args) => call(() => spendCredits(context, args)),
  };
}

/** Runs `fn` in one transaction; its own errors come back unchanged, the database's mapped. */
async function transaction<T>(context: QueryContext, fn: (tx: StorageTransaction) => Promise<T>): Promise<T> {
  let thrownByFn: { readonly error: unknown } | undefined;
  try {
    return await runTransaction(
      context.db,
      context.dialect,
      async (trx) => {
        try {
          return await fn(storageTransaction(transactionContext(context, trx)));
        } catch (error) {
          thrownByFn = { error };
          throw error;
        }
      },
      context.busyTimeoutMs,
    );
  } catch (error) {
    if (thrownByFn !== undefined && thrownByFn.error === error) throw error;
    throw toStorageError(error);
  }
}
