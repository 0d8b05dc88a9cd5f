import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../entities/service-account-inputs.js';
import { parseInput } from '../errors/parse-input.js';
import { accountNotFound, assertVersion, loadAccount, lockAccount } from './account-mutation.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';

/**
 * Deletes an account and, irreversibly, all its keys. The audit trail stays.
 *
 * @internal
 */
export async function deleteServiceAccount(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  const input = parseInput(serviceAccountRefInputSchema, rawInput, 'service account');
  const acting = actingPrincipal(ctx, actor);
  const request = requestOf(meta);
  const account = await loadAccount(ctx, acting.tenantId, input.id);
  await authorizeCall(
    ctx,
    acting,
    'service_accounts:manage',
    account.workspaceId,
    {
      action: 'service_account.delete',
      target: { type: 'service_account', id: account.id },
    },
    request,
  );
  const deleted = await ctx.storage.transaction(async (tx) => {
    const locked = await lockAccount(tx, acting.tenantId, input.id);
    assertVersion(locked, input.expectedVersion);
    if (!(await tx.deleteServiceAccount({ tenantId: locked.tenantId, id: locked.id })))
      throw accountNotFound(locked.id);
    const now = ctx.clock();
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: 'service_account.delete',
        tenantId: locked.tenantId,
        workspaceId: locked.workspaceId,
        target: { type: 'service_account', id: locked.id },
        before: locked,
        request,
        at: new Date(now),
      }),
    });
    return locked;
  });
  ctx.changes.accountChanged(deleted.id);
  return deleted;
}
