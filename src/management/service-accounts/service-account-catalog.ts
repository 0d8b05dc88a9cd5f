import { z } from 'zod';
import { serviceAccountIdSchema, workspaceIdSchema } from '../../entities/ids.js';
import type { ServiceAccount } from '../../entities/service-account.js';
import type { PermissionAccess, PermissionScope } from '../../policy/permission-catalog.js';
import type { Policy } from '../../policy/policy.js';
import { loadAccount } from '../account-records.js';
import type { Actor } from '../actor.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';

/** Input of `kw.serviceAccounts.catalog`. @internal */
export const catalogInputSchema = z.strictObject({
  workspaceId: workspaceIdSchema.optional(),
  serviceAccountId: serviceAccountIdSchema.optional(),
});

/** Input of `kw.serviceAccounts.catalog`. */
export interface CatalogInput {
  /** The workspace the form is for: permissions are those the actor holds there. */
  readonly workspaceId?: string | undefined;
  /**
   * The account a key form is for: permissions are then those the actor holds in the account's
   * workspace and the account holds too (a key's scopes can only narrow its account's rights).
   * An account outside the actor's tenant is `not_found`.
   */
  readonly serviceAccountId?: string | undefined;
}

/**
 * What a "create service account" form may propose to the calling actor: the roles a service
 * account may hold (never `owner`) and the permissions the actor itself holds (whoever grants a
 * right must hold it).
 */
export interface ServiceAccountCatalog {
  /** Roles assignable to service accounts, sorted by name. */
  readonly roles: readonly { readonly name: string; readonly description?: string | undefined }[];
  /** Permissions the actor holds (in the workspace, when one was given), sorted by name. */
  readonly permissions: readonly {
    readonly name: string;
    readonly scope: PermissionScope;
    readonly access: PermissionAccess;
    readonly description?: string | undefined;
  }[];
}

/**
 * The roles and permissions a form may propose to the actor. With a workspace, it needs
 * `service_accounts:read` there and lists the permissions the actor may use in it (a user
 * confined to workspaces, a key bound to one); without, it needs nothing (like `list`) and lists
 * what the actor can use at all. Dataset-level permissions are listed when held, whatever the
 * dataset.
 *
 * @internal
 */
export function serviceAccountCatalog(
  ctx: ManagementContext,
  actor: Actor,
  rawInput: CatalogInput = {},
): Promise<ServiceAccountCatalog> {
  return managedCall(ctx, actor, rawInput, undefined, {
    input: catalogInputSchema,
    inputName: 'catalog input',
    load: (tenantId, input): Promise<ServiceAccount | undefined> =>
      input.serviceAccountId === undefined
        ? nothingToLoad()
        : loadAccount(ctx, tenantId, input.serviceAccountId),
    requires: ({ workspaceId }, account) => {
      const where = account?.workspaceId ?? workspaceId;
      return where === undefined ? [] : [{ permission: 'service_accounts:read', workspaceId: where }];
    },
    read: ({ input, acting, subject: account }) => {
      const { policy } = ctx;
      const now = ctx.clock();
      const workspaceId = account?.workspaceId ?? input.workspaceId;
      const held = new Set(policy.grantedPermissions(acting.principal));
      const ofAccount = account === undefined ? null : new Set(accountPermissions(policy, account));
      const usable = (name: string, scope: PermissionScope): boolean => {
        if (!held.has(name) || (ofAccount !== null && !ofAccount.has(name))) return false;
        if (workspaceId === undefined || scope === 'dataset') return true;
        const resource = { tenantId: acting.tenantId, workspaceId };
        return policy.authorize(acting.principal, name, resource, { now }).allowed;
      };
      return {
        roles: policy.roles.roles
          .filter((role) => role.assignableToServiceAccounts)
          .map((role) => withDescription({ name: role.name }, role.description)),
        permissions: policy.permissions.permissions
          .filter((permission) => usable(permission.name, permission.scope))
          .map((permission) =>
            withDescription(
              { name: permission.name, scope: permission.scope, access: permission.access },
              permission.description,
            ),
          ),
      };
    },
  });
}

/** The permissions a key of `account` without scopes would hold (roles, read-only, datasets). */
function accountPermissions(policy: Policy, account: ServiceAccount): string[] {
  const principal = policy.compileKey({
    tenantId: account.tenantId,
    workspaceId: account.workspaceId,
    serviceAccountId: account.id,
    keyId: 'catalog',
    environment: 'live',
    roles: account.roles,
    scopes: null,
    readOnly: account.readOnly,
    datasetAccess: account.datasetAccess,
    accountStatus: 'active',
    keyStatus: 'active',
    expiresAt: null,
    creator: null,
  });
  return policy.grantedPermissions(principal);
}

/** `entry` with `description` when there is one (no `undefined` member in JSON answers). */
function withDescription<T extends object>(
  entry: T,
  description: string | undefined,
): T & { description?: string } {
  return description === undefined ? entry : { ...entry, description };
}
