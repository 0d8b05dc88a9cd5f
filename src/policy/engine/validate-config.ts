import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError, type ValidationIssue } from '../../errors/keyward-error.js';
import { definePermissions, isPermissionCatalog, type PermissionCatalog } from '../permission-catalog.js';
import type { PolicyConfig } from '../policy-config.js';
import { buildRoleCatalog, isRoleCatalog, type RoleCatalog } from '../role-catalog.js';
import { compileForbidRules } from './compile-forbid-rules.js';
import type { CompiledRule } from './compiled-rule.js';

/**
 * Validates a policy config: the catalog is re-validated, the roles are checked against it
 * (whether or not `defineRoles` saw the catalog) and the forbid rules compiled. Throws
 * `INVALID_CONFIG` listing every problem.
 *
 * @internal
 */
export function validateConfig<A extends string, R extends string>(
  config: PolicyConfig<A, R>,
): { permissions: PermissionCatalog; roles: RoleCatalog; rules: readonly CompiledRule[] } {
  if (typeof config !== 'object' || config === null) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      'Invalid policy: expected { permissions, roles, forbid? }',
    );
  }
  if (!isPermissionCatalog(config.permissions)) {
    throw new KeywardError(
      ERROR_CODES.INVALID_CONFIG,
      'Invalid policy: permissions must come from definePermissions()',
    );
  }
  const permissions = definePermissions(
    Object.fromEntries(config.permissions.permissions.map(({ name, ...spec }) => [name, spec])),
  );
  const names = permissions.permissions.map((p) => p.name);
  const specs = isRoleCatalog(config.roles)
    ? Object.fromEntries(config.roles.roles.map(({ name, ...spec }) => [name, spec]))
    : config.roles;
  const roles = buildRoleCatalog(specs, names);
  const issues: ValidationIssue[] = [];
  const rules = compileForbidRules(config.forbid, permissions.permissions, issues);
  if (issues.length > 0) {
    const shown = issues.slice(0, 5).map((issue) => issue.message);
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    throw new KeywardError(ERROR_CODES.INVALID_CONFIG, `Invalid forbid rules: ${shown.join('; ')}${more}`, {
      issues,
    });
  }
  return { permissions, roles, rules };
}
