import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { StorageReads } from '../../src/storage/storage-adapter.js';
import { auditEventToRow, rowToAuditEvent } from './audit-event-row.js';
import { beyondPosition } from './page-position.js';
import type { QueryContext } from './query-context.js';
import { conflict } from './storage-error.js';

const EVENTS = 'keyward_audit_events';

/** Newest first; every filter has a `(tenant_id, <filter>, created_at, id)` index. @internal */
export async function listAuditEvents(
  context: QueryContext,
  args: Parameters<StorageReads['listAuditEvents']>[0],
): Promise<AuditEvent[]> {
  let query = context.db.selectFrom(EVENTS).selectAll().where('tenant_id', '=', args.tenantId);
  if (args.workspaceId !== undefined) query = query.where('workspace_id', '=', args.workspaceId);
  if (args.targetId !== undefined) query = query.where('target_id', '=', args.targetId);
  if (args.action !== undefined) query = query.where('action', '=', args.action);
  const before = args.before;
  if (before !== undefined) query = query.where(() => beyondPosition('before', before));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(args.limit).execute();
  return rows.map(rowToAuditEvent);
}

/** Appends an event; a taken id is a `CONFLICT`. @internal */
export async function insertAuditEvent(
  context: QueryContext,
  args: { readonly event: AuditEvent },
): Promise<void> {
  const result = await context.db
    .insertInto(EVENTS)
    .values(auditEventToRow(args.event))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) throw conflict('Audit event id already exists');
}
