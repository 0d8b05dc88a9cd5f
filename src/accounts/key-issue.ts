import { type IssueKeyInput, issueKeyInputSchema } from '../entities/key-inputs.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { loadAccount } from './account-mutation.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { type IssuedKey, insertNewKey } from './key-minting.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';
import { assertValidScopes, assertWithinActor } from './write-rules.js';

/**
 * Issues a key for an active account: optional narrower scopes and expiry, at most
 * `maxKeysPerAccount` active keys. The key may not hold more than the actor does.
 *
 * @internal
 */
export async function issueKey(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: IssueKeyInput,
  meta?: CallMeta,
): Promise<IssuedKey> {
  const input = parseInput(issueKeyInputSchema, rawInput, 'key');
  const acting = actingPrincipal(ctx.policy, actor);
  const request = requestOf(meta);
  const account = await loadAccount(ctx, acting.tenantId, input.serviceAccountId);
  await authorizeCall(
    ctx,
    acting,
    'api_keys:manage',
    account.workspaceId,
    {
      action: 'api_key.issue',
      target: { type: 'api_key', id: null },
    },
    request,
  );
  if (account.status !== 'active') {
    throw new KeywardError(ERROR_CODES.INVALID_STATE, 'Keys can only be issued for active accounts', {
      details: { id: account.id },
    });
  }
  assertValidScopes(ctx, input.key.scopes);
  assertWithinActor(ctx, acting, { roles: account.roles, scopes: input.key.scopes });
  const now = ctx.clock();
  return ctx.storage.transaction((tx) =>
    insertNewKey(ctx, tx, { account, input: input.key, actor: acting.ref, request, now }),
  );
}
