import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { AuditAction, AuditEvent, RequestContext } from '../entities/audit-event.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { ActingPrincipal } from './acting-principal.js';
import type { LifecycleContext } from './lifecycle-context.js';

/** The audit facts of a mutation, recorded as `denied` when the actor is refused. @internal */
export interface DeniedAttempt {
  readonly action: AuditAction;
  readonly target: AuditEvent['target'];
}

/**
 * Asks the policy whether the actor may perform a management action on a workspace; throws
 * `FORBIDDEN` (with the decision's reason) when not, after auditing the refused mutation.
 *
 * @internal
 */
export async function authorizeCall(
  ctx: LifecycleContext,
  acting: ActingPrincipal,
  permission: string,
  workspaceId: string,
  attempt?: DeniedAttempt,
  request?: RequestContext,
): Promise<void> {
  const now = ctx.clock();
  const decision = ctx.policy.authorize(
    acting.principal,
    permission,
    { tenantId: acting.tenantId, workspaceId },
    { now },
  );
  if (decision.allowed) return;
  if (attempt !== undefined) {
    await ctx.storage.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: attempt.action,
        tenantId: acting.tenantId,
        workspaceId,
        target: attempt.target,
        outcome: 'denied',
        reason: decision.reason,
        request,
        at: new Date(now),
      }),
    });
  }
  throw new KeywardError(ERROR_CODES.FORBIDDEN, `Not allowed: ${permission} (${decision.reason})`, {
    details: { reason: decision.reason, required: permission, decision },
  });
}
