import type { ActorRef, ResolveActor } from '../entities/actor.js';
import type { ApiKey } from '../entities/api-key.js';
import type { CreatorRights, Policy } from '../policy/index.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';
import type { MatchedSecret } from './key-secret.js';
import type { PrincipalCache } from './principal-cache.js';

/** Most hops from a key to the farthest creator that bounds it; a longer chain is refused. */
export const MAX_CREATOR_HOPS = 8;

/** Reads a key for the chain: `null` when unknown, `undefined` when storage failed. @internal */
export type ChainRead = (keyId: string, now: number) => Promise<KeyWithAccount | null | undefined>;

/** The bound of a chain, or why it has none: `storage` when a read failed. @internal */
export type ChainBound = CreatorRights | 'storage';

/** What one creator contributes: its own rights, and who bounds it in turn. */
interface Link {
  readonly rights: CreatorRights;
  readonly parents: readonly ActorRef[];
}

/**
 * The live creator boundary (host option `liveCreatorBoundary`): the live rights of every
 * creator up a key's chain and of whoever received the secret presented through `regenerate`
 * (`regeneratedBy` for the current secret, `previousRegeneratedBy` for the previous one in its
 * grace period), as one `all` bound. A previous secret whose receiver is unknown (a key
 * regenerated before keyward recorded it) is an inactive bound. A user is resolved through
 * `resolveActor`; a key is read from storage (through the verification cache when on) and
 * counts with its own status, expiry, account status, rights and, in turn, its own creators (a
 * creator key bounds by its current secret's receiver). Each distinct creator is looked up once
 * per verification, level by level (each level's lookups run together), at most
 * {@link MAX_CREATOR_HOPS} hops away. A chain that cannot be resolved (too long, a creator key
 * missing or in another tenant, `resolveActor` throwing, answering `null` or another user or
 * tenant) is an inactive bound: every request of the key is refused `creator_inactive`.
 *
 * @internal
 */
export class CreatorChain {
  readonly #read: ChainRead;
  readonly #resolveActor: ResolveActor;
  readonly #principals: PrincipalCache;
  readonly #policy: Policy;

  constructor(read: ChainRead, resolveActor: ResolveActor, principals: PrincipalCache, policy: Policy) {
    this.#read = read;
    this.#resolveActor = resolveActor;
    this.#principals = principals;
    this.#policy = policy;
  }

  /**
   * The bound of the key just read when presented with its `secret`, or `storage` when a creator
   * could not be read.
   */
  async boundOf(found: KeyWithAccount, secret: MatchedSecret, now: number): Promise<ChainBound> {
    const tenantId = found.account.tenantId;
    const seen = new Set<string>([refId({ type: 'key', id: found.key.id, serviceAccountId: '' })]);
    const bounds: CreatorRights[] = [];
    let level = secret === 'current' ? boundersOf(found.key) : previousSecretBounders(found.key);
    if (level === null) return unresolved(tenantId);
    for (let hop = 1; ; hop++) {
      const fresh: ActorRef[] = [];
      for (const ref of level) {
        const id = refId(ref);
        if (seen.has(id)) continue;
        seen.add(id);
        fresh.push(ref);
      }
      if (fresh.length === 0) break;
      if (hop > MAX_CREATOR_HOPS) return unresolved(tenantId);
      const links = await Promise.all(fresh.map((ref) => this.#link(ref, tenantId, now)));
      const next: ActorRef[] = [];
      for (const link of links) {
        if (link === null) return unresolved(tenantId);
        if (link === 'storage') return 'storage';
        bounds.push(link.rights);
        next.push(...link.parents);
      }
      level = next;
    }
    return { type: 'all', bounds };
  }

  async #link(ref: ActorRef, tenantId: string, now: number): Promise<Link | null | 'storage'> {
    if (ref.type === 'user') return this.#userLink(ref.id, tenantId);
    const found = await this.#read(ref.id, now);
    if (found === undefined) return 'storage';
    if (
      found === null ||
      found.account.tenantId !== tenantId ||
      found.key.serviceAccountId !== ref.serviceAccountId
    )
      return null;
    const compiled = this.#principals.compiledFor(found).principal;
    const owner = found.account.ownerUserId;
    if (owner === undefined)
      return { rights: { type: 'key', principal: compiled }, parents: boundersOf(found.key) };
    // A person's own key bounds what it created as it stands: within its owner's live rights.
    const person = await this.#userLink(owner, tenantId);
    if (person === null) return null;
    return {
      rights: { type: 'key', principal: this.#policy.withCreator(compiled, person.rights) },
      parents: boundersOf(found.key),
    };
  }

  async #userLink(id: string, tenantId: string): Promise<Link | null> {
    try {
      const actor = await this.#resolveActor({ type: 'user', id, tenantId });
      if (actor === null || typeof actor !== 'object' || actor.tenantId !== tenantId || actor.id !== id)
        return null;
      return { rights: { type: 'user', active: true, actor }, parents: [] };
    } catch {
      return null;
    }
  }
}

/** Who bounds a key directly: its creator, and whoever received its current secret. */
function boundersOf(key: ApiKey): readonly ActorRef[] {
  const regenerated = key.regeneratedBy;
  return regenerated === null || regenerated === undefined ? [key.createdBy] : [key.createdBy, regenerated];
}

/**
 * Who bounds a use of a key's previous secret: its creator, and whoever received that secret
 * (not the current secret's receiver); `null` when that receiver is unknown (a key regenerated
 * with a grace period before `previousRegeneratedBy` was recorded), which fails closed.
 */
function previousSecretBounders(key: ApiKey): readonly ActorRef[] | null {
  const received = key.previousRegeneratedBy;
  return received === null || received === undefined ? null : [key.createdBy, received];
}

function refId(ref: ActorRef): string {
  return ref.type === 'user' ? `u:${ref.id}` : `k:${ref.id}`;
}

/** An inactive bound: the chain could not be resolved, so the key may not be used. */
function unresolved(tenantId: string): CreatorRights {
  return {
    type: 'user',
    active: false,
    actor: { type: 'user', id: 'unresolved-creator', tenantId, permissions: [] },
  };
}
