import type { AuditEvent } from '../../entities/audit-event.js';
import { type ListAuditInput, listAuditInputSchema } from '../../entities/audit-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import { readableWorkspaces } from '../authorization.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { decodeCursor } from '../page-cursor.js';
import { readablePage } from '../readable-page.js';

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
  return managedCall(ctx, actor, rawInput, undefined, {
    input: listAuditInputSchema,
    inputName: 'audit filter',
    load: nothingToLoad,
    requires: ({ workspaceId }) =>
      workspaceId === undefined ? [] : [{ permission: 'service_accounts:read', workspaceId }],
    read: ({ input, acting }) => {
      const readable = readableWorkspaces(ctx, acting);
      return readablePage(
        (before, limit) =>
          ctx.storage.listAuditEvents({
            tenantId: acting.tenantId,
            workspaceId: input.workspaceId,
            targetId: input.targetId,
            action: input.action,
            limit,
            before,
          }),
        (event) => readable(event.workspaceId),
        input.limit,
        decodeCursor(input.cursor),
      );
    },
  });
}
