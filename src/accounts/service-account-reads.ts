import type { Page } from '../entities/pagination.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  type ListServiceAccountsInput,
  listServiceAccountsInputSchema,
  type ServiceAccountRefInput,
  serviceAccountRefInputSchema,
} from '../entities/service-account-inputs.js';
import { parseInput } from '../errors/parse-input.js';
import { loadAccount } from './account-mutation.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { decodeCursor } from './cursor.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { readablePage } from './readable-page.js';

/** Reads one account of the actor's tenant (`service_accounts:read` on its workspace). @internal */
export async function getServiceAccount(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ServiceAccountRefInput,
): Promise<ServiceAccount> {
  const input = parseInput(serviceAccountRefInputSchema, rawInput, 'service account');
  const acting = actingPrincipal(ctx, actor);
  const account = await loadAccount(ctx, acting.tenantId, input.id);
  await authorizeCall(ctx, acting, 'service_accounts:read', account.workspaceId);
  return account;
}

/**
 * Lists accounts of the actor's tenant, optionally one workspace and status. Without a
 * workspace, only accounts of workspaces the actor may read are returned.
 *
 * @internal
 */
export async function listServiceAccounts(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ListServiceAccountsInput = {},
): Promise<Page<ServiceAccount>> {
  const input = parseInput(listServiceAccountsInputSchema, rawInput, 'list filter');
  const acting = actingPrincipal(ctx, actor);
  if (input.workspaceId !== undefined)
    await authorizeCall(ctx, acting, 'service_accounts:read', input.workspaceId);
  const now = ctx.clock();
  return readablePage(
    (after, limit) =>
      ctx.storage.listServiceAccounts({
        tenantId: acting.tenantId,
        workspaceId: input.workspaceId,
        status: input.status,
        limit,
        after,
      }),
    (account) =>
      ctx.policy.authorize(
        acting.principal,
        'service_accounts:read',
        { tenantId: acting.tenantId, workspaceId: account.workspaceId },
        { now },
      ).allowed,
    input.limit,
    decodeCursor(input.cursor),
  );
}
