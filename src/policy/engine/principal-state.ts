import type { PolicyModel } from './policy-model.js';

/** Grant entry: no role of the account grants the action. @internal */
export const NO_ROLE = -1;
/** Grant entry: a role grants the action but the key's scopes exclude it. @internal */
export const SCOPED_OUT = -2;
/**
 * The grant entry of an action a personal key's scopes cover: one past the last role index, so
 * that it reads as granted (`>= 0`) and its allow decision names `key_scopes`, not a host role.
 *
 * @internal
 */
export function personalGrant(model: { readonly roles: readonly unknown[] }): number {
  return model.roles.length;
}

/** Verdict entry: roles and scopes grant the action but the creator's rights do not cover it. @internal */
export const OVER_CREATOR = -3;

/** The compiled form of a user principal. @internal */
export interface UserState {
  readonly model: PolicyModel;
  /** Why the actor could not be compiled (every decision is then `evaluation_error`), or null. */
  readonly problem: string | null;
  readonly id: string;
  readonly tenantId: string;
  /** The workspaces the user is confined to, or null for the whole tenant. */
  readonly workspaces: ReadonlySet<string> | null;
  /** 1 where the user's permission patterns cover the catalog action. */
  readonly permissions: Uint8Array;
  /** Compile-time remarks for traces (patterns that matched nothing...). */
  readonly notes: readonly string[];
}

/** The compiled creator boundary of a key; `all` is the intersection of its (non-empty) bounds. @internal */
export type CreatorState =
  | { readonly kind: 'user'; readonly active: boolean; readonly user: UserState }
  | { readonly kind: 'key'; readonly key: KeyState }
  | { readonly kind: 'all'; readonly bounds: readonly CreatorState[] };

/**
 * The compiled form of a key principal. Everything that does not depend on the resource or the
 * clock is decided here once: the creator boundary is folded into `verdict`, and a creator's
 * statuses and validity window into `creatorInactive` / `creatorExpiresAt` / `creatorNotBefore`.
 *
 * @internal
 */
export interface KeyState {
  readonly model: PolicyModel;
  readonly problem: string | null;
  readonly keyId: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  /** A layer-1 slot known from stored statuses (revoked, disabled, deleted), or -1. */
  readonly statusGuard: number;
  /** Start of the window in which the key and every creator key up the chain are valid (inclusive). */
  readonly validFrom: number;
  /** End of that window (exclusive). Checked first; the fields below say which bound failed. */
  readonly validUntil: number;
  /** Expiry (exclusive), +Infinity when none. */
  readonly expiresAt: number;
  /** Start of validity (inclusive), -Infinity when none. */
  readonly notBefore: number;
  /** True when the creator chain is inactive whatever the time (a disabled user, a revoked creator key...). */
  readonly creatorInactive: boolean;
  /** Earliest expiry among the creator keys up the chain, +Infinity when none. */
  readonly creatorExpiresAt: number;
  /** Latest notBefore among the creator keys up the chain, -Infinity when none. */
  readonly creatorNotBefore: number;
  /** Selected datasets, or null for `all`. */
  readonly selected: ReadonlySet<string> | null;
  readonly readOnly: boolean;
  /** Environment bit (forbid rules). */
  readonly envBit: number;
  /**
   * Per action: roles intersected with scopes: the first granting role, or NO_ROLE / SCOPED_OUT;
   * for a personal key, `personalGrant` where its scopes cover the action, else NO_ROLE. Interned.
   */
  readonly grant: Int16Array;
  /** Per action: `grant`, or OVER_CREATOR where the creator's rights do not cover it. Interned. */
  readonly verdict: Int16Array;
  /** Dataset selections of the creator keys up the chain (the resource-dependent part of layer 8), or null. */
  readonly creatorDatasets: readonly ReadonlySet<string>[] | null;
  /** Per action: 1 when the key could use it at all (verdict, read-only, dataset scope). */
  readonly rights: Uint8Array;
  readonly notes: readonly string[];
  readonly creator: CreatorState | null;
}
