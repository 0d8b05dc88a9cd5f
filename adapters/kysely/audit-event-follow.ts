import { sql } from 'kysely';
import type { AuditPosition, FollowedAuditEvent, StorageAdapter } from '../../src/storage/storage-adapter.js';
import { rowToAuditEvent } from './audit-event-row.js';
import type { QueryContext } from './query-context.js';

const EVENTS = 'keyward_audit_events';

type SinceArgs = Parameters<StorageAdapter['listAuditEventsSince']>[0];

/**
 * Committed events of a tenant after a position, in follow order (migration 0004).
 *
 * - SQLite: every write runs in `BEGIN IMMEDIATE`, so `seq` (an `AUTOINCREMENT` rowid assigned
 *   inside the write transaction) is commit order, and a reader's snapshot always holds a prefix
 *   of it. Position `(0, seq)`, index `(tenant_id, seq)`.
 * - PostgreSQL: `seq` is taken at insert, not at commit, so it alone could skip a late commit.
 *   Events are ordered by `(xact_id, seq)` and only rows with `xact_id` below the statement
 *   snapshot's `xmin` are read: every transaction with a smaller id has ended, so no row can
 *   ever appear before the last one returned. Index `(tenant_id, xact_id, seq)`.
 *
 * @internal
 */
export function listAuditEventsSince(context: QueryContext, args: SinceArgs): Promise<FollowedAuditEvent[]> {
  return context.dialect === 'postgres' ? sincePostgres(context, args) : sinceSqlite(context, args);
}

async function sinceSqlite(
  context: QueryContext,
  { tenantId, after, limit }: SinceArgs,
): Promise<FollowedAuditEvent[]> {
  // Every SQLite position is (0, seq): none comes after a position of a later transaction.
  if (after.transaction > 0n) return [];
  const rows = await context.db
    .selectFrom(EVENTS)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where(sql<boolean>`${sql.ref('seq')} > ${after.sequence}`)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ event: rowToAuditEvent(row), position: position(0n, row.seq) }));
}

async function sincePostgres(
  context: QueryContext,
  { tenantId, after, limit }: SinceArgs,
): Promise<FollowedAuditEvent[]> {
  const xactId = sql.ref('xact_id');
  const rows = await context.db
    .selectFrom(EVENTS)
    .selectAll()
    .select(sql<string>`${xactId}::text`.as('xact_id_text'))
    .where('tenant_id', '=', tenantId)
    .where(
      sql<boolean>`(${xactId}, ${sql.ref('seq')}) > (${String(after.transaction)}::xid8, ${String(after.sequence)}::bigint)`,
    )
    .where(sql<boolean>`${xactId} < pg_snapshot_xmin(pg_current_snapshot())`)
    .orderBy(xactId)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    event: rowToAuditEvent(row),
    position: position(BigInt(row.xact_id_text), row.seq),
  }));
}

/** A position from the database's values (`bigint` columns arrive as strings from pg). */
function position(transaction: bigint, sequence: number | string): AuditPosition {
  return { transaction, sequence: BigInt(sequence) };
}
