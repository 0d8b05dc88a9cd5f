import type { ServiceAccount } from '../../entities/service-account.js';
import {
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../../entities/service-account-inputs.js';
import { accountNotFound, assertVersion, loadAccount } from '../account-records.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';

/**
 * Deletes an account and, irreversibly, all its keys. The audit trail stays.
 *
 * @internal
 */
export function deleteServiceAccount(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
  meta?: CallMeta,
): Promise<ServiceAccount> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: serviceAccountRefInputSchema,
    inputName: 'service account',
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.id),
    requires: (_input, account) => [
      {
        permission: 'service_accounts:manage',
        workspaceId: account.workspaceId,
        denied: { action: 'service_account.delete', target: { type: 'service_account', id: account.id } },
      },
    ],
    write: async (write, { input }) => {
      const locked = await write.lockAccount(input.id);
      assertVersion(locked, input.expectedVersion);
      if (!(await write.tx.deleteServiceAccount({ tenantId: locked.tenantId, id: locked.id })))
        throw accountNotFound(locked.id);
      await write.audit({
        action: 'service_account.delete',
        tenantId: locked.tenantId,
        workspaceId: locked.workspaceId,
        target: { type: 'service_account', id: locked.id },
        before: locked,
        at: new Date(ctx.clock()),
      });
      write.changed({ serviceAccountId: locked.id });
      return locked;
    },
  });
}
