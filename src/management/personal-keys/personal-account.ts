import type { UserActor } from '../../entities/actor.js';
import { newServiceAccountId } from '../../entities/id-generator.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { StorageReads, StorageTransaction } from '../../storage/storage-adapter.js';
import type { Actor } from '../actor.js';
import type { ManagementContext } from '../management-context.js';

/** The name every personal account carries (never shown: `kw.serviceAccounts` hides them). */
const PERSONAL_ACCOUNT_NAME = 'personal keys';

/** The personal account of `userId` in a workspace, or `null`. @internal */
export async function findPersonalAccount(
  storage: StorageReads,
  args: { readonly tenantId: string; readonly workspaceId: string; readonly userId: string },
): Promise<ServiceAccount | null> {
  const [account] = await storage.listServiceAccounts({
    tenantId: args.tenantId,
    kind: 'personal',
    ownerUserId: args.userId,
    workspaceId: args.workspaceId,
    limit: 1,
  });
  return account ?? null;
}

/**
 * The person's personal account in `workspaceId`, created on first use, and locked until the
 * transaction ends. When another instance created it meanwhile, the storage's uniqueness rule
 * refuses the second row (`CONFLICT`) and the one that won is read instead.
 *
 * @internal
 */
export async function lockPersonalAccount(
  tx: StorageTransaction,
  person: UserActor,
  workspaceId: string,
  now: number,
): Promise<ServiceAccount> {
  const where = { tenantId: person.tenantId, workspaceId, userId: person.id };
  let account = await findPersonalAccount(tx, where);
  if (account === null) {
    const at = new Date(now);
    const created: ServiceAccount = {
      id: newServiceAccountId(now),
      tenantId: person.tenantId,
      workspaceId,
      name: PERSONAL_ACCOUNT_NAME,
      description: null,
      contactEmail: null,
      roles: [],
      readOnly: false,
      datasetAccess: { mode: 'all' },
      status: 'active',
      createdBy: { type: 'user', id: person.id },
      createdAt: at,
      updatedAt: at,
      version: 1,
      metadata: {},
      ownerUserId: person.id,
      ipAllowlist: null,
      rateLimits: [],
    };
    try {
      await tx.insertServiceAccount({ account: created });
      account = created;
    } catch (error) {
      if (!(error instanceof KeywardError) || error.code !== ERROR_CODES.CONFLICT) throw error;
      account = await findPersonalAccount(tx, where);
      if (account === null) throw error;
    }
  }
  const locked = await tx.lockServiceAccount({ tenantId: account.tenantId, id: account.id });
  if (locked === null)
    throw new KeywardError(ERROR_CODES.CONFLICT, 'The personal account was deleted concurrently');
  return locked;
}

/**
 * The person acting, for the calls only a person makes (issuing and listing their own keys): a
 * key has no keys of its own (`INVALID_INPUT` at `actor`), and keyward needs the person's live rights to bound
 * them (`INVALID_CONFIG` without `resolveActor`).
 *
 * @internal
 */
export function personOf(ctx: ManagementContext, actor: Actor): UserActor {
  if (ctx.resolveActor === undefined) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      "Personal keys need resolveActor: every request is bounded by the owner's live rights",
    );
  }
  if (typeof actor === 'object' && actor !== null && actor.type === 'key') {
    throw new KeywardError(ERROR_CODES.INVALID_INPUT, 'Invalid actor', {
      issues: [
        {
          code: 'custom',
          path: ['actor'],
          message: 'Personal keys belong to a person: a key cannot hold them',
        },
      ],
    });
  }
  return actor as UserActor;
}
