import { type Kysely, sql } from 'kysely';
import type { KyselyDialectName } from './dialect.js';
import { retryWhileBusy } from './sqlite-busy-retry.js';

/** How `work` ended: settled, so that the busy retry around `BEGIN` never sees its errors. */
type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Runs `work` in one database transaction and commits when it resolves, rolls back when it
 * throws (rethrowing the same error).
 *
 * - PostgreSQL: Kysely's transaction (`READ COMMITTED` unless the server says otherwise);
 *   rules that must hold across connections take row locks (`SELECT ... FOR UPDATE`).
 * - SQLite: `BEGIN IMMEDIATE` on the instance's one connection, so the write lock is taken up
 *   front and two connections never both read-then-write (no `SQLITE_BUSY` upgrade deadlock).
 *   While another connection holds the lock, `BEGIN IMMEDIATE` and `COMMIT` (which in
 *   rollback-journal mode waits for readers) are retried asynchronously for up to
 *   `busyTimeoutMs` each (see `retryWhileBusy`); between `BEGIN` attempts the connection is
 *   released, so this process's other queries (verification reads) go on meanwhile. A busy
 *   failure of a statement inside the transaction is not retried: SQLite asks for a rollback
 *   then, and `work` may not be safe to run twice. The transaction is rolled back and the error
 *   rethrown.
 *
 * @internal
 */
export function runTransaction<DB, T>(
  db: Kysely<DB>,
  dialect: KyselyDialectName,
  work: (trx: Kysely<DB>) => Promise<T>,
  busyTimeoutMs: number,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
  return runImmediate(db, work, busyTimeoutMs);
}

async function runImmediate<DB, T>(
  db: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  busyTimeoutMs: number,
): Promise<T> {
  const settled = await retryWhileBusy(
    () =>
      db.connection().execute(async (connection): Promise<Settled<T>> => {
        await sql`begin immediate`.execute(connection); // a busy failure here is retried
        try {
          return { ok: true, value: await workThenCommit(connection, work, busyTimeoutMs) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    busyTimeoutMs,
  );
  if (settled.ok) return settled.value;
  throw settled.error;
}

/** Runs `work` in the open transaction, then commits (retrying a busy `COMMIT`); rolls back on any failure. */
async function workThenCommit<DB, T>(
  connection: Kysely<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  busyTimeoutMs: number,
): Promise<T> {
  try {
    const result = await work(connection);
    await retryWhileBusy(() => sql`commit`.execute(connection), busyTimeoutMs);
    return result;
  } catch (error) {
    await rollbackQuietly(connection);
    throw error;
  }
}

/** Rolls back if a transaction is still open; SQLite may already have ended it on a hard error. */
async function rollbackQuietly<DB>(connection: Kysely<DB>): Promise<void> {
  try {
    await sql`rollback`.execute(connection);
  } catch {
    // Nothing left to roll back: the original error is the one worth reporting.
  }
}
