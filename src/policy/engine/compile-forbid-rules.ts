import { z } from 'zod';
import { hostIdSchema } from '../../entities/ids.js';
import type { ValidationIssue } from '../../errors/keyward-error.js';
import { parsePattern, patternMatches } from '../grant-pattern.js';
import { patternProblem } from '../pattern-problems.js';
import type { PermissionInfo } from '../permission-catalog.js';
import {
  ANY,
  type CompiledRule,
  ENV_LIVE,
  ENV_TEST,
  PRINCIPAL_KEY,
  PRINCIPAL_USER,
} from './compiled-rule.js';

const idList = z.array(hostIdSchema).min(1).max(10_000);

const forbidRuleSchema = z.strictObject({
  id: z.string().min(1).max(128),
  actions: z.array(z.string()).min(1).max(500),
  tenantIds: idList.optional(),
  workspaceIds: idList.optional(),
  datasetIds: idList.optional(),
  environments: z
    .array(z.enum(['live', 'test']))
    .min(1)
    .optional(),
  principalTypes: z
    .array(z.enum(['user', 'key']))
    .min(1)
    .optional(),
  access: z
    .array(z.enum(['read', 'write', 'admin']))
    .min(1)
    .optional(),
  description: z.string().max(500).optional(),
});

/**
 * Validates and compiles forbid rules against the catalog's `permissions`, sorted by id. Problems are
 * pushed onto `issues` (duplicate ids, unknown patterns, empty condition lists, unknown keys).
 *
 * @internal
 */
export function compileForbidRules(
  rules: unknown,
  permissions: readonly Pick<PermissionInfo, 'name' | 'access'>[],
  issues: ValidationIssue[],
): readonly CompiledRule[] {
  if (rules === undefined) return [];
  const names = permissions.map((permission) => permission.name);
  if (!Array.isArray(rules)) {
    issues.push({ code: 'invalid_type', path: ['forbid'], message: 'forbid must be an array of rules' });
    return [];
  }
  const seen = new Set<string>();
  const compiled: CompiledRule[] = [];
  rules.forEach((rule, i) => {
    const parsed = forbidRuleSchema.safeParse(rule);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push({
          code: issue.code,
          path: ['forbid', i, ...issue.path],
          message: `Forbid rule ${i}: ${issue.message}`,
        });
      }
      return;
    }
    const { id, actions } = parsed.data;
    if (seen.has(id))
      issues.push({ code: 'custom', path: ['forbid', i, 'id'], message: `Duplicate forbid rule id '${id}'` });
    seen.add(id);
    actions.forEach((pattern, j) => {
      const problem = patternProblem(pattern, names);
      if (problem !== null) {
        issues.push({
          code: 'custom',
          path: ['forbid', i, 'actions', j],
          message: `Forbid rule '${id}': ${problem}`,
        });
      }
    });
    compiled.push(compileRule(parsed.data, permissions));
  });
  return compiled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The rule with its action conditions (patterns, access classes) folded into one mask per action. */
function compileRule(
  rule: z.infer<typeof forbidRuleSchema>,
  permissions: readonly Pick<PermissionInfo, 'name' | 'access'>[],
): CompiledRule {
  const actions = new Uint8Array(permissions.length);
  const access = rule.access === undefined ? null : new Set(rule.access);
  for (const pattern of rule.actions) {
    const parsed = parsePattern(pattern);
    if (parsed === null) continue;
    permissions.forEach(({ name, access: accessOf }, a) => {
      if (patternMatches(parsed, name) && (access === null || access.has(accessOf))) actions[a] = 1;
    });
  }
  const mask = <T>(values: readonly T[] | undefined, bit: (value: T) => number) =>
    values === undefined ? ANY : values.reduce((acc, value) => acc | bit(value), 0);
  return Object.freeze({
    id: rule.id,
    description: rule.description,
    tenants: rule.tenantIds === undefined ? null : new Set(rule.tenantIds),
    workspaces: rule.workspaceIds === undefined ? null : new Set(rule.workspaceIds),
    datasets: rule.datasetIds === undefined ? null : new Set(rule.datasetIds),
    environments: mask(rule.environments, (env) => (env === 'live' ? ENV_LIVE : ENV_TEST)),
    types: mask(rule.principalTypes, (type) => (type === 'user' ? PRINCIPAL_USER : PRINCIPAL_KEY)),
    actions,
  });
}
