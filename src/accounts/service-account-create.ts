import { buildAuditEvent } from '../audit/audit-event-builder.js';
import { newServiceAccountId } from '../entities/id-generator.js';
import type { ServiceAccount } from '../entities/service-account.js';
import {
  type CreateServiceAccountInput,
  createServiceAccountInputSchema,
} from '../entities/service-account-inputs.js';
import { parseInput } from '../errors/parse-input.js';
import { type Actor, actingPrincipal } from './acting-principal.js';
import { authorizeCall } from './authorize-call.js';
import { type IssuedKey, insertNewKey } from './key-minting.js';
import { type CallMeta, type LifecycleContext, requestOf } from './lifecycle-context.js';
import {
  assertAssignableRoles,
  assertDatasetsInBinding,
  assertGives,
  assertValidScopes,
  grantShapeOf,
} from './write-rules.js';

/** Result of `serviceAccounts.create`: the account, and its first key when one was asked for. */
export interface CreatedServiceAccount {
  readonly account: ServiceAccount;
  /** Present when `firstKey` was given: the token is shown this once. */
  readonly key?: IssuedKey | undefined;
}

/**
 * Creates a service account in the actor's tenant, optionally with its first key, in one
 * transaction with the audit events. The creator is the actor.
 *
 * @internal
 */
export async function createServiceAccount(
  ctx: LifecycleContext,
  actor: Actor,
  rawInput: CreateServiceAccountInput,
  meta?: CallMeta,
): Promise<CreatedServiceAccount> {
  const acting = actingPrincipal(ctx, actor);
  const input = parseInput(createServiceAccountInputSchema, rawInput, 'service account');
  const request = requestOf(meta);
  const denied = { action: 'service_account.create', target: { type: 'service_account', id: null } } as const;
  await authorizeCall(ctx, acting, 'service_accounts:manage', input.workspaceId, denied, request);
  if (input.firstKey !== undefined) {
    await authorizeCall(
      ctx,
      acting,
      'api_keys:manage',
      input.workspaceId,
      { ...denied, action: 'api_key.issue' },
      request,
    );
  }
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
  };
  return ctx.storage.transaction(async (tx) => {
    await tx.insertServiceAccount({ account });
    await tx.insertAuditEvent({
      event: buildAuditEvent({
        actor: acting.ref,
        action: 'service_account.create',
        tenantId: account.tenantId,
        workspaceId: account.workspaceId,
        target: { type: 'service_account', id: account.id },
        after: account,
        request,
        at,
      }),
    });
    if (input.firstKey === undefined) return { account };
    const key = await insertNewKey(ctx, tx, {
      account,
      input: input.firstKey,
      actor: acting.ref,
      request,
      now,
    });
    return { account, key };
  });
}
