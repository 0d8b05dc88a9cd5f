import { ACCESS_READ, type PolicyModel, SCOPE_DATASET } from './policy-model.js';
import { type CreatorState, OVER_CREATOR } from './principal-state.js';

/** The creator part of a compiled key. @internal */
export interface CreatorFold {
  readonly verdict: Int16Array;
  readonly creatorInactive: boolean;
  readonly creatorExpiresAt: number;
  readonly creatorNotBefore: number;
  readonly creatorDatasets: readonly ReadonlySet<string>[] | null;
}

/**
 * Folds the creator boundary (layer 8) into per-action verdicts, for a key of `tenantId` bound
 * to `workspaceId`. Layer 2 has already checked that the resource is in the key's tenant and
 * layer 3 that it is in the key's workspace, so the creator's tenant and workspace checks do
 * not depend on the request; only creator keys' dataset selections do (`creatorDatasets`).
 * Host forbid rules are not re-applied to creators: they apply once, to the requester (layer 6).
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
  const covers = creatorCovers(model, creator, tenantId, workspaceId);
  const verdict = new Int16Array(grant.length);
  for (let a = 0; a < grant.length; a++) verdict[a] = grant[a]! < 0 || covers(a) ? grant[a]! : OVER_CREATOR;
  if (creator.kind === 'user') {
    return {
      verdict: internVerdict(model, verdict),
      creatorInactive: !creator.active,
      creatorExpiresAt: Infinity,
      creatorNotBefore: -Infinity,
      creatorDatasets: null,
    };
  }
  const key = creator.key;
  const datasets = [...(key.selected === null ? [] : [key.selected]), ...(key.creatorDatasets ?? [])];
  return {
    verdict: internVerdict(model, verdict),
    creatorInactive: key.problem !== null || key.statusGuard >= 0 || key.creatorInactive,
    creatorExpiresAt: Math.min(key.expiresAt, key.creatorExpiresAt),
    creatorNotBefore: Math.max(key.notBefore, key.creatorNotBefore),
    creatorDatasets: datasets.length === 0 ? null : datasets,
  };
}

function creatorCovers(model: PolicyModel, creator: CreatorState, tenantId: string, workspaceId: string) {
  if (creator.kind === 'user') {
    const user = creator.user;
    const reaches =
      user.tenantId === tenantId && (user.workspaces === null || user.workspaces.has(workspaceId));
    return (a: number) => reaches && user.permissions[a] === 1;
  }
  const key = creator.key;
  const reaches = key.problem === null && key.tenantId === tenantId && key.workspaceId === workspaceId;
  return (a: number) =>
    reaches &&
    key.verdict[a]! >= 0 &&
    (!key.readOnly || model.access[a] === ACCESS_READ) &&
    (key.selected === null || model.scope[a] === SCOPE_DATASET);
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
