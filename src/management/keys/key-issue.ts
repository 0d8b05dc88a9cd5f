import { type IssueKeyInput, issueKeyInputSchema } from '../../entities/key-inputs.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import { loadAccount } from '../account-records.js';
import { assertKeyWithinActor } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { assertIpAllowlistLimits } from '../ip-allowlist-limits.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { assertGives, assertValidScopes, grantShapeOf } from '../write-rules.js';
import { type IssuedKey, insertNewKey } from './key-minting.js';

/**
 * Issues a key for an active account: optional narrower scopes and expiry, IP allowlist, rate
 * limits and credits, at most `maxKeysPerAccount` active keys. The key may not hold more than the
 * actor does, nor, when a key acts, be usable from addresses the acting key's allowlists refuse.
 *
 * @internal
 */
export function issueKey(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: IssueKeyInput,
  meta?: CallMeta,
): Promise<IssuedKey> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: issueKeyInputSchema,
    inputName: 'key',
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.serviceAccountId),
    requires: (_input, account) => [
      {
        permission: 'api_keys:manage',
        workspaceId: account.workspaceId,
        denied: { action: 'api_key.issue', target: { type: 'api_key', id: null } },
      },
    ],
    checkInput: (input) => assertIpAllowlistLimits(ctx, input.key.ipAllowlist, ['key', 'ipAllowlist']),
    prepare: ({ input }) => assertValidScopes(ctx, input.key.scopes),
    write: async (write, { input, acting, subject }) => {
      // Status and rights are decided on the account as locked here: a disable, delete or
      // downgrade committed meanwhile is seen, and none can commit until this key is in.
      const locked = await write.lockAccount(subject.id);
      if (locked.status !== 'active') {
        throw new KeywardError(ERROR_CODES.INVALID_STATE, 'Keys can only be issued for active accounts', {
          details: { id: locked.id },
        });
      }
      assertGives(ctx, acting, null, grantShapeOf(locked, input.key.scopes));
      assertKeyWithinActor(write.actingKey, input.key.ipAllowlist ?? null, locked.ipAllowlist);
      return insertNewKey(ctx, write, { account: locked, input: input.key, now: ctx.clock() });
    },
  });
}
