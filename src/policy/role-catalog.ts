import { roleNameSchema } from '../entities/ids.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../errors/keyward-error.js';
import type { GrantPattern } from './grant-pattern.js';
import { patternProblem, syntaxProblem } from './pattern-problems.js';
import type { PermissionCatalog } from './permission-catalog.js';

/** How a host declares one role: grants over the catalog. */
export interface RoleSpec<A extends string = string> {
  /** Grant patterns: permissions or whole-segment wildcards (`*`, `datasets:*`, `*:read`). */
  readonly grants: readonly GrantPattern<A>[];
  /** `false` for roles no service account may hold (the workspace `owner`). Default `true`. */
  readonly assignableToServiceAccounts?: boolean | undefined;
  /** Shown in admin UIs. */
  readonly description?: string | undefined;
}

/** A role as a {@link RoleCatalog} holds it, with its defaults applied. */
export interface RoleInfo {
  /** The role name (`[a-z][a-z0-9_-]*`). */
  readonly name: string;
  /** The grant patterns, as declared. */
  readonly grants: readonly string[];
  /** See {@link RoleSpec.assignableToServiceAccounts}. */
  readonly assignableToServiceAccounts: boolean;
  /** See {@link RoleSpec.description}. */
  readonly description?: string | undefined;
}

/** Validated roles. `R` is the union of role names. */
export interface RoleCatalog<R extends string = string> {
  /** Brand. @internal */
  readonly kind: 'keyward.roles';
  /** Every role, sorted by name. */
  readonly roles: readonly (RoleInfo & { readonly name: R })[];
}

/** The roles a policy is configured with (alias of {@link RoleCatalog}). */
export type RoleSet<R extends string = string> = RoleCatalog<R>;

/** Most roles one policy may define. */
export const MAX_ROLES = 1000;

/**
 * Declares the roles. With the catalog as first argument (recommended) every grant is typed
 * against it and checked at once: an unknown permission or a misplaced wildcard throws
 * `KeywardError` `INVALID_CONFIG` here. With the roles alone, only the syntax is checked now and
 * the catalog check happens in `createPolicy`.
 *
 * @example
 * ```ts
 * const roles = defineRoles(permissions, {
 *   owner: { grants: ['*'], assignableToServiceAccounts: false },
 *   reader: { grants: ['*:read'] },
 * });
 * ```
 */
export function defineRoles<A extends string, const R extends Readonly<Record<string, RoleSpec<A>>>>(
  permissions: PermissionCatalog<A>,
  roles: R,
): RoleCatalog<Extract<keyof R, string>>;
export function defineRoles<const R extends Readonly<Record<string, RoleSpec>>>(
  roles: R,
): RoleCatalog<Extract<keyof R, string>>;
export function defineRoles(
  first: PermissionCatalog | Readonly<Record<string, RoleSpec>>,
  second?: Readonly<Record<string, RoleSpec>>,
): RoleCatalog {
  const catalog = second === undefined ? undefined : (first as PermissionCatalog);
  const specs = second ?? (first as Readonly<Record<string, RoleSpec>>);
  return buildRoleCatalog(
    specs,
    catalog?.permissions.map((p) => p.name),
  );
}

/**
 * Validates role specs (names, shape, and each grant: against `names` when given, else its
 * syntax only) and returns the catalog, or throws `INVALID_CONFIG` listing every problem.
 *
 * @internal
 */
export function buildRoleCatalog(specs: unknown, names: readonly string[] | undefined): RoleCatalog {
  const issues: ValidationIssue[] = [];
  if (typeof specs !== 'object' || specs === null || Array.isArray(specs)) {
    throw configError([
      { code: 'invalid_type', path: ['roles'], message: 'Roles must be an object of role specs' },
    ]);
  }
  const entries = Object.entries(specs as Record<string, unknown>);
  if (entries.length > MAX_ROLES) {
    issues.push({ code: 'too_big', path: ['roles'], message: `At most ${MAX_ROLES} roles` });
  }
  const roles: RoleInfo[] = [];
  for (const [name, spec] of entries) {
    const role = checkRole(name, spec, names, issues);
    if (role !== null) roles.push(role);
  }
  if (issues.length > 0) throw configError(issues);
  roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.freeze({ kind: 'keyward.roles', roles: Object.freeze(roles) });
}

function checkRole(
  name: string,
  spec: unknown,
  names: readonly string[] | undefined,
  issues: ValidationIssue[],
) {
  const path = ['roles', name];
  if (!roleNameSchema.safeParse(name).success) {
    issues.push({
      code: 'invalid_format',
      path,
      message: `Role name '${name}' must match [a-z][a-z0-9_-]* (1-64)`,
    });
  }
  if (typeof spec !== 'object' || spec === null) {
    issues.push({ code: 'invalid_type', path, message: `Role '${name}' must be an object with grants` });
    return null;
  }
  const { grants, assignableToServiceAccounts, description, ...rest } = spec as Record<string, unknown>;
  for (const key of Object.keys(rest)) {
    issues.push({
      code: 'unrecognized_keys',
      path: [...path, key],
      message: `Role '${name}' has unknown key '${key}'`,
    });
  }
  if (!Array.isArray(grants) || grants.length > 500) {
    issues.push({
      code: 'invalid_type',
      path: [...path, 'grants'],
      message: `Role '${name}' needs grants (0-500 patterns)`,
    });
    return null;
  }
  grants.forEach((pattern, i) => {
    const problem = names === undefined ? syntaxProblem(pattern) : patternProblem(pattern, names);
    if (problem !== null) {
      issues.push({ code: 'custom', path: [...path, 'grants', i], message: `Role '${name}': ${problem}` });
    }
  });
  if (assignableToServiceAccounts !== undefined && typeof assignableToServiceAccounts !== 'boolean') {
    issues.push({
      code: 'invalid_type',
      path: [...path, 'assignableToServiceAccounts'],
      message: 'Expected a boolean',
    });
  }
  if (description !== undefined && (typeof description !== 'string' || description.length > 500)) {
    issues.push({
      code: 'invalid_type',
      path: [...path, 'description'],
      message: 'Expected a string of at most 500',
    });
  }
  const role: RoleInfo = {
    name,
    grants: Object.freeze([...(grants as string[])]),
    assignableToServiceAccounts: assignableToServiceAccounts !== false,
    ...(typeof description === 'string' ? { description } : {}),
  };
  return Object.freeze(role);
}

function configError(issues: readonly ValidationIssue[]): KeywardError {
  const shown = issues.slice(0, 5).map((issue) => issue.message);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return new KeywardError(ERROR_CODES.INVALID_CONFIG, `Invalid roles: ${shown.join('; ')}${more}`, {
    issues,
  });
}

/** True when `value` came from {@link defineRoles}. @internal */
export function isRoleCatalog(value: unknown): value is RoleCatalog {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'keyward.roles'
  );
}
