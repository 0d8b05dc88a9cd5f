import type { GrantPattern } from './grant-pattern.js';

/**
 * A host forbid rule: pure data, so the order of rules never changes an answer. It matches a
 * request when every condition it gives holds; conditions on resource fields match only when
 * the resource carries that field. A matching rule denies with `forbidden_by_rule` citing its
 * id; when several match, the smallest id is cited.
 *
 * @example
 * ```ts
 * const noTestDeletes: ForbidRule = { id: 'no-test-deletes', actions: ['datasets:delete'], environments: ['test'] };
 * const noTestWrites: ForbidRule = { id: 'no-test-writes', actions: ['*'], access: ['write', 'admin'], environments: ['test'] };
 * ```
 */
export interface ForbidRule<A extends string = string> {
  /** Unique id, cited by the decision. */
  readonly id: string;
  /** Grant patterns of the actions it forbids (`datasets:*`, `*:write`, ...). */
  readonly actions: readonly GrantPattern<A>[];
  /** Only in these tenants. */
  readonly tenantIds?: readonly string[] | undefined;
  /** Only on resources in these workspaces (the resource must carry `workspaceId`). */
  readonly workspaceIds?: readonly string[] | undefined;
  /** Only on these datasets (the resource must carry `datasetId`). */
  readonly datasetIds?: readonly string[] | undefined;
  /** Only for keys of these environments (never matches a user). */
  readonly environments?: readonly ('live' | 'test')[] | undefined;
  /** Only for these principal types. */
  readonly principalTypes?: readonly ('user' | 'key')[] | undefined;
  /**
   * Only actions of these access classes (the catalog's `access`): `['write', 'admin']` with
   * `actions: ['*']` forbids every action that is not a read, whatever its name (a verb pattern
   * such as `*:write` matches names, not access classes).
   */
  readonly access?: readonly ('read' | 'write' | 'admin')[] | undefined;
  /** Why the rule exists, for admins reading a trace. */
  readonly description?: string | undefined;
}
