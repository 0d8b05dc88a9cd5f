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
  /** A person's own key: `roles` are ignored and the `scopes` alone are what it gives. */
  readonly personal?: boolean | undefined;
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
