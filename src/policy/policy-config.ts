import type { ForbidRule } from './forbid-rule.js';
import type { PermissionCatalog } from './permission-catalog.js';
import type { RoleCatalog, RoleSpec } from './role-catalog.js';

/** What `createPolicy` takes. */
export interface PolicyConfig<A extends string, R extends string> {
  /** The catalog, from {@link keyward!definePermissions}. */
  readonly permissions: PermissionCatalog<A>;
  /** The roles, from {@link keyward!defineRoles} (or a plain record of role specs). */
  readonly roles: RoleCatalog<R> | Readonly<Record<R, RoleSpec<A>>>;
  /** Host forbid rules (pure data; their order never matters). */
  readonly forbid?: readonly ForbidRule<A>[] | undefined;
}
