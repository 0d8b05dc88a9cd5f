import { z } from 'zod';
import { workspaceIdSchema } from '../../entities/ids.js';
import type { PermissionAccess, PermissionScope } from '../../policy/permission-catalog.js';
import type { Actor } from '../actor.js';
import { managedCall, nothingToLoad } from '../managed-call.js';
import type { ManagementContext } from '../management-context.js';

/** Input of `kw.serviceAccounts.catalog`. @internal */
export const catalogInputSchema = z.strictObject({ workspaceId: workspaceIdSchema.optional() });

/** Input of `kw.serviceAccounts.catalog`. */
export interface CatalogInput {
  /** The workspace the form is for: permissions are those the actor holds there. */
  readonly workspaceId?: string | undefined;
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
    load: nothingToLoad,
    requires: ({ workspaceId }) =>
      workspaceId === undefined ? [] : [{ permission: 'service_accounts:read', workspaceId }],
    read: ({ input, acting }) => {
      const { policy } = ctx;
      const now = ctx.clock();
      const held = new Set(policy.grantedPermissions(acting.principal));
      const usable = (name: string, scope: PermissionScope): boolean => {
        if (!held.has(name)) return false;
        if (input.workspaceId === undefined || scope === 'dataset') return true;
        const resource = { tenantId: acting.tenantId, workspaceId: input.workspaceId };
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

/** `entry` with `description` when there is one (no `undefined` member in JSON answers). */
function withDescription<T extends object>(
  entry: T,
  description: string | undefined,
): T & { description?: string } {
  return description === undefined ? entry : { ...entry, description };
}
