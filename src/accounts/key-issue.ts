import { type IssueKeyInput, issueKeyInputSchema } from '../entities/key-inputs.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import { parseInput } from '../errors/parse-input.js';
import { loadAccount, lockAccount } from './account-mutation.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { type IssuedKey, insertNewKey } from './key-minting.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';
import { assertGives, assertValidScopes, grantShapeOf } from './write-rules.js';

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
  const acting = actingPrincipal(ctx, actor);
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
  assertValidScopes(ctx, input.key.scopes);
  return ctx.storage.transaction(async (tx) => {
    // Status and rights are decided on the account as locked here: a disable, delete or
    // downgrade committed meanwhile is seen, and none can commit until this key is in.
    const locked = await lockAccount(tx, acting.tenantId, account.id);
    if (locked.status !== 'active') {
      throw new KeywardError(ERROR_CODES.INVALID_STATE, 'Keys can only be issued for active accounts', {
        details: { id: locked.id },
      });
    }
    assertGives(ctx, acting, null, grantShapeOf(locked, input.key.scopes));
    return insertNewKey(ctx, tx, {
      account: locked,
      input: input.key,
      actor: acting.ref,
      request,
      now: ctx.clock(),
    });
  });
}
