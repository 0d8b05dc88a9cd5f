import type { ApiKeyInfo } from '../../entities/api-key.js';
import { type QueryKeysInput, queryKeysInputSchema } from '../../entities/key-inputs.js';
import type { Page } from '../../entities/pagination.js';
import type { Actor } from '../actor.js';
import { readableWorkspaces } from '../authorization.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { decodeCursor } from '../page-cursor.js';
import { readablePage } from '../readable-page.js';
import { toKeyInfo } from './key-view.js';

/**
 * The keys of the actor's tenant matching every filter, oldest first: statuses are derived at
 * the time of the call. With a workspace, the actor needs `service_accounts:read` on it; without
 * one, only keys of workspaces the actor may read are returned (as `serviceAccounts.list` does).
 *
 * @internal
 */
export function queryKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: QueryKeysInput = {},
): Promise<Page<ApiKeyInfo>> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: queryKeysInputSchema,
    inputName: 'key query',
    load: nothingToLoad,
    requires: ({ workspaceId }) =>
      workspaceId === undefined ? [] : [{ permission: 'service_accounts:read', workspaceId }],
    read: async ({ input, acting }) => {
      const readable = readableWorkspaces(ctx, acting);
      const now = ctx.clock();
      const page = await readablePage(
        (after, limit) =>
          ctx.storage.queryKeys({
            tenantId: acting.tenantId,
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
        (key) => readable(key.workspaceId),
        input.limit,
        decodeCursor(input.cursor),
      );
      return { items: page.items.map((key) => toKeyInfo(key, now)), nextCursor: page.nextCursor };
    },
  });
}
