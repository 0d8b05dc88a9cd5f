import type { UserActor } from '../entities/actor.js';
import type { Decision, TraceStep } from './decision.js';
import { compileKey, withCreator } from './engine/compile-key.js';
import { compileUser } from './engine/compile-user.js';
import { compiledBy } from './engine/compiled-principal.js';
import { evaluate } from './engine/evaluate.js';
import { makeDecision, withTrace } from './engine/frozen-decision.js';
import { buildModel, type PolicyModel } from './engine/policy-model.js';
import { validateConfig } from './engine/validate-config.js';
import * as checks from './engine/write-checks.js';
import type { GrantChange, GrantExcess } from './grant-excess.js';
import type { PermissionCatalog, PermissionInfo } from './permission-catalog.js';
import type { PolicyConfig } from './policy-config.js';
import type {
  CreatorRights,
  KeyPrincipal,
  KeyPrincipalFacts,
  Principal,
  UserPrincipal,
} from './principal.js';
import type { Resource } from './resource.js';
import type { RoleCatalog } from './role-catalog.js';

/** Options of one evaluation. Time is passed in: the policy never reads a clock. */
export interface AuthorizeOptions {
  /** The current time, epoch ms (key expiry and not-before). */
  readonly now: number;
  /** Attach a `trace` of every layer to the decision (allocates; for admin tools and logs). */
  readonly explain?: boolean | undefined;
}

/** One request of {@link Policy.authorizeMany}. */
export interface AuthorizeRequest<A extends string = string> {
  /** The action (a permission of the catalog). */
  readonly action: A;
  /** What it touches. */
  readonly resource: Resource;
}

/** What a requested account or key would hold, for {@link Policy.exceedingCreator}. */
export interface RequestedGrants {
  /** Roles requested for an account. */
  readonly roles?: readonly string[] | undefined;
  /** Scopes requested for a key (they narrow the roles when both are given). */
  readonly scopes?: readonly string[] | undefined;
}

/**
 * A compiled policy: the catalog, roles and forbid rules of section 5 of the design, with the
 * pure, synchronous evaluator and the write-time checks the lifecycle needs.
 */
export interface Policy<A extends string = string, R extends string = string> {
  /** The validated catalog. */
  readonly permissions: PermissionCatalog<A>;
  /** The validated roles, checked against the catalog. */
  readonly roles: RoleCatalog<R>;
  /** Compiles a key and its account once; reuse the principal for every request. Never throws. */
  compileKey(facts: KeyPrincipalFacts): KeyPrincipal;
  /** Compiles a human actor. Never throws. */
  compileUser(actor: UserActor): UserPrincipal;
  /** The key with a refreshed creator boundary (cheap: the grants are reused). */
  withCreator(key: KeyPrincipal, creator: CreatorRights | null): KeyPrincipal;
  /** Decides one request through every layer. Pure, synchronous, never throws (fails closed). */
  authorize(principal: Principal, action: A, resource: Resource, options: AuthorizeOptions): Decision;
  /** Decides several requests of one principal, in order. */
  authorizeMany(
    principal: Principal,
    requests: readonly AuthorizeRequest<A>[],
    options: AuthorizeOptions,
  ): Decision[];
  /** The candidates (same objects, same order) on which `action` is allowed. */
  listAllowed<T extends Resource>(
    principal: Principal,
    action: A,
    candidates: readonly T[],
    options: AuthorizeOptions,
  ): T[];
  /** True when `value` is a key principal compiled by this policy. */
  isKeyPrincipal(value: unknown): value is KeyPrincipal;
  /** True when `value` is a user principal compiled by this policy. */
  isUserPrincipal(value: unknown): value is UserPrincipal;
  /** True when `name` is a permission of the catalog. */
  isAction(name: unknown): name is A;
  /** A permission's scope and access class, or undefined. */
  permission(name: string): PermissionInfo | undefined;
  /** The permissions (sorted) that grant patterns cover. */
  expand(patterns: readonly string[]): A[];
  /** What a principal can use at all (grants after scopes, read-only, dataset scope and creator), sorted. */
  grantedPermissions(principal: Principal): A[];
  /** Write check: patterns that are malformed (misplaced wildcards) or match no permission. */
  unknownPatterns(patterns: readonly string[]): string[];
  /** Write check: role names not defined. */
  unknownRoles(roles: readonly string[]): string[];
  /** Write check: roles that no service account may hold (`owner`). */
  nonAssignableRoles(roles: readonly string[]): string[];
  /** Write check: permissions (sorted) the requested roles/scopes would give that the creator lacks. */
  exceedingCreator(creator: Principal, requested: RequestedGrants): A[];
  /**
   * Write check: what a change of roles, scopes, read-only or dataset access (or a secret handed
   * out, `before: null`) newly gives that `actor` does not hold, as permissions and datasets.
   * Whoever sets rights must hold them; both lists empty = allowed. Renaming or narrowing
   * gives nothing.
   *
   * @example
   * ```ts
   * const excess = policy.exceedingGrant(actor, { before: account, after: { ...account, readOnly: false } });
   * // { permissions: ['datasets:write', ...], datasets: [] } when the actor may not write
   * ```
   */
  exceedingGrant(actor: Principal, change: GrantChange): GrantExcess<A>;
  /** Write check: requested dataset ids that are not in the binding's datasets. */
  datasetsOutsideBinding(requested: readonly string[], inBinding: readonly string[]): string[];
}

