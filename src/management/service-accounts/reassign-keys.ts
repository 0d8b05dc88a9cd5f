import type { ActorRef } from '../../entities/actor.js';
import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import { type ReassignKeysInput, reassignKeysInputSchema } from '../../entities/reassign-keys-inputs.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { UserPrincipal } from '../../policy/index.js';
import type { PageAfter, StorageTransaction } from '../../storage/storage-adapter.js';
import { assertVersion, loadAccount } from '../account-records.js';
import type { Actor } from '../actor.js';
import type { CallMeta } from '../call-meta.js';
import { keyNotFound } from '../key-records.js';
import { nextUpdatedAt } from '../keys/key-change.js';
import { toKeyInfo } from '../keys/key-view.js';
import { managedCall } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';
import { assertGives, grantShapeOf } from '../write-rules.js';

/** What `kw.serviceAccounts.reassignKeys` answers. */
export interface ReassignedKeys {
  /** The account, as locked by the call (its `version` does not move: the account did not change). */
  account: ServiceAccount;
  /** The keys whose `createdBy` changed, after the change; empty when there was nothing to move. */
  keys: ApiKeyInfo[];
}

/** Keys read per page while listing an account's keys under its lock. */
const PAGE = 100;

/**
 * Moves `createdBy` of every key of an account (revoked ones excepted: revocation is final, and
 * they bound nothing) to another person of the tenant, in one transaction under the account's
 * lock, one `api_key.reassign` audit event per key moved. The actor needs
 * `service_accounts:manage` on the account's workspace and, as for every write that binds a key
 * to rights, must hold each key's rights itself. The new creator must be known to `resolveActor`
 * in the actor's tenant, hold `api_keys:manage` there, and hold each key's rights, or the keys
 * would lose rights under `liveCreatorBoundary`. `regeneratedBy` stays: whoever received the
 * current secret still holds it. Only a person reassigns: a key moving keys (itself included) to
 * another creator would cut them out of its own chain, so revoking it would no longer stop them.
 *
 * @internal
 */
export function reassignKeys(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: ReassignKeysInput,
  meta?: CallMeta,
): Promise<ReassignedKeys> {
  return managedCall(ctx, actor, rawInput, meta, {
    input: reassignKeysInputSchema,
    inputName: 'key reassignment',
    load: (tenantId, input) => loadAccount(ctx, tenantId, input.id),
    requires: (input, account) => [
      {
        permission: 'service_accounts:manage',
        workspaceId: account.workspaceId,
        denied: { action: 'api_key.reassign', target: { type: 'service_account', id: input.id } },
      },
    ],
    // The host's lookup is I/O: it runs before the transaction, never under a lock.
    prepare: ({ input, acting, subject }) => {
      assertPersonActs(acting.ref);
      return newCreator(ctx, acting.tenantId, subject.workspaceId, input.to.id);
    },
    write: async (write, { input, acting }, creator) => {
      const account = await write.lockAccount(input.id);
      assertVersion(account, input.expectedVersion);
      const to: ActorRef = { type: 'user', id: input.to.id };
      const moving = (await keysOf(write.tx, account)).filter(
        (key) => key.status !== 'revoked' && !(key.createdBy.type === 'user' && key.createdBy.id === to.id),
      );
      for (const key of moving) assertGives(ctx, acting, null, grantShapeOf(account, key.scopes));
      assertCreatorHolds(ctx, creator, account, moving);
      const now = ctx.clock();
      const at = new Date(now);
      const keys: ApiKeyInfo[] = [];
      for (const key of moving) {
        const written = await write.tx.updateKey({
          key: { ...key, createdBy: to, updatedAt: nextUpdatedAt(key, now) },
        });
        if (written === null) throw keyNotFound(key.id);
        const after = toKeyInfo(written, now);
        await write.audit({
          action: 'api_key.reassign',
          tenantId: account.tenantId,
          workspaceId: account.workspaceId,
          target: { type: 'api_key', id: key.id },
          before: toKeyInfo(key, now),
          after,
          at,
        });
        write.changed({ keyId: key.id });
        keys.push(after);
      }
      return { account, keys };
    },
  });
}

/**
 * The new creator, compiled: known to `resolveActor` in the tenant (else `INVALID_INPUT` at
 * `to.id`), and allowed to manage keys in the account's workspace (else `EXCEEDS_CREATOR_RIGHTS`).
 */
async function newCreator(
  ctx: ManagementContext,
  tenantId: string,
  workspaceId: string,
  id: string,
): Promise<UserPrincipal> {
  if (ctx.resolveActor === undefined) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      'reassignKeys needs resolveActor: keyward must know the new creator and their rights',
    );
  }
  const user = await ctx.resolveActor({ type: 'user', id, tenantId });
  if (user === null || typeof user !== 'object' || user.tenantId !== tenantId || user.id !== id) {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Unknown user', {
      issues: [{ code: 'custom', path: ['to', 'id'], message: `No user ${id} in this tenant` }],
    });
  }
  const principal = ctx.policy.compileUser(user);
  const decision = ctx.policy.authorize(
    principal,
    'api_keys:manage',
    { tenantId, workspaceId },
    { now: ctx.clock() },
  );
  if (!decision.allowed) {
    throw new KeywardError(
      ERROR_CODES.EXCEEDS_CREATOR_RIGHTS,
      `The new creator may not manage keys in workspace ${workspaceId} (${decision.reason})`,
      { details: { exceeding: ['api_keys:manage'], datasets: [] } },
    );
  }
  return principal;
}

/** Refuses the move when the new creator lacks rights some key holds, naming them all at once. */
function assertCreatorHolds(
  ctx: ManagementContext,
  creator: UserPrincipal,
  account: ServiceAccount,
  keys: readonly ApiKey[],
): void {
  const permissions = new Set<string>();
  const datasets = new Set<string>();
  for (const key of keys) {
    const excess = ctx.policy.exceedingGrant(creator, {
      before: null,
      after: grantShapeOf(account, key.scopes),
    });
    for (const permission of excess.permissions) permissions.add(permission);
    for (const dataset of excess.datasets) datasets.add(dataset);
  }
  if (permissions.size === 0 && datasets.size === 0) return;
  const exceeding = [...permissions].sort();
  const named = [
    ...exceeding,
    ...[...datasets].map((id) => (id === '*' ? 'every dataset of the workspace' : `dataset ${id}`)),
  ];
  throw new KeywardError(
    ERROR_CODES.EXCEEDS_CREATOR_RIGHTS,
    `Exceeds the new creator's rights: ${named.join(', ')}`,
    { details: { exceeding, datasets: [...datasets].sort() } },
  );
}

/** Every key of the account, read page by page inside the transaction holding its lock. */
async function keysOf(tx: StorageTransaction, account: ServiceAccount): Promise<ApiKey[]> {
  const keys: ApiKey[] = [];
  let after: PageAfter | undefined;
  for (;;) {
    const page = await tx.listKeys({
      tenantId: account.tenantId,
      serviceAccountId: account.id,
      limit: PAGE,
      after,
    });
    keys.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || last === undefined) return keys;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** Refuses a key as the actor of a reassignment (`INVALID_INPUT` at `actor`). */
function assertPersonActs(actor: ActorRef): void {
  if (actor.type !== 'key') return;
  throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid actor: keys are reassigned by a person', {
    issues: [
      {
        code: 'custom',
        path: ['actor'],
        message:
          'Keys are reassigned by a person: a key moving keys to another creator would take them out of its own chain',
      },
    ],
  });
}
