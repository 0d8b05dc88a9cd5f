import { newServiceAccountId } from '../../entities/id-generator.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import {
  type CreateServiceAccountInput,
  createServiceAccountInputSchema,
} from '../../entities/service-account-inputs.js';
import { assertAccountWithinActor } from '../acting-key-bounds.js';
import type { Actor } from '../actor.js';
import type { DeniedAttempt } from '../authorization.js';
import type { CallMeta } from '../call-meta.js';
import { assertIpAllowlistLimits } from '../ip-allowlist-limits.js';
import { type IssuedKey, insertNewKey } from '../keys/key-minting.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import {
  assertAssignableRoles,
  assertDatasetsInBinding,
  assertGives,
  assertValidScopes,
  grantShapeOf,
} from '../write-rules.js';

/** Result of `serviceAccounts.create`: the account, and its first key when one was asked for. */
export interface CreatedServiceAccount {
  readonly account: ServiceAccount;
  /** Present when `firstKey` was given: the token is shown this once. */
  readonly key?: IssuedKey | undefined;
}

const DENIED: DeniedAttempt = {
  action: 'service_account.create',
  target: { type: 'service_account', id: null },
};

/**
 * Creates a service account in the actor's tenant, optionally with its first key, in one
 * transaction with the audit events. The creator is the actor. A key creating an account must
 * give it an IP allowlist within its own (see `assertAccountWithinActor`); the first key then lies
 * within it through the account's list.
 *
 * @internal
 */
export function createServiceAccount(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: CreateServiceAccountInput,
  meta?: CallMeta,
): Promise<CreatedServiceAccount> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: createServiceAccountInputSchema,
    inputName: 'service account',
    checkInput: (input) => {
      assertIpAllowlistLimits(ctx, input.ipAllowlist, ['ipAllowlist']);
      assertIpAllowlistLimits(ctx, input.firstKey?.ipAllowlist, ['firstKey', 'ipAllowlist']);
    },
    load: nothingToLoad,
    requires: ({ workspaceId, firstKey }) => [
      { permission: 'service_accounts:manage', workspaceId, denied: DENIED },
      ...(firstKey === undefined
        ? []
        : [
            {
              permission: 'api_keys:manage',
              workspaceId,
              denied: { ...DENIED, action: 'api_key.issue' as const },
            },
          ]),
    ],
    prepare: async ({ input, acting }) => {
      assertAssignableRoles(ctx, input.roles);
      // The first key's scopes only narrow the account: holding the account's rights covers it.
      assertGives(ctx, acting, null, grantShapeOf(input));
      if (input.firstKey !== undefined) assertValidScopes(ctx, input.firstKey.scopes);
      if (input.datasetAccess.mode === 'selected') {
        await assertDatasetsInBinding(
          ctx,
          { tenantId: acting.tenantId, workspaceId: input.workspaceId },
          input.datasetAccess.datasetIds,
        );
      }
      const now = ctx.clock();
      const at = new Date(now);
      const account: ServiceAccount = {
        id: newServiceAccountId(now),
        tenantId: acting.tenantId,
        workspaceId: input.workspaceId,
        name: input.name,
        description: input.description ?? null,
        contactEmail: input.contactEmail ?? null,
        roles: input.roles,
        readOnly: input.readOnly,
        datasetAccess: input.datasetAccess,
        status: 'active',
        createdBy: acting.ref,
        createdAt: at,
        updatedAt: at,
        version: 1,
        metadata: input.metadata,
        ipAllowlist: input.ipAllowlist ?? null,
        rateLimits: input.rateLimits ?? [],
      };
      return account;
    },
    // The account is new: there is nothing to lock; the acting key's allowlists bound it.
    write: async (write, { input }, account) => {
      assertAccountWithinActor(write.actingKey, account.ipAllowlist);
      await write.tx.insertServiceAccount({ account });
      await write.audit({
        action: 'service_account.create',
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target: { type: 'service_account', id: account.id },
        after: account,
        at: account.createdAt,
      });
      if (input.firstKey === undefined) return { account };
      const key = await insertNewKey(ctx, write, {
        account,
        input: input.firstKey,
        now: account.createdAt.getTime(),
      });
      return { account, key };
    },
  });
}
