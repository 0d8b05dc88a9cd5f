import { buildAuditEvent } from '../audit/audit-event-builder.js';
import type { AuditAction } from '../entities/audit-event.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { StorageTransaction } from '../storage/storage-adapter.js';
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
  if (account === null) throw accountNotFound(id);
  return account;
}

/**
 * Reads an account inside `tx` and locks it until the transaction ends, or throws `NOT_FOUND`
 * (deleted meanwhile, or never there). Every decision about the account is taken on this read.
 *
 * @internal
 */
export async function lockAccount(
  tx: StorageTransaction,
  tenantId: string,
  id: string,
): Promise<ServiceAccount> {
  const account = await tx.lockServiceAccount({ tenantId, id });
  if (account === null) throw accountNotFound(id);
  return account;
}

/** The `NOT_FOUND` of an account id. @internal */
export function accountNotFound(id: string): KeywardError {
  return new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found', { details: { id } });
}

/** Throws `CONFLICT` when the caller's expected version is not the stored one. @internal */
export function assertVersion(account: ServiceAccount, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== account.version) {
    throw new KeywardError(ERROR_CODES.CONFLICT, 'The service account was changed concurrently', {
      details: { expectedVersion, actualVersion: account.version },
    });
  }
}

/** What {@link mutateAccount} needs to know about one kind of change. @internal */
export interface AccountChange {
  readonly id: string;
  readonly expectedVersion?: number | undefined;
  readonly action: AuditAction;
  /**
   * Checks that need the host or other I/O (datasets of the binding). Runs before the
   * transaction, on the unlocked read: it may only depend on what never changes (tenant,
   * workspace binding) and on the input.
   */
  readonly prepare?: ((account: ServiceAccount) => Promise<void>) | undefined;
  /**
   * The new record from the one read under lock, or the same object when there is nothing to
   * do. Synchronous: it runs inside the transaction, and throws to refuse (nothing is written).
   */
  readonly apply: (account: ServiceAccount, acting: ActingPrincipal) => ServiceAccount;
}

/**
 * The shared path of every account change: load (tenant-scoped) and authorize
 * `service_accounts:manage` on the account's workspace (refusals audited), run host checks,
 * then in one transaction: lock the account, check `expectedVersion`, compute the new record,
 * write it (version + 1) with its audit event. Concurrent changes queue on the lock and each
 * applies to the record the previous one committed, so a change without `expectedVersion`
 * never fails because another one raced it.
 *
 * @internal
 */
export async function mutateAccount(
  ctx: LifecycleContext,
  actor: Actor,
  change: AccountChange,
  meta: CallMeta | undefined,
): Promise<ServiceAccount> {
  const acting = actingPrincipal(ctx, actor);
  const request = requestOf(meta);
  const target = { type: 'service_account', id: change.id } as const;
  const unlocked = await loadAccount(ctx, acting.tenantId, change.id);
  await authorizeCall(
    ctx,
    acting,
    'service_accounts:manage',
    unlocked.workspaceId,
    { action: change.action, target },
    request,
  );
  await change.prepare?.(unlocked);
  const outcome = await ctx.storage.transaction(async (tx) => {
    const account = await lockAccount(tx, acting.tenantId, change.id);
    assertVersion(account, change.expectedVersion);
    const changed = change.apply(account, acting);
    if (changed === account) return { account, written: false };
    const now = ctx.clock();
    const next: ServiceAccount = { ...changed, version: account.version + 1, updatedAt: new Date(now) };
    const written = await tx.updateServiceAccount({ account: next, expectedVersion: account.version });
    if (written === null) throw accountNotFound(change.id);
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: change.action,
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target,
        before: account,
        after: written,
        request,
        at: new Date(now),
      }),
    });
    return { account: written, written: true };
  });
  if (outcome.written) ctx.changes.accountChanged(change.id);
  return outcome.account;
}
