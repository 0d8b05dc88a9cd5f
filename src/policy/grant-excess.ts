import { ACCESS_READ, expandPatterns, type PolicyModel, SCOPE_DATASET } from './policy-model.js';
import type { Principal } from './principal.js';

/**
 * The parts of an account (and optionally of a key) that give rights: what a write sets when
 * it changes roles, scopes, read-only or dataset access, or hands out a secret.
 *
 * @example
 * ```ts
 * const shape: GrantShape = { roles: ['analyst'], readOnly: false, datasetAccess: { mode: 'selected', datasetIds: ['d1'] } };
 * ```
 */
export interface GrantShape {
  /** The account's roles; undefined and non-assignable roles give nothing. */
  readonly roles: readonly string[];
  /** Read-only account or key: only `read` actions. */
  readonly readOnly: boolean;
  /** `all` datasets of the workspace, or `selected` ones (then only dataset-level actions). */
  readonly datasetAccess:
    | { readonly mode: 'all' }
    | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };
  /** A key's own scopes (grant patterns) narrowing the roles; null or undefined = the roles unchanged. */
  readonly scopes?: readonly string[] | null | undefined;
}

/**
 * A write seen as what it gives: the shape before (`null` when nothing was held: a new account,
 * or a secret being issued or regenerated) and the shape after.
 *
 * @example
 * ```ts
 * const change: GrantChange = { before: account, after: { ...account, readOnly: false } };
 * ```
 */
export interface GrantChange {
  /** The rights held before the write, or null for none. */
  readonly before: GrantShape | null;
  /** The rights held after the write. */
  readonly after: GrantShape;
}

/**
 * What a change gives that the actor does not hold; both lists empty = the change is allowed.
 *
 * @example
 * ```ts
 * const excess = policy.exceedingGrant(actor, { before, after });
 * if (excess.permissions.length > 0) refuse(excess);
 * ```
 */
export interface GrantExcess<A extends string = string> {
  /** Permissions (sorted) newly given that the actor cannot use at all, or not on every dataset newly reached. */
  readonly permissions: readonly A[];
  /**
   * Dataset ids (sorted) newly reached by dataset-level permissions the actor holds on some
   * datasets only; `'*'` when the change gives every dataset of the workspace.
   */
  readonly datasets: readonly string[];
}

/**
 * Where an action is needed or held: every dataset of the workspace (`ALL`; also "all but a
 * few", which no finite selection covers either), or the listed ones. Actions that are not
 * dataset-level always reach `ALL`.
 *
 * @internal
 */
export type Reach = 'all' | ReadonlySet<string>;

const ALL = 'all';

/** An action set with the datasets its dataset-level actions reach (null = all). @internal */
export interface Rights {
  /** 1 where the action is usable at all. */
  readonly actions: Uint8Array;
  /** Where dataset-level actions reach, or null for every dataset of the workspace. */
  readonly datasets: ReadonlySet<string> | null;
}

/**
 * What `change` gives beyond what `actor` holds (see {@link GrantExcess}). Pure; a principal
 * that is not compiled by this policy, or failed to compile, holds nothing.
 *
 * @internal
 */
export function exceedingGrant(model: PolicyModel, actor: Principal, change: GrantChange): GrantExcess {
  const after = rightsOfShape(model, change.after);
  const before = change.before === null ? null : rightsOfShape(model, change.before);
  const needed = model.names.map((_, a) => neededReach(model, a, after, before));
  const excess = excessOver(model, actor, needed);
  return Object.freeze({
    permissions: Object.freeze(excess.permissions),
    datasets: Object.freeze(excess.datasets),
  });
}

/**
 * Compares what is needed per action (null = nothing) with what `actor` holds: the one place
 * where write checks decide that something exceeds the actor.
 *
 * @internal
 */
export function excessOver(
  model: PolicyModel,
  actor: Principal,
  needed: readonly (Reach | null)[],
): { permissions: string[]; datasets: string[] } {
  const held = heldBy(model, actor);
  const permissions: string[] = [];
  const datasets = new Set<string>();
  for (let a = 0; a < needed.length; a++) {
    const need = needed[a];
    if (need === null || need === undefined) continue;
    if (held.actions[a] !== 1) {
      permissions.push(model.names[a]!);
      continue;
    }
    const reach = model.scope[a] === SCOPE_DATASET ? held.datasets : null;
    const lacking =
      reach === null ? [] : need === ALL ? [ALL_DATASETS] : [...need].filter((id) => !reach.has(id));
    if (lacking.length === 0) continue;
    permissions.push(model.names[a]!);
    for (const id of lacking) datasets.add(id);
  }
  return { permissions, datasets: [...datasets].sort() };
}

/** How {@link GrantExcess.datasets} names every dataset of the workspace. */
const ALL_DATASETS = '*';

/**
 * What a principal holds: a user its permissions on every dataset; a key its compiled rights
 * (roles, scopes, read-only, dataset access and creator boundary folded), its dataset-level
 * actions reaching its selection intersected with every creator key's. Anything else: nothing.
 *
 * @internal
 */
export function heldBy(model: PolicyModel, principal: Principal): Rights {
  const state = principal?.state;
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

/** The rights a key compiled from `shape` (without a creator) would have. */
function rightsOfShape(model: PolicyModel, shape: GrantShape): Rights {
  const actions = grantedByRolesAndScopes(model, shape.roles, shape.scopes);
  const access = shape.datasetAccess;
  const datasets = access.mode === 'selected' ? new Set(access.datasetIds) : null;
  for (let a = 0; a < actions.length; a++) {
    const readOnlyBars = shape.readOnly && model.access[a] !== ACCESS_READ;
    if (readOnlyBars || (datasets !== null && model.scope[a] !== SCOPE_DATASET)) actions[a] = 0;
  }
  return { actions, datasets };
}

/** Where `after` gives action `a` that `before` did not (null = nowhere). */
function neededReach(model: PolicyModel, a: number, after: Rights, before: Rights | null): Reach | null {
  if (after.actions[a] !== 1) return null;
  const given = reachOf(model, a, after);
  if (before === null || before.actions[a] !== 1) return nonEmpty(given);
  const had = reachOf(model, a, before);
  if (had === ALL) return null;
  if (given === ALL) return ALL;
  return nonEmpty(new Set([...given].filter((id) => !had.has(id))));
}

function reachOf(model: PolicyModel, a: number, rights: Rights): Reach {
  return rights.datasets === null || model.scope[a] !== SCOPE_DATASET ? ALL : rights.datasets;
}

function nonEmpty(reach: Reach): Reach | null {
  return reach === ALL || reach.size > 0 ? reach : null;
}
