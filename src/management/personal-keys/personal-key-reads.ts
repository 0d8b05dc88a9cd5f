import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import type { Page } from '../../entities/pagination.js';
import {
  type ListAllPersonalKeysInput,
  type ListPersonalKeysInput,
  listAllPersonalKeysInputSchema,
  listPersonalKeysInputSchema,
} from '../../entities/personal-key-inputs.js';
import type { PageAfter } from '../../storage/storage-adapter.js';
import type { Actor } from '../actor.js';
import { toKeyInfo } from '../keys/key-view.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { findPersonalAccount, personOf } from './personal-account.js';

/** Lists the acting person's own keys in one workspace (revoked and expired ones stay listed). @internal */
export function listPersonalKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ListPersonalKeysInput,
): Promise<Page<ApiKeyInfo>> {
  personOf(ctx, actor);
  return managedCall(ctx, actor, rawInput, undefined, {
    input: listPersonalKeysInputSchema,
    inputName: 'personal key list',
    load: nothingToLoad,
    requires: () => [],
    read: ({ input, acting }) =>
      personKeysPage(
        ctx,
        { tenantId: acting.tenantId, workspaceId: input.workspaceId, userId: acting.ref.id },
        input,
      ),
  });
}

/**
 * Lists the personal keys of one workspace, or of one person in it, for a tenant admin
 * (`api_keys:manage` on the workspace).
 *
 * @internal
 */
export function listAllPersonalKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ListAllPersonalKeysInput,
): Promise<Page<ApiKeyInfo>> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: listAllPersonalKeysInputSchema,
    inputName: 'personal key list',
    load: nothingToLoad,
    requires: (input) => [{ permission: 'api_keys:manage', workspaceId: input.workspaceId }],
    read: async ({ input, acting }) => {
      const { workspaceId, userId } = input;
      if (userId !== undefined)
        return personKeysPage(ctx, { tenantId: acting.tenantId, workspaceId, userId }, input);
      const now = new Date(ctx.clock());
      return pageOf(ctx, input.limit, (limit) =>
        ctx.storage.queryKeys({
          tenantId: acting.tenantId,
          workspaceId,
          accountKind: 'personal',
          now,
          after: decodeCursor(input.cursor),
          limit,
        }),
      );
    },
  });
}

/** One person's keys in one workspace: their personal account's, none when they have none. */
async function personKeysPage(
  ctx: ManagementContext,
  who: { readonly tenantId: string; readonly workspaceId: string; readonly userId: string },
  input: { readonly limit: number; readonly cursor?: string | undefined },
): Promise<Page<ApiKeyInfo>> {
  const account = await findPersonalAccount(ctx.storage, who);
  if (account === null) return { items: [], nextCursor: null };
  const after: PageAfter | undefined = decodeCursor(input.cursor);
  return pageOf(ctx, input.limit, (limit) =>
    ctx.storage.listKeys({ tenantId: who.tenantId, serviceAccountId: account.id, limit, after }),
  );
}

/** A page of `limit` keys read as `limit + 1`, the extra one telling whether more follow. */
async function pageOf(
  ctx: ManagementContext,
  limit: number,
  read: (limit: number) => Promise<ApiKey[]>,
): Promise<Page<ApiKeyInfo>> {
  const rows = await read(limit + 1);
  const now = ctx.clock();
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((key) => toKeyInfo(key, now)),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}
