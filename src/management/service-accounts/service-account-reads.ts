import type { Page } from '../../entities/pagination.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import {
  type ListServiceAccountsInput,
  listServiceAccountsInputSchema,
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../../entities/service-account-inputs.js';
import { loadAccount } from '../account-records.js';
import type { Actor } from '../actor.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { listInTenant } from '../tenant-list.js';

/** Reads one account of the actor's tenant (`service_accounts:read` on its workspace). @internal */
export function getServiceAccount(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
): Promise<ServiceAccount> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: serviceAccountRefInputSchema,
    inputName: 'service account',
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.id),
    requires: (_input, account) => [
      { permission: 'service_accounts:read', workspaceId: account.workspaceId },
    ],
    read: ({ subject }) => subject,
  });
}

/**
 * Lists accounts of the actor's tenant, optionally one workspace and status. Without a
 * workspace, only accounts of workspaces the actor may read are returned.
 *
 * @internal
 */
export function listServiceAccounts(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ListServiceAccountsInput = {},
): Promise<Page<ServiceAccount>> {
  return listInTenant(ctx, actor, rawInput, {
    input: listServiceAccountsInputSchema,
    inputName: 'list filter',
    fetch: (input, tenantId, after, limit) =>
      ctx.storage.listServiceAccounts({
        tenantId,
        workspaceId: input.workspaceId,
        status: input.status,
        limit,
        after,
      }),
  });
}
