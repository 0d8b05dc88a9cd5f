import { type Actor, actingPrincipal } from '../accounts/acting-principal.js';
import { authorizeCall } from '../accounts/authorize-call.js';
import { decodeCursor } from '../accounts/cursor.js';
import type { LifecycleContext } from '../accounts/lifecycle-context.js';
import { readablePage } from '../accounts/readable-page.js';
import type { AuditEvent } from '../entities/audit-event.js';
import { type ListAuditInput, listAuditInputSchema } from '../entities/audit-inputs.js';
import type { Page } from '../entities/pagination.js';
import { parseInput } from '../errors/parse-input.js';

/**
 * Lists the audit trail of the actor's tenant, newest first. Reading it takes
 * `service_accounts:read` on the event's workspace; without a workspace filter, only events of
 * workspaces the actor may read are returned.
 *
 * @internal
 */
export async function listAuditEvents(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ListAuditInput = {},
): Promise<Page<AuditEvent>> {
  const input = parseInput(listAuditInputSchema, rawInput, 'audit filter');
  const acting = actingPrincipal(ctx, actor);
  if (input.workspaceId !== undefined)
    await authorizeCall(ctx, acting, 'service_accounts:read', input.workspaceId);
  const now = ctx.clock();
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
    (event) =>
      event.workspaceId !== null &&
      ctx.policy.authorize(
        acting.principal,
        'service_accounts:read',
        { tenantId: acting.tenantId, workspaceId: event.workspaceId },
        { now },
      ).allowed,
    input.limit,
    decodeCursor(input.cursor),
  );
}
