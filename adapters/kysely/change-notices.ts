import { sql } from 'kysely';
import type { StorageChange } from '../../src/storage/change-feed.js';
import { atomically, type QueryContext } from './query-context.js';
import { appendSqliteChanges } from './sqlite-change-log.js';

/**
 * The PostgreSQL channel the adapter notifies on and `postgresChangeFeed` listens to.
 *
 * @internal
 */
export const POSTGRES_CHANGE_CHANNEL = 'keyward_changes';

/** What a write returns to {@link withChangeNotices}: its result and the records it changed. */
export interface NoticedWrite<T> {
  readonly result: T;
  readonly changes: readonly StorageChange[];
}

/**
 * Runs a write that may change what `findKeyForVerification` returns, then records the changes
 * it reports, as one atomic unit: inside the open transaction, else in a new one (on SQLite
 * `BEGIN IMMEDIATE`), so a notice is sent, or a change row written, exactly when the change
 * commits.
 *
 * @internal
 */
export function withChangeNotices<T>(
  context: QueryContext,
  work: (context: QueryContext) => Promise<NoticedWrite<T>>,
): Promise<T> {
  const run = async (unit: QueryContext): Promise<T> => {
    const { result, changes } = await work(unit);
    await noticeChanges(unit, changes);
    return result;
  };
  return atomically(context, run);
}

/**
 * Tells the other instances sharing the storage that `changes` happened, in the caller's unit
 * of work. PostgreSQL: one `pg_notify` per change on {@link POSTGRES_CHANGE_CHANNEL}, which the
 * server delivers only when the transaction commits (and never after a rollback). SQLite: one
 * row per change in `keyward_changes` (see `appendSqliteChanges`), which `sqliteChangeFeed`
 * reads. Call it inside a transaction (see {@link withChangeNotices}).
 *
 * @internal
 */
export async function noticeChanges(context: QueryContext, changes: readonly StorageChange[]): Promise<void> {
  if (context.dialect === 'sqlite') return appendSqliteChanges(context, changes);
  for (const change of changes) {
    await sql`select pg_notify(${POSTGRES_CHANGE_CHANNEL}, ${changePayload(change)})`.execute(context.db);
  }
}

/**
 * The notification payload of a change: `k:<keyId>` or `a:<accountId>`.
 *
 * @internal
 */
export function changePayload(change: StorageChange): string {
  return `${change.kind === 'key' ? 'k' : 'a'}:${change.id}`;
}

/**
 * The change a payload names, or `null` when it is not one {@link changePayload} writes.
 *
 * @internal
 */
export function parseChangePayload(payload: string): StorageChange | null {
  if (payload.length < 3 || payload[1] !== ':') return null;
  const id = payload.slice(2);
  if (payload[0] === 'k') return { kind: 'key', id };
  if (payload[0] === 'a') return { kind: 'account', id };
  return null;
}

/** A key changed. @internal */
export const keyChanged = (id: string): StorageChange => ({ kind: 'key', id });

/** An account (and every key it owns) changed. @internal */
export const accountChanged = (id: string): StorageChange => ({ kind: 'account', id });
