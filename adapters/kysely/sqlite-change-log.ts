import { sql } from 'kysely';
import type { StorageChange } from '../../src/storage/change-feed.js';
import type { QueryContext } from './query-context.js';

const CHANGES = 'keyward_changes';

/**
 * How long a row of `keyward_changes` is kept: a reader that fell further behind than this
 * finds a gap in the sequence and drops its whole cache.
 *
 * @internal
 */
export const CHANGE_LOG_RETENTION_MS = 600_000;

/** Every change whose `seq` is a multiple of this also prunes the log (one writer in so many). */
const PRUNE_EVERY_CHANGES = 1000;

/** The most rows one prune reads and deletes: bounded work, and as many as were written meanwhile. */
const PRUNE_BATCH = 1000;

/**
 * The `kind` column of a change: `'k'` a key, `'a'` an account (and every key it owns).
 *
 * @internal
 */
export function changeKindCode(kind: StorageChange['kind']): 'k' | 'a' {
  return kind === 'key' ? 'k' : 'a';
}

/**
 * Appends `changes` to SQLite's change log, in the caller's transaction (a change row commits
 * and rolls back with the change it names). One writer in {@link PRUNE_EVERY_CHANGES} also
 * prunes rows older than {@link CHANGE_LOG_RETENTION_MS}: the one whose row got a `seq` that is
 * a multiple of it, so the log holds about 10 minutes of changes whatever the number of
 * processes, and no reader or timer has to write.
 *
 * @internal
 */
export async function appendSqliteChanges(
  context: QueryContext,
  changes: readonly StorageChange[],
  now: number = Date.now(),
): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map((change) => ({ kind: changeKindCode(change.kind), id: change.id, at: now }));
  const written = await context.db.insertInto(CHANGES).values(rows).returning('seq').execute();
  if (written.some((row) => Number(row.seq) % PRUNE_EVERY_CHANGES === 0)) {
    await pruneSqliteChanges(context, now - CHANGE_LOG_RETENTION_MS);
  }
}

/**
 * Deletes the oldest rows written before `before` (epoch ms), at most {@link PRUNE_BATCH}: always
 * a prefix of the log (every row up to the newest old one among the oldest batch), never a hole
 * in the middle, so a reader sees pruning as a jump at the start of what it has not read yet.
 * Answers how many rows it deleted.
 *
 * @internal
 */
export async function pruneSqliteChanges(context: QueryContext, before: number): Promise<number> {
  const result = await sql`
    delete from ${sql.table(CHANGES)} where seq <= (
      select max(seq) from (
        select seq, at from ${sql.table(CHANGES)} order by seq limit ${PRUNE_BATCH}
      ) where at < ${before}
    )
  `.execute(context.db);
  return Number(result.numAffectedRows ?? 0);
}
