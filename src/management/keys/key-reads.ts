import type { ApiKeyInfo } from '../../entities/api-key.js';
import {
  type KeyRefInput,
  keyRefInputSchema,
  type ListKeysInput,
  listKeysInputSchema,
} from '../../entities/key-inputs.js';
import type { Page } from '../../entities/pagination.js';
import { loadAccount } from '../account-records.js';
import type { Actor } from '../actor.js';
import { loadKey } from '../key-records.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { toKeyInfo } from './key-view.js';

/** Lists an account's keys (expired ones stay listed as `expired`). @internal */
export function listKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ListKeysInput,
): Promise<Page<ApiKeyInfo>> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: listKeysInputSchema,
    inputName: 'key list',
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.serviceAccountId),
    requires: (_input, account) => [
      { permission: 'service_accounts:read', workspaceId: account.workspaceId },
    ],
    read: async ({ input, acting, subject }) => {
      const rows = await ctx.storage.listKeys({
        tenantId: acting.tenantId,
        serviceAccountId: subject.id,
        limit: input.limit + 1,
        after: decodeCursor(input.cursor),
      });
      const now = ctx.clock();
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((key) => toKeyInfo(key, now)),
        nextCursor: rows.length > input.limit && last !== undefined ? encodeCursor(last) : null,
      };
    },
  });
}

/** Reads one service-account key of the actor's tenant (a person's own key is `NOT_FOUND`). @internal */
export function getKey(ctx: ManagementContext, actor: Actor, rawInput: KeyRefInput): Promise<ApiKeyInfo> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: keyRefInputSchema,
    inputName: 'key',
    load: (tenantId, input) => loadKey(ctx, tenantId, input.keyId),
    requires: (_input, key) => [{ permission: 'service_accounts:read', workspaceId: key.workspaceId }],
    read: ({ subject }) => toKeyInfo(subject, ctx.clock()),
  });
}
