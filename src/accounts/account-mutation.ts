import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { AuditAction } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { type ActingPrincipal, type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';

/** Loads an account of the actor's tenant or throws `NOT_FOUND` (other tenants' accounts included). @internal */
export async function loadAccount(
  ctx: LifecycleContext,
  tenantId: string,
  id: string,
): Promise<ServiceAccount> {
  const account = await ctx.storage.findServiceAccount({ tenantId, id });
  if (account === null)
    throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found', { details: { id } });
  return account;
}

/** Throws `CONFLICT` when the caller's expected version is not the stored one. @internal */
export function assertVersion(account: ServiceAccount, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== account.version) {
    throw new KeywardError(ERROR_CODES.CONFLICT, 'The service account was changed concurrently', {
      details: { expectedVersion, actualVersion: account.version },
    });
  }
}

/**
 * The shared path of every account change: load (tenant-scoped), authorize
 * `service_accounts:manage` (refusals audited), let `change` compute the new record (returning
 * the same object means nothing to do), then write it with an optimistic version check and its audit event in one transaction.
 *
 * @internal
 */
export async function mutateAccount(
  ctx: LifecycleContext,
  actor: Actor,
  args: { readonly id: string; readonly expectedVersion?: number | undefined; readonly action: AuditAction },
  meta: CallMeta | undefined,
  change: (account: ServiceAccount, acting: ActingPrincipal) => ServiceAccount | Promise<ServiceAccount>,
): Promise<ServiceAccount> {
  const acting = actingPrincipal(ctx.policy, actor);
  const request = requestOf(meta);
  const account = await loadAccount(ctx, acting.tenantId, args.id);
  await authorizeCall(
    ctx,
    acting,
    'service_accounts:manage',
    account.workspaceId,
    {
      action: args.action,
      target: { type: 'service_account', id: account.id },
    },
    request,
  );
  assertVersion(account, args.expectedVersion);
  const changed = await change(account, acting);
  if (changed === account) return account;
  const now = ctx.clock();
  const next: ServiceAccount = { ...changed, version: account.version + 1, updatedAt: new Date(now) };
  const stored = await ctx.storage.transaction(async (tx) => {
    const written = await tx.updateServiceAccount({ account: next, expectedVersion: account.version });
    if (written === null)
      throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found', {
        details: { id: account.id },
      });
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: args.action,
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target: { type: 'service_account', id: account.id },
        before: account,
        after: written,
        request,
        at: new Date(now),
      }),
    });
    return written;
  });
  ctx.changes.accountChanged(account.id);
  return stored;
}
