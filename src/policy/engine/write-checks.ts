import { patternProblem } from '../pattern-problems.js';
import type { Principal } from '../principal.js';
import { excessOver, type Reach } from './exceeding-grant.js';
import { grantedByRolesAndScopes, heldBy } from './held-rights.js';
import { expandPatterns, type PolicyModel } from './policy-model.js';

export { exceedingGrant } from './exceeding-grant.js';

/**
 * Write-time checks the lifecycle runs before saving an account or a key. They take plain
 * lists and return what is wrong (empty = fine), so callers build their own error.
 *
 * @internal
 */

/** The patterns that are malformed or match no permission, without duplicates, in input order. @internal */
export function unknownPatterns(model: PolicyModel, patterns: readonly string[]): string[] {
  return distinct(patterns.filter((pattern) => patternProblem(pattern, model.names) !== null));
}

/** The role names the policy does not define. @internal */
export function unknownRoles(model: PolicyModel, roles: readonly string[]): string[] {
  return distinct(roles.filter((role) => !model.roleIndex.has(role)));
}

/** The defined roles that may not be given to a service account. @internal */
export function nonAssignableRoles(model: PolicyModel, roles: readonly string[]): string[] {
  return distinct(
    roles.filter((role) => {
      const r = model.roleIndex.get(role);
      return r !== undefined && !model.roles[r]!.assignableToServiceAccounts;
    }),
  );
}

/** The requested dataset ids that are not in `inBinding`, without duplicates, in input order. @internal */
export function datasetsOutsideBinding(requested: readonly string[], inBinding: readonly string[]): string[] {
  const allowed = new Set(inBinding);
  return distinct(requested.filter((id) => !allowed.has(id)));
}

/**
 * The permissions (sorted) that `requested` would give and the creator cannot use: roles
 * (defined and assignable to service accounts) give the union of their grants, scopes narrow
 * them (or stand alone when no roles are given). A key creator counts with its effective
 * rights (grants, read-only, dataset scope, its own creator). Datasets are not compared: use
 * {@link exceedingGrant} for a write that changes read-only or dataset access too.
 *
 * @internal
 */
export function exceedingCreator(
  model: PolicyModel,
  creator: Principal,
  requested: {
    readonly roles?: readonly string[] | undefined;
    readonly scopes?: readonly string[] | undefined;
  },
): string[] {
  const { roles, scopes } = requested;
  const wanted =
    roles === undefined && scopes === undefined
      ? new Uint8Array(model.names.length)
      : grantedByRolesAndScopes(model, roles, scopes);
  const anywhere: Reach = new Set<string>();
  return excessOver(
    model,
    creator,
    Array.from(wanted, (w) => (w === 1 ? anywhere : null)),
  ).permissions;
}

/** The permissions (sorted) that `patterns` cover; unknown patterns cover nothing. @internal */
export function coveredPermissions(model: PolicyModel, patterns: readonly string[]): string[] {
  const set = expandPatterns(model.names, patterns).set;
  return model.names.filter((_, a) => set[a] === 1);
}

/** What a principal can use at all, as sorted permission names (resource checks aside). @internal */
export function grantedPermissions(model: PolicyModel, principal: Principal): string[] {
  const held = heldBy(model, principal).actions;
  return model.names.filter((_, a) => held[a] === 1);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