/**
 * Builds a policy, validating the catalog, the roles against it and the forbid rules. Throws
 * `KeywardError` `INVALID_CONFIG` listing every problem.
 *
 * @example
 * ```ts
 * const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
 * const key = policy.compileKey(facts);
 * const d = policy.authorize(key, 'datasets:read', { tenantId: 't1', workspaceId: 'w1', datasetId: 'd1' }, { now: Date.now() });
 * ```
 */
export function createPolicy<A extends string, R extends string>(config: PolicyConfig<A, R>): Policy<A, R> {
  const { permissions, roles, rules } = validateConfig(config);
  const model = buildModel(permissions.permissions, roles.roles, rules);
  const authorize = authorizer<A>(model);
  return Object.freeze({
    permissions: permissions as PermissionCatalog<A>,
    roles: roles as RoleCatalog<R>,
    compileKey: (facts: KeyPrincipalFacts) => compileKey(model, facts),
    compileUser: (actor: UserActor) => compileUser(model, actor),
    withCreator: (key: KeyPrincipal, creator: CreatorRights | null) => withCreator(model, key, creator),
    isKeyPrincipal: (value: unknown): value is KeyPrincipal => compiledBy(model, value, 'key'),
    isUserPrincipal: (value: unknown): value is UserPrincipal => compiledBy(model, value, 'user'),
    authorize,
    authorizeMany: (
      principal: Principal,
      requests: readonly AuthorizeRequest<A>[],
      options: AuthorizeOptions,
    ) => requests.map((request) => authorize(principal, request.action, request.resource, options)),
    listAllowed: <T extends Resource>(
      principal: Principal,
      action: A,
      candidates: readonly T[],
      options: AuthorizeOptions,
    ) => {
      const quiet: AuthorizeOptions = { now: options.now };
      return candidates.filter((candidate) => authorize(principal, action, candidate, quiet).allowed);
    },
    ...catalogMethods<A>(model),
    ...writeCheckMethods<A>(model),
  });
}

/** `authorize`, failing closed: any exception becomes an `evaluation_error` decision. */
function authorizer<A extends string>(model: PolicyModel): Policy<A>['authorize'] {
  return (principal, action, resource, options) => {
    try {
      if (options.explain !== true) return evaluate(model, principal, action, resource, options.now);
      const trace: TraceStep[] = [];
      return withTrace(evaluate(model, principal, action, resource, options.now, trace), trace);
    } catch (error) {
      return failClosed(action, error, options?.explain === true);
    }
  };
}

function catalogMethods<A extends string>(
  model: PolicyModel,
): Pick<Policy<A>, 'isAction' | 'permission' | 'expand'> {
  return {
    isAction: (name: unknown): name is A => typeof name === 'string' && model.index.has(name),
    permission: (name: string) => {
      const a = model.index.get(name);
      return a === undefined ? undefined : model.permissions[a];
    },
    expand: (patterns: readonly string[]) => checks.coveredPermissions(model, patterns) as A[],
  };
}

type WriteChecks =
  | 'grantedPermissions'
  | 'unknownPatterns'
  | 'unknownRoles'
  | 'nonAssignableRoles'
  | 'exceedingCreator'
  | 'exceedingGrant'
  | 'datasetsOutsideBinding';

function writeCheckMethods<A extends string>(model: PolicyModel): Pick<Policy<A>, WriteChecks> {
  return {
    grantedPermissions: (principal: Principal) => checks.grantedPermissions(model, principal) as A[],
    unknownPatterns: (patterns: readonly string[]) => checks.unknownPatterns(model, patterns),
    unknownRoles: (names: readonly string[]) => checks.unknownRoles(model, names),
    nonAssignableRoles: (names: readonly string[]) => checks.nonAssignableRoles(model, names),
    exceedingCreator: (creator: Principal, requested: RequestedGrants) =>
      checks.exceedingCreator(model, creator, requested) as A[],
    exceedingGrant: (actor: Principal, change: GrantChange) =>
      checks.exceedingGrant(model, actor, change) as GrantExcess<A>,
    datasetsOutsideBinding: checks.datasetsOutsideBinding,
  };
}

function failClosed(action: unknown, error: unknown, explain: boolean): Decision {
  const required = typeof action === 'string' ? action.slice(0, 128) : '';
  const decision = makeDecision('evaluation_error', 'error', 0, 'evaluation', required);
  if (!explain) return decision;
  const message = error instanceof Error ? error.message : String(error);
  return withTrace(decision, [
    { layer: 0, check: 'evaluation', outcome: 'deny', detail: `evaluation failed: ${message}` },
  ]);
}
