import type { z } from 'zod';
import type { AuditAction } from '../../entities/audit-event.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import { accountNotFound, assertVersion, loadAccount } from '../account-records.js';
import type { ActingKeyBounds } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { type AuthorizedCall, managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';

/** The input of every account change: the account, and optionally the version the caller saw. @internal */
export interface AccountRef {
  readonly id: string;
  readonly expectedVersion?: number | undefined;
}

/** What {@link changeAccount} needs to know about one kind of change. @internal */
export interface AccountChange<Input extends AccountRef> {
  readonly input: z.ZodType<Input>;
  readonly inputName: string;
  /** Checks of the input that need no actor (the role catalog); they run first. */
  readonly checkInput?: ((input: Input) => void) | undefined;
  readonly action: AuditAction;
  /**
   * Checks that need the host or other I/O (datasets of the binding). Runs before the
   * transaction, on the unlocked read: it may only depend on what never changes (tenant,
   * workspace binding) and on the input.
   */
  readonly prepare?: ((call: AuthorizedCall<Input, ServiceAccount>) => Promise<void>) | undefined;
  /**
   * The new record from the one read under lock, or the same object when there is nothing to
   * do. It runs inside the transaction and throws to refuse (nothing is written); `actingKey` is
   * the acting key as the transaction read it (its allowlists bound the change), `null` for a
   * person.
   */
  readonly apply: (
    account: ServiceAccount,
    call: AuthorizedCall<Input, ServiceAccount>,
    actingKey: ActingKeyBounds | null,
  ) => ServiceAccount | Promise<ServiceAccount>;
}

/**
 * Every account change: the management call path with `service_accounts:manage` on the
 * account's workspace, then, in the transaction: lock the account, check `expectedVersion`,
 * compute the new record, write it (version + 1) with its audit event. Concurrent changes queue
 * on the lock and each applies to the record the previous one committed, so a change without
 * `expectedVersion` never fails because another one raced it.
 *
 * @internal
 */
export function changeAccount<Input extends AccountRef>(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: unknown,
  meta: CallMeta | undefined,
  change: AccountChange<Input>,
): Promise<ServiceAccount> {
  const { action } = change;
  return managedCall(ctx, actor, rawInput, meta, {
    input: change.input,
    inputName: change.inputName,
    checkInput: change.checkInput,
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.id),
    requires: (input, account) => [
      {
        permission: 'service_accounts:manage',
        workspaceId: account.workspaceId,
        denied: { action, target: { type: 'service_account', id: input.id } },
      },
    ],
    prepare: change.prepare,
    write: async (write, call) => {
      const account = await write.lockAccount(call.input.id);
      assertVersion(account, call.input.expectedVersion);
      const changed = await change.apply(account, call, write.actingKey);
      if (changed === account) return account;
      const now = ctx.clock();
      const next: ServiceAccount = { ...changed, version: account.version + 1, updatedAt: new Date(now) };
      const written = await write.tx.updateServiceAccount({
        account: next,
        expectedVersion: account.version,
      });
      if (written === null) throw accountNotFound(call.input.id);
      await write.audit({
        action,
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target: { type: 'service_account', id: call.input.id },
        before: account,
        after: written,
        at: new Date(now),
      });
      write.changed({ serviceAccountId: call.input.id });
      return written;
    },
  });
}
