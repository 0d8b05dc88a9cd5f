import type { AuditEvent } from '../../entities/audit-event.js';
import { type ListAuditInput, listAuditInputSchema } from '../../entities/audit-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import type { ManagementContext } from '../management-context.js';
import { listInTenant } from '../tenant-list.js';

/**
 * Lists the audit trail of the actor's tenant, newest first. Reading it takes
 * `service_accounts:read` on the event's workspace; without a workspace filter, only events of
 * workspaces the actor may read are returned.
 *
 * @internal
 */
export function listAuditEvents(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ListAuditInput = {},
): Promise<Page<AuditEvent>> {
  return listInTenant(ctx, actor, rawInput, {
    input: listAuditInputSchema,
    inputName: 'audit filter',
    fetch: (input, tenantId, before, limit) =>
      ctx.storage.listAuditEvents({
        tenantId,
        workspaceId: input.workspaceId,
        targetId: input.targetId,
        action: input.action,
        limit,
        before,
      }),
  });
}
