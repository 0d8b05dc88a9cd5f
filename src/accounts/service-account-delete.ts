import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../entities/service-account-inputs.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { assertVersion, loadAccount } from './account-mutation.js';
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
  const acting = actingPrincipal(ctx.policy, actor);
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
  assertVersion(account, input.expectedVersion);
  const now = ctx.clock();
  await ctx.storage.transaction(async (tx) => {
    const deleted = await tx.deleteServiceAccount({ tenantId: account.tenantId, id: account.id });
    if (!deleted)
      throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found', {
        details: { id: account.id },
      });
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: 'service_account.delete',
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target: { type: 'service_account', id: account.id },
        before: account,
        request,
        at: new Date(now),
      }),
    });
  });
  ctx.changes.accountChanged(account.id);
  return account;
}
