/**
 * The policy evaluator (DESIGN section 5): the permission catalog, roles, forbid rules, key and
 * user principals compiled once, and a pure, synchronous `authorize` that explains each denial.
 *
 * Layout: the files of this folder are the public concepts a host reads about; `engine/` holds
 * the compiled model and the evaluator. Imports go one way: the engine may import concepts, a
 * concept never imports the engine, except `policy.ts` (`createPolicy`, which wires the engine).
 * Nothing here imports verify, accounts, management or http.
 */
export type {
  AllowDecision,
  Decision,
  DenyDecision,
  DenyReason,
  DeterminingEntry,
  TraceStep,
} from './decision.js';
export {
  type DefaultPermission,
  type DefaultRole,
  defaultPermissions,
  defaultRoles,
} from './default-catalog.js';
export type { ForbidRule } from './forbid-rule.js';
export type { GrantChange, GrantExcess, GrantShape } from './grant-excess.js';
export type { GrantPattern, ResourceOf, VerbOf } from './grant-pattern.js';
export {
  definePermissions,
  MAX_PERMISSIONS,
  type PermissionAccess,
  type PermissionCatalog,
  type PermissionInfo,
  type PermissionScope,
  type PermissionSpec,
} from './permission-catalog.js';
export {
  type AuthorizeOptions,
  type AuthorizeRequest,
  createPolicy,
  type Policy,
  type RequestedGrants,
} from './policy.js';
export type { PolicyConfig } from './policy-config.js';
export type {
  CreatorRights,
  KeyPrincipal,
  KeyPrincipalFacts,
  Principal,
  UserPrincipal,
} from './principal.js';
export { type DecisionKind, type PolicyLayer, REASON_CODES, type ReasonCode } from './reason-codes.js';
export type { Resource } from './resource.js';
export {
  defineRoles,
  MAX_ROLES,
  type RoleCatalog,
  type RoleInfo,
  type RoleSet,
  type RoleSpec,
} from './role-catalog.js';
