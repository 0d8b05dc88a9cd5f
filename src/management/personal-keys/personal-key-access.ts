import type { ActingPrincipal } from '../actor.js';
import type { ManagementContext } from '../management-context.js';

/**
 * Whether the actor is the person who owns a personal key (a person, never a key acting for
 * them). With {@link managesPersonalKeys}, it decides who sees a person's keys: anyone else is
 * answered as if they did not exist.
 *
 * @internal
 */
export function ownsPersonalKey(acting: ActingPrincipal, ownerUserId: string): boolean {
  return acting.ref.type === 'user' && acting.ref.id === ownerUserId;
}

/**
 * Whether the actor manages everyone's personal keys in a workspace (`api_keys:manage` there, a
 * tenant admin): they list, revoke and read the audit trail of every person's keys in it.
 *
 * @internal
 */
export function managesPersonalKeys(
  ctx: ManagementContext,
  acting: ActingPrincipal,
  workspaceId: string,
): boolean {
  return ctx.policy.authorize(
    acting.principal,
    'api_keys:manage',
    { tenantId: acting.tenantId, workspaceId },
    { now: ctx.clock() },
  ).allowed;
}
