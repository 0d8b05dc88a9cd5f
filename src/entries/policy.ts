/**
 * `keyward/policy`: the policy engine on its own, for hosts that compile principals and check
 * grants themselves: {@link createPolicy}, the compiled principal types, the grant-check types
 * and the catalog's details. A keyward instance exposes the same `Policy` as `kw.policy`.
 *
 * @example
 * ```ts
 * import { defaultPermissions, defaultRoles } from 'keyward';
 * import { createPolicy } from 'keyward/policy';
 *
 * const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
 * ```
 *
 * @packageDocumentation
 * @module keyward/policy
 */
export type { DeterminingEntry, TraceStep } from '../policy/decision.js';
export type { DefaultPermission, DefaultRole } from '../policy/default-catalog.js';
export type { GrantChange, GrantExcess, GrantShape } from '../policy/grant-excess.js';
export type { GrantPattern, ResourceOf, VerbOf } from '../policy/grant-pattern.js';
export {
  MAX_PERMISSIONS,
  type PermissionAccess,
  type PermissionInfo,
  type PermissionScope,
} from '../policy/permission-catalog.js';
export {
  type AuthorizeOptions,
  type AuthorizeRequest,
  createPolicy,
  type Policy,
  type RequestedGrants,
} from '../policy/policy.js';
export type { PolicyConfig } from '../policy/policy-config.js';
export type {
  CreatorRights,
  KeyPrincipal,
  KeyPrincipalFacts,
  Principal,
  UserPrincipal,
} from '../policy/principal.js';
export type { DecisionKind, PolicyLayer } from '../policy/reason-codes.js';
export { MAX_ROLES, type RoleInfo } from '../policy/role-catalog.js';
