import { type Kysely, sql } from 'kysely';
import type { KyselyDialectName } from './dialect.js';
import type { KeywardDatabase } from './tables.js';

/**
 * Runs `work` in one database transaction and commits when it resolves, rolls back when it
 * throws (rethrowing the same error).
 *
 * - PostgreSQL: Kysely's transaction (`READ COMMITTED` unless the server says otherwise);
 *   rules that must hold across connections take row locks (`SELECT ... FOR UPDATE`).
 * - SQLite: `BEGIN IMMEDIATE` on the instance's one connection, so the write lock is taken up
 *   front and two connections never both read-then-write (no `SQLITE_BUSY` upgrade deadlock);
 *   the host's busy timeout (better-sqlite3 default 5 s) governs the wait.
 *
 * @internal
 */
export function runTransaction<T>(
  db: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  work: (trx: Kysely<KeywardDatabase>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(work);
  return db.connection().execute((connection) => runImmediate(connection, work));
}

async function runImmediate<T>(
  connection: Kysely<KeywardDatabase>,
  work: (trx: Kysely<KeywardDatabase>) => Promise<T>,
): Promise<T> {
  await sql`begin immediate`.execute(connection);
  let result: T;
  try {
    result = await work(connection);
  } catch (error) {
    await rollbackQuietly(connection);
    throw error;
  }
  try {
    await sql`commit`.execute(connection);
  } catch (error) {
    await rollbackQuietly(connection);
    throw error;
  }
  return result;
}

/** Rolls back if a transaction is still open; SQLite may already have ended it on a hard error. */
async function rollbackQuietly(connection: Kysely<KeywardDatabase>): Promise<void> {
  try {
    await sql`rollback`.execute(connection);
  } catch {
    // Nothing left to roll back: the original error is the one worth reporting.
  }
}
