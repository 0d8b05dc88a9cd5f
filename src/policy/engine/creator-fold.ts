import { ACCESS_READ, type PolicyModel, SCOPE_DATASET } from './policy-model.js';
import { type CreatorState, type KeyState, OVER_CREATOR } from './principal-state.js';

/** The creator part of a compiled key. @internal */
export interface CreatorFold {
  readonly verdict: Int16Array;
  readonly creatorInactive: boolean;
  readonly creatorExpiresAt: number;
  readonly creatorNotBefore: number;
  readonly creatorDatasets: readonly ReadonlySet<string>[] | null;
}

/** What one creator bound contributes, before it is folded into per-action verdicts. */
interface Bound {
  readonly covers: (action: number) => boolean;
  readonly inactive: boolean;
  readonly expiresAt: number;
  readonly notBefore: number;
  readonly datasets: readonly ReadonlySet<string>[];
}

/**
 * Folds the creator boundary (layer 8) into per-action verdicts, for a key of `tenantId` bound
 * to `workspaceId`. Layer 2 has already checked that the resource is in the key's tenant and
 * layer 3 that it is in the key's workspace, so the creator's tenant and workspace checks do
 * not depend on the request; only creator keys' dataset selections do (`creatorDatasets`).
 * Host forbid rules are not re-applied to creators: they apply once, to the requester (layer 6).
 * An `all` creator is the intersection of its bounds: inactive when any is, covering an action
 * only where every bound does, with every bound's dataset selections.
 *
 * @internal
 */
export function foldCreator(
  model: PolicyModel,
  grant: Int16Array,
  creator: CreatorState | null,
  tenantId: string,
  workspaceId: string,
): CreatorFold {
  if (creator === null) {
    return {
      verdict: grant,
      creatorInactive: false,
      creatorExpiresAt: Infinity,
      creatorNotBefore: -Infinity,
      creatorDatasets: null,
    };
  }
  const bound = boundOf(model, creator, tenantId, workspaceId);
  const verdict = new Int16Array(grant.length);
  for (let a = 0; a < grant.length; a++)
    verdict[a] = grant[a]! < 0 || bound.covers(a) ? grant[a]! : OVER_CREATOR;
  return {
    verdict: internVerdict(model, verdict),
    creatorInactive: bound.inactive,
    creatorExpiresAt: bound.expiresAt,
    creatorNotBefore: bound.notBefore,
    creatorDatasets: bound.datasets.length === 0 ? null : Object.freeze(bound.datasets.slice()),
  };
}

function boundOf(model: PolicyModel, creator: CreatorState, tenantId: string, workspaceId: string): Bound {
  if (creator.kind === 'all')
    return allOf(creator.bounds.map((b) => boundOf(model, b, tenantId, workspaceId)));
  if (creator.kind === 'user') {
    const user = creator.user;
    const reaches =
      user.tenantId === tenantId && (user.workspaces === null || user.workspaces.has(workspaceId));
    return {
      covers: (a) => reaches && user.permissions[a] === 1,
      inactive: !creator.active,
      expiresAt: Infinity,
      notBefore: -Infinity,
      datasets: [],
    };
  }
  return keyBound(model, creator.key, tenantId, workspaceId);
}

function keyBound(model: PolicyModel, key: KeyState, tenantId: string, workspaceId: string): Bound {
  const reaches = key.problem === null && key.tenantId === tenantId && key.workspaceId === workspaceId;
  return {
    covers: (a) =>
      reaches &&
      key.verdict[a]! >= 0 &&
      (!key.readOnly || model.access[a] === ACCESS_READ) &&
      (key.selected === null || model.scope[a] === SCOPE_DATASET),
    inactive: key.problem !== null || key.statusGuard >= 0 || key.creatorInactive,
    expiresAt: Math.min(key.expiresAt, key.creatorExpiresAt),
    notBefore: Math.max(key.notBefore, key.creatorNotBefore),
    datasets: [...(key.selected === null ? [] : [key.selected]), ...(key.creatorDatasets ?? [])],
  };
}

function allOf(bounds: readonly Bound[]): Bound {
  return {
    covers: (a) => bounds.every((b) => b.covers(a)),
    inactive: bounds.some((b) => b.inactive),
    expiresAt: Math.min(...bounds.map((b) => b.expiresAt)),
    notBefore: Math.max(...bounds.map((b) => b.notBefore)),
    datasets: bounds.flatMap((b) => b.datasets),
  };
}

/** Most distinct verdict arrays a policy keeps shared; beyond it, arrays are simply not shared. */
const MAX_INTERNED = 10_000;

/**
 * Returns a shared array equal to `verdict` when one exists, so that keys with the same roles,
 * scopes and creator rights read the same (cache-hot) memory.
 *
 * @internal
 */
export function internVerdict(model: PolicyModel, verdict: Int16Array): Int16Array {
  const id = verdict.join(',');
  const found = model.verdicts.get(id);
  if (found !== undefined) return found;
  if (model.verdicts.size < MAX_INTERNED) model.verdicts.set(id, verdict);
  return verdict;
}

/** Like {@link internVerdict}, for the per-action `rights` of compiled keys. @internal */
export function internRights(model: PolicyModel, rights: Uint8Array): Uint8Array {
  const id = rights.join('');
  const found = model.rightsSets.get(id);
  if (found !== undefined) return found;
  if (model.rightsSets.size < MAX_INTERNED) model.rightsSets.set(id, rights);
  return rights;
}
