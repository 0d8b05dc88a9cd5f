import type { ApiKeyInfo } from '../entities/api-key.js';
import {
  type KeyRefInput,
  keyRefInputSchema,
  type ListKeysInput,
  listKeysInputSchema,
} from '../entities/key-inputs.js';
import type { Page } from '../entities/pagination.js';
import { parseInput } from '../errors/parse-input.js';
import { loadAccount } from './account-mutation.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { loadKey } from './key-changes.js';
import { toKeyInfo } from './key-view.js';
import type { LifecycleContext } from './lifecycle-context.js';

/** Lists an account's keys (expired ones stay listed as `expired`). @internal */
export async function listKeys(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: ListKeysInput,
): Promise<Page<ApiKeyInfo>> {
  const input = parseInput(listKeysInputSchema, rawInput, 'key list');
  const acting = actingPrincipal(ctx, actor);
  const account = await loadAccount(ctx, acting.tenantId, input.serviceAccountId);
  await authorizeCall(ctx, acting, 'service_accounts:read', account.workspaceId);
  const rows = await ctx.storage.listKeys({
    tenantId: acting.tenantId,
    serviceAccountId: account.id,
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
}

/** Reads one key of the actor's tenant. @internal */
export async function getKey(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: KeyRefInput,
): Promise<ApiKeyInfo> {
  const input = parseInput(keyRefInputSchema, rawInput, 'key');
  const acting = actingPrincipal(ctx, actor);
  const key = await loadKey(ctx, acting.tenantId, input.keyId);
  await authorizeCall(ctx, acting, 'service_accounts:read', key.workspaceId);
  return toKeyInfo(key, ctx.clock());
}
