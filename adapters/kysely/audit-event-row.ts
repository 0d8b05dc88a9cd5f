import type { AuditActor } from '../../src/entities/actor.js';
import type {
  AuditAction,
  AuditEvent,
  AuditSnapshot,
  RequestContext,
} from '../../src/entities/audit-event.js';
import {
  fromEpochMs,
  fromJson,
  fromNullableJson,
  toEpochMs,
  toJson,
  toNullableJson,
} from './column-codec.js';
import type { AuditEventRow, NewAuditEventRow } from './tables.js';

/** An audit event as a row: the actor and target get columns of their own for filtering. @internal */
export function auditEventToRow(event: AuditEvent): NewAuditEventRow {
  return {
    id: event.id,
    tenant_id: event.tenantId,
    workspace_id: event.workspaceId,
    actor_type: event.actor.type,
    actor_id: event.actor.id,
    actor_service_account_id: event.actor.type === 'key' ? event.actor.serviceAccountId : null,
    action: event.action,
    target_type: event.target.type,
    target_id: event.target.id,
    outcome: event.outcome,
    reason: event.reason,
    before_snapshot: toNullableJson(event.before),
    after_snapshot: toNullableJson(event.after),
    request: toJson(event.request),
    created_at: toEpochMs(event.createdAt),
  };
}

/** A row as an audit event. @internal */
export function rowToAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    workspaceId: row.workspace_id,
    actor: rowToActor(row),
    action: row.action as AuditAction,
    target: { type: row.target_type as AuditEvent['target']['type'], id: row.target_id },
    outcome: row.outcome as AuditEvent['outcome'],
    reason: row.reason,
    before: fromNullableJson<AuditSnapshot>(row.before_snapshot),
    after: fromNullableJson<AuditSnapshot>(row.after_snapshot),
    request: fromJson<RequestContext>(row.request),
    createdAt: fromEpochMs(row.created_at),
  };
}

function rowToActor(row: AuditEventRow): AuditActor {
  if (row.actor_type === 'key' && row.actor_service_account_id !== null) {
    return { type: 'key', id: row.actor_id, serviceAccountId: row.actor_service_account_id };
  }
  if (row.actor_type === 'system' && row.actor_id === 'secret_scanning') {
    return { type: 'system', id: row.actor_id };
  }
  return { type: 'user', id: row.actor_id };
}
