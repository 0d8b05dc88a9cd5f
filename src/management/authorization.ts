import type { AuditAction, AuditEvent, RequestContext } from '../entities/audit-event.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { ActingPrincipal } from './actor.js';
import { buildAuditEvent } from './audit-event-builder.js';
import type { ManagementContext } from './management-context.js';

/** The audit facts of a change, recorded as `denied` when the actor is refused. @internal */
export interface DeniedAttempt {
  readonly action: AuditAction;
  readonly target: AuditEvent['target'];
}

/** A permission a call needs on a workspace of the actor's tenant. @internal */
export interface Requirement {
  readonly permission: string;
  readonly workspaceId: string;
  /** The change a refusal is audited as; reads leave it out and are refused without an event. */
  readonly denied?: DeniedAttempt | undefined;
}

/**
 * Asks the policy whether the actor holds `requirement`; throws `FORBIDDEN` (with the decision's
 * reason) when not, after auditing the refused change.
 *
 * @internal
 */
export async function authorizeCall(
  ctx: ManagementContext,
  acting: ActingPrincipal,
  requirement: Requirement,
  request: RequestContext,
): Promise<void> {
  const { permission, workspaceId, denied } = requirement;
  const now = ctx.clock();
  const decision = ctx.policy.authorize(
    acting.principal,
    permission,
    { tenantId: acting.tenantId, workspaceId },
    { now },
  );
  if (decision.allowed) return;
  if (denied !== undefined) {
    await ctx.storage.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: denied.action,
        tenantId: acting.tenantId,
        workspaceId,
        target: denied.target,
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

/**
 * Whether the actor may read what lives in a workspace (`service_accounts:read`), as of now:
 * lists use it to pass over rows of other workspaces. Rows without a workspace are not readable.
 *
 * @internal
 */
export function readableWorkspaces(
  ctx: ManagementContext,
  acting: ActingPrincipal,
): (workspaceId: string | null) => boolean {
  const now = ctx.clock();
  return (workspaceId) =>
    workspaceId !== null &&
    ctx.policy.authorize(
      acting.principal,
      'service_accounts:read',
      { tenantId: acting.tenantId, workspaceId },
      { now },
    ).allowed;
}
