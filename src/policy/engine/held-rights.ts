import type { Principal } from '../principal.js';
import type { CompiledPrincipal } from './compiled-principal.js';
import { expandPatterns, type PolicyModel } from './policy-model.js';

/** An action set with the datasets its dataset-level actions reach (null = all). @internal */
export interface Rights {
  /** 1 where the action is usable at all. */
  readonly actions: Uint8Array;
  /** Where dataset-level actions reach, or null for every dataset of the workspace. */
  readonly datasets: ReadonlySet<string> | null;
}

/**
 * What a principal holds: a user its permissions on every dataset; a key its compiled rights
 * (roles, scopes, read-only, dataset access and creator boundary folded), its dataset-level
 * actions reaching its selection intersected with every creator key's. Anything else: nothing.
 *
 * @internal
 */
export function heldBy(model: PolicyModel, principal: Principal): Rights {
  const state = (principal as CompiledPrincipal | undefined)?.state;
  if (state === undefined || state.model !== model || state.problem !== null) {
    return { actions: new Uint8Array(model.names.length), datasets: null };
  }
  if (!('rights' in state)) return { actions: state.permissions, datasets: null };
  let datasets = state.selected;
  for (const set of state.creatorDatasets ?? []) {
    const within = datasets;
    datasets = within === null ? set : new Set([...within].filter((id) => set.has(id)));
  }
  return { actions: state.rights, datasets };
}

/**
 * The actions that `roles` (defined and assignable to service accounts, as `compileKey` counts
 * them) grant, narrowed by `scopes` when given. `roles` undefined: the scopes alone.
 *
 * @internal
 */
export function grantedByRolesAndScopes(
  model: PolicyModel,
  roles: readonly string[] | undefined,
  scopes: readonly string[] | null | undefined,
): Uint8Array {
  const n = model.names.length;
  const set = new Uint8Array(n).fill(roles === undefined ? 1 : 0);
  for (const name of roles ?? []) {
    const r = model.roleIndex.get(name);
    if (r === undefined || !model.roles[r]!.assignableToServiceAccounts) continue;
    const granted = model.roleSets[r]!;
    for (let a = 0; a < n; a++) if (granted[a] === 1) set[a] = 1;
  }
  if (scopes === null || scopes === undefined) return set;
  const narrowed = expandPatterns(model.names, scopes).set;
  for (let a = 0; a < n; a++) if (narrowed[a] !== 1) set[a] = 0;
  return set;
}
