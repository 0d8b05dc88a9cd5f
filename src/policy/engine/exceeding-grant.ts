import type { GrantChange, GrantExcess, GrantShape } from '../grant-excess.js';
import type { Principal } from '../principal.js';
import { grantedByRolesAndScopes, heldBy, type Rights } from './held-rights.js';
import { ACCESS_READ, type PolicyModel, SCOPE_DATASET } from './policy-model.js';

/**
 * Where an action is needed or held: every dataset of the workspace (`ALL`; also "all but a
 * few", which no finite selection covers either), or the listed ones. Actions that are not
 * dataset-level always reach `ALL`.
 *
 * @internal
 */
export type Reach = 'all' | ReadonlySet<string>;

const ALL = 'all';

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

/** The rights a key compiled from `shape` (without a creator) would have. */
function rightsOfShape(model: PolicyModel, shape: GrantShape): Rights {
  const actions = grantedByRolesAndScopes(
    model,
    shape.personal === true ? undefined : shape.roles,
    shape.scopes,
  );
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
