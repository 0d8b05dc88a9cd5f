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
 *   front and two connections never both read-then-write (no `SQLITE_BUSY` upgrade deadlock).
 *   better-sqlite3 waits for the lock synchronously (the handle's busy timeout, default 5 s),
 *   blocking the event loop; when the wait ends in `SQLITE_BUSY`, `BEGIN IMMEDIATE` is retried
 *   asynchronously (see {@link beginImmediate}), so a second handle in the same process can
 *   finish its transaction in between.
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
  await beginImmediate(connection);
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

/** First pause after a busy `BEGIN IMMEDIATE`; each further pause doubles, up to the cap. */
const FIRST_RETRY_DELAY_MS = 1;
const MAX_RETRY_DELAY_MS = 25;
/** How long `BEGIN IMMEDIATE` keeps retrying before the last `SQLITE_BUSY` is rethrown. */
const BEGIN_DEADLINE_MS = 5_000;

/**
 * `BEGIN IMMEDIATE`, retried with a short backoff while it fails with `SQLITE_BUSY`. The driver's
 * own busy wait blocks the event loop, so if the lock is held by another handle in this process,
 * that handle can only commit while we wait here, between attempts. After
 * {@link BEGIN_DEADLINE_MS} the busy error is rethrown (it maps to `STORAGE_UNAVAILABLE`).
 *
 * @internal
 */
async function beginImmediate(connection: Kysely<KeywardDatabase>): Promise<void> {
  const deadline = Date.now() + BEGIN_DEADLINE_MS;
  let delay = FIRST_RETRY_DELAY_MS;
  for (;;) {
    try {
      await sql`begin immediate`.execute(connection);
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() + delay > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
  }
}

/** True for `SQLITE_BUSY` and its extended codes: another connection holds the write lock. */
function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Rolls back if a transaction is still open; SQLite may already have ended it on a hard error. */
async function rollbackQuietly(connection: Kysely<KeywardDatabase>): Promise<void> {
  try {
    await sql`rollback`.execute(connection);
  } catch {
    // Nothing left to roll back: the original error is the one worth reporting.
  }
}
