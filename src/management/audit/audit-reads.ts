import type { AuditEvent } from '../../entities/audit-event.js';
import { type ListAuditInput, listAuditInputSchema } from '../../entities/audit-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import type { ManagementContext } from '../management-context.js';
import { listInTenant } from '../tenant-list.js';
import { personalTargetFilter } from './personal-target-filter.js';

/**
 * Lists the audit trail of the actor's tenant, newest first. Reading it takes
 * `service_accounts:read` on the event's workspace; without a workspace filter, only events of
 * workspaces the actor may read are returned. Events about a person's own key show only to its
 * owner and to managers of keys in its workspace ({@link personalTargetFilter}), whatever the
 * filter (a `targetId` naming one included).
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
    alsoVisible: (acting) => personalTargetFilter(ctx, acting),
  });
}
