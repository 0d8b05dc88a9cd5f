import type { UserActor } from '../entities/actor.js';

/**
 * Who bounds a key, with their live rights: a human (whose `active` flag and permissions the
 * host resolves), another key (whose own status, expiry and effective rights count), or `all` of
 * several bounds at once (every creator up the chain and whoever regenerated the key): inactive
 * when any bound is, and covering an action only where every bound covers it.
 *
 * @example
 * ```ts
 * const creator: CreatorRights = {
 *   type: 'all',
 *   bounds: [{ type: 'user', active: true, actor: lead }, { type: 'key', principal: parentKey }],
 * };
 * ```
 */
export type CreatorRights =
  | {
      readonly type: 'user';
      readonly active: boolean;
      readonly actor: UserActor;
      readonly principal?: undefined;
    }
  | {
      readonly type: 'user';
      readonly active: boolean;
      readonly principal: UserPrincipal;
      readonly actor?: undefined;
    }
  | { readonly type: 'key'; readonly principal: KeyPrincipal }
  | { readonly type: 'all'; readonly bounds: readonly CreatorRights[] };

/** Everything the policy needs to know about a key and its account, as stored. Times are epoch ms. */
export interface KeyPrincipalFacts {
  /** The account's tenant. */
  readonly tenantId: string;
  /** The account's workspace binding. */
  readonly workspaceId: string;
  /** The service account id. */
  readonly serviceAccountId: string;
  /** The key id. */
  readonly keyId: string;
  /** The key's environment (forbid rules may target one). */
  readonly environment: 'live' | 'test';
  /** The account's roles. Unknown or non-assignable roles grant nothing. */
  readonly roles: readonly string[];
  /** The key's own scopes (grant patterns), or `null` for the account's full roles. Scopes only narrow. */
  readonly scopes: readonly string[] | null;
  /** Read-only account or key: only `read` actions. */
  readonly readOnly: boolean;
  /** `all` datasets of the workspace, or `selected` ones (a dataset-scoped account). */
  readonly datasetAccess:
    | { readonly mode: 'all' }
    | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };
  /** The account status. */
  readonly accountStatus: 'active' | 'disabled' | 'deleted';
  /**
   * The key status: `revoked` (stored, final), `disabled` (the key's `disabledAt` is set;
   * reversible), else `active`. Expiry is `expiresAt`'s, checked at each decision.
   */
  readonly keyStatus: 'active' | 'revoked' | 'disabled';
  /** Expiry (exclusive), or `null` for none. */
  readonly expiresAt: number | null;
  /** Start of validity (inclusive), if any. */
  readonly notBefore?: number | null | undefined;
  /** The creators' live rights; `null` when unknown or not checked, which skips layer 8 (the trace says so). */
  readonly creator: CreatorRights | null;
  /**
   * A person's own key (`kw.personalKeys`): its account holds no roles, and its `scopes` (never
   * `null`) are what it may do, within its workspace, bounded by `creator`, the owner's live
   * rights: a personal key whose `creator` is `null` is refused every request (`creator_inactive`).
   * Absent or false: a service-account key.
   */
  readonly personal?: boolean | undefined;
}

/**
 * A key compiled for one policy by `policy.compileKey`: roles, scopes and dataset grants
 * resolved once, so each decision costs a few comparisons. Immutable. The compiled form the
 * object also carries belongs to the engine and is not part of this type.
 */
export interface KeyPrincipal {
  /** Discriminant. */
  readonly type: 'key';
  /** The key id. */
  readonly keyId: string;
  /** The service account id. */
  readonly serviceAccountId: string;
  /** The account's tenant. */
  readonly tenantId: string;
  /** The account's workspace binding. */
  readonly workspaceId: string;
  /** The key's environment. */
  readonly environment: 'live' | 'test';
  /** The facts it was compiled from. */
  readonly facts: Readonly<KeyPrincipalFacts>;
}

/** A human actor compiled for one policy by `policy.compileUser`. Immutable (its compiled form is the engine's). */
export interface UserPrincipal {
  /** Discriminant. */
  readonly type: 'user';
  /** The host's user id. */
  readonly id: string;
  /** The tenant the user acts on. */
  readonly tenantId: string;
  /** The actor it was compiled from. */
  readonly actor: Readonly<UserActor>;
}

/** A principal `policy.authorize` accepts. */
export type Principal = KeyPrincipal | UserPrincipal;
