import { patternProblem } from './pattern-problems.js';
import { expandPatterns, type PolicyModel } from './policy-model.js';
import type { Principal } from './principal.js';

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
 * The permissions (sorted) that `requested` would give and the creator cannot use: roles give
 * the union of their grants, scopes narrow them (or stand alone when no roles are given). A key
 * creator counts with its effective rights (grants, read-only, dataset scope, its own creator).
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
  const wanted = requestedSet(model, requested);
  const held = creatorSet(model, creator);
  return model.names.filter((_, a) => wanted[a] === 1 && held[a] !== 1);
}

/** The permissions (sorted) that `patterns` cover; unknown patterns cover nothing. @internal */
export function coveredPermissions(model: PolicyModel, patterns: readonly string[]): string[] {
  const set = expandPatterns(model.names, patterns).set;
  return model.names.filter((_, a) => set[a] === 1);
}

/** What a principal can use at all, as sorted permission names (resource checks aside). @internal */
export function grantedPermissions(model: PolicyModel, principal: Principal): string[] {
  const held = creatorSet(model, principal);
  return model.names.filter((_, a) => held[a] === 1);
}

function requestedSet(
  model: PolicyModel,
  requested: {
    readonly roles?: readonly string[] | undefined;
    readonly scopes?: readonly string[] | undefined;
  },
): Uint8Array {
  const n = model.names.length;
  let wanted: Uint8Array | null = null;
  if (requested.roles !== undefined) {
    wanted = new Uint8Array(n);
    for (const role of requested.roles) {
      const r = model.roleIndex.get(role);
      if (r === undefined) continue;
      const set = model.roleSets[r]!;
      for (let a = 0; a < n; a++) if (set[a] === 1) wanted[a] = 1;
    }
  }
  if (requested.scopes !== undefined) {
    const scopes = expandPatterns(model.names, requested.scopes).set;
    if (wanted === null) return scopes;
    for (let a = 0; a < n; a++) if (scopes[a] !== 1) wanted[a] = 0;
  }
  return wanted ?? new Uint8Array(n);
}

function creatorSet(model: PolicyModel, creator: Principal): Uint8Array {
  const state = creator?.state;
  if (state === undefined || state.model !== model || state.problem !== null)
    return new Uint8Array(model.names.length);
  return 'rights' in state ? state.rights : state.permissions;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
