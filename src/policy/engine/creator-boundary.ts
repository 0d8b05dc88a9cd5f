import type { Resource } from '../resource.js';
import { Slot } from './decision-table.js';
import { ACCESS_READ, SCOPE_DATASET } from './policy-model.js';
import type { CreatorState, KeyState } from './principal-state.js';

/**
 * The layer-1 guard of a key from its statuses, its creator chain and the clock: a decision
 * slot, or -1 when the key may be used at `now`.
 *
 * @internal
 */
export function keyGuard(key: KeyState, now: number): number {
  if (key.statusGuard >= 0) return key.statusGuard;
  if (now >= key.validFrom && now < key.validUntil && !key.creatorInactive) return -1;
  if (now >= key.expiresAt) return Slot.KeyExpired;
  if (now < key.notBefore) return Slot.KeyNotYetValid;
  if (key.creatorInactive || now >= key.creatorExpiresAt || now < key.creatorNotBefore)
    return Slot.CreatorInactive;
  return -1;
}

/**
 * Layer 8, for explanations: why the creator's live rights do not cover `action` on `resource`
 * (the key being bound to `workspaceId`), or null when they do. Decisions come from the folded
 * `verdict` (see `foldCreator`); this spells the same rule out for a trace. A key creator counts
 * with its own binding, dataset access, read-only flag, grants and, recursively, its own creator;
 * an `all` creator is explained by its first denying bound; host forbid rules are not re-applied
 * to creators (they already applied to the requester at layer 6).
 *
 * @internal
 */
export function creatorDenies(
  creator: CreatorState,
  action: number,
  resource: Resource,
  workspaceId: string,
): string | null {
  if (creator.kind === 'all') {
    for (const bound of creator.bounds) {
      const why = creatorDenies(bound, action, resource, workspaceId);
      if (why !== null) return `${creatorName(bound)}: ${why}`;
    }
    return null;
  }
  if (creator.kind === 'user') {
    const user = creator.user;
    if (user.tenantId !== resource.tenantId) return 'the creator acts on another tenant';
    if (user.workspaces !== null && !user.workspaces.has(workspaceId)) {
      return "the creator no longer reaches the key's workspace";
    }
    return user.permissions[action] === 1 ? null : "the creator's permissions do not include the action";
  }
  return keyCreatorDenies(creator.key, action, resource, workspaceId);
}

function keyCreatorDenies(
  key: KeyState,
  action: number,
  resource: Resource,
  workspaceId: string,
): string | null {
  const model = key.model;
  if (key.tenantId !== resource.tenantId) return 'the creator key belongs to another tenant';
  if (key.workspaceId !== workspaceId) return 'the creator key is bound to another workspace';
  if (key.selected !== null) {
    if (model.scope[action] !== SCOPE_DATASET) return 'the creator key is dataset-scoped';
    if (!key.selected.has(resource.datasetId as string))
      return "the dataset is not among the creator key's datasets";
  }
  if (key.readOnly && model.access[action] !== ACCESS_READ) return 'the creator key is read-only';
  if (key.grant[action]! < 0) return "the creator key's roles and scopes do not grant the action";
  return key.creator === null ? null : creatorDenies(key.creator, action, resource, workspaceId);
}

/** Names a creator bound in traces: `user u_1`, `key k_…`, or `every creator (n bounds)`. @internal */
export function creatorName(creator: CreatorState): string {
  if (creator.kind === 'user') return `user ${creator.user.id}`;
  if (creator.kind === 'key') return `key ${creator.key.keyId}`;
  return `every creator of the key (${creator.bounds.length} bounds)`;
}
