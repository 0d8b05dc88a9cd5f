import type { ResolveActor } from '../config.js';
import type { ActorRef } from '../entities/actor.js';
import type { CreatorRights } from '../policy/index.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { PrincipalCache } from './principal-cache.js';

/**
 * Looks up the live rights of whoever issued a key, for the creator boundary (layer 8). A
 * user creator comes from the host's `resolveActor` (without it the boundary is not known and
 * the layer is skipped); a key creator is read from storage, with its own status and expiry.
 * A creator that no longer exists is inactive.
 *
 * @internal
 */
export class CreatorRightsResolver {
  readonly #storage: StorageAdapter;
  readonly #resolveActor: ResolveActor | undefined;
  readonly #principals: PrincipalCache;

  constructor(storage: StorageAdapter, resolveActor: ResolveActor | undefined, principals: PrincipalCache) {
    this.#storage = storage;
    this.#resolveActor = resolveActor;
    this.#principals = principals;
  }

  /** True when a lookup is needed for keys created by `ref`. */
  needsLookup(ref: ActorRef): boolean {
    return ref.type === 'key' || this.#resolveActor !== undefined;
  }

  /** The creator's live rights. */
  async rightsOf(ref: ActorRef, tenantId: string): Promise<CreatorRights> {
    if (ref.type === 'key') {
      const found = await this.#storage.findKeyForVerification({ keyId: ref.id });
      if (found === null || found.account.tenantId !== tenantId) return this.#inactiveUser(ref.id, tenantId);
      return { type: 'key', principal: this.#principals.principalFor(found) };
    }
    const actor =
      this.#resolveActor === undefined
        ? null
        : await this.#resolveActor({ type: 'user', id: ref.id, tenantId });
    if (actor === null || actor.tenantId !== tenantId || actor.id !== ref.id)
      return this.#inactiveUser(ref.id, tenantId);
    return { type: 'user', active: true, actor };
  }

  #inactiveUser(id: string, tenantId: string): CreatorRights {
    return { type: 'user', active: false, actor: { type: 'user', id, tenantId, permissions: [] } };
  }
}
