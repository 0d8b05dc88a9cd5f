import type { Kysely } from 'kysely';
import type { KyselyDialectName } from './dialect.js';
import type { KeywardDatabase } from './tables.js';
import { runTransaction } from './transaction-runner.js';

/**
 * What every query needs: the executor (the host's instance or an open transaction), the
 * dialect, whether a transaction is already open, and how long a SQLite operation keeps
 * retrying a busy database.
 *
 * @internal
 */
export interface QueryContext {
  readonly db: Kysely<KeywardDatabase>;
  readonly dialect: KyselyDialectName;
  readonly inTransaction: boolean;
  readonly busyTimeoutMs: number;
}

/** The context of an open transaction on `trx`. @internal */
export function transactionContext(context: QueryContext, trx: Kysely<KeywardDatabase>): QueryContext {
  return { db: trx, dialect: context.dialect, inTransaction: true, busyTimeoutMs: context.busyTimeoutMs };
}

/**
 * Runs `work` inside a transaction: the open one if there is one, else a new one.
 *
 * @internal
 */
export function atomically<T>(
  context: QueryContext,
  work: (context: QueryContext) => Promise<T>,
): Promise<T> {
  if (context.inTransaction) return work(context);
  return runTransaction(
    context.db,
    context.dialect,
    (trx) => work(transactionContext(context, trx)),
    context.busyTimeoutMs,
  );
}
