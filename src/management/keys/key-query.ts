import type { ApiKeyInfo } from '../../entities/api-key.js';
import { type QueryKeysInput, queryKeysInputSchema } from '../../entities/key-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import type { ManagementContext } from '../management-context.js';
import { listInTenant } from '../tenant-list.js';
import { toKeyInfo } from './key-view.js';

/**
 * The keys of the actor's tenant matching every filter, oldest first: statuses are derived at
 * the time of the call. With a workspace, the actor needs `service_accounts:read` on it; without
 * one, only keys of workspaces the actor may read are returned (as `serviceAccounts.list` does).
 *
 * @internal
 */
export async function queryKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: QueryKeysInput = {},
): Promise<Page<ApiKeyInfo>> {
  const now = ctx.clock();
  const page = await listInTenant(ctx, actor, rawInput, {
    input: queryKeysInputSchema,
    inputName: 'key query',
    fetch: (input, tenantId, after, limit) =>
      ctx.storage.queryKeys({
        tenantId,
        workspaceId: input.workspaceId,
        // People's own keys are shown by `kw.personalKeys`, to their owner and to admins only.
        accountKind: 'service',
        status: input.status,
        environment: input.environment,
        expiresBefore: input.expiresBefore,
        unusedSince: input.unusedSince,
        now: new Date(now),
        limit,
        after,
      }),
  });
  return { items: page.items.map((key) => toKeyInfo(key, now)), nextCursor: page.nextCursor };
}
