import { z } from 'zod';
import { hostIdSchema } from '../entities/ids.js';
import type { ValidationIssue } from '../errors/keyward-error.js';
import { type GrantPattern, parsePattern, patternMatches } from './grant-pattern.js';
import { patternProblem } from './pattern-problems.js';
import type { Resource } from './principal.js';

/**
 * A host forbid rule: pure data, so the order of rules never changes an answer. It matches a
 * request when every condition it gives holds; conditions on resource fields match only when
 * the resource carries that field. A matching rule denies with `forbidden_by_rule` citing its
 * id; when several match, the smallest id is cited.
 *
 * @example
 * ```ts
 * const noTestDeletes: ForbidRule = { id: 'no-test-deletes', actions: ['datasets:delete'], environments: ['test'] };
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
  /** Why the rule exists, for admins reading a trace. */
  readonly description?: string | undefined;
}

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
  description: z.string().max(500).optional(),
});

/** Bit of a principal type in {@link CompiledRule.types}. @internal */
export const PRINCIPAL_USER = 1;
/** @internal */
export const PRINCIPAL_KEY = 2;
/** Bit of an environment in {@link CompiledRule.environments}; users have none (0). @internal */
export const ENV_LIVE = 1;
/** @internal */
export const ENV_TEST = 2;
const ANY = -1;

/** A forbid rule ready to match. @internal */
export interface CompiledRule {
  readonly id: string;
  readonly description: string | undefined;
  readonly tenants: ReadonlySet<string> | null;
  readonly workspaces: ReadonlySet<string> | null;
  readonly datasets: ReadonlySet<string> | null;
  /** Bit mask of environments, or -1 for any. */
  readonly environments: number;
  /** Bit mask of principal types, or -1 for any. */
  readonly types: number;
  /** Whether each catalog action (by index) is among the rule's actions. */
  readonly actions: Uint8Array;
}

/**
 * Validates and compiles forbid rules against the catalog `names`, sorted by id. Problems are
 * pushed onto `issues` (duplicate ids, unknown patterns, empty condition lists, unknown keys).
 *
 * @internal
 */
export function compileForbidRules(
  rules: unknown,
  names: readonly string[],
  issues: ValidationIssue[],
): readonly CompiledRule[] {
  if (rules === undefined) return [];
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
    compiled.push(compileRule(parsed.data, names));
  });
  return compiled.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function compileRule(rule: z.infer<typeof forbidRuleSchema>, names: readonly string[]): CompiledRule {
  const actions = new Uint8Array(names.length);
  for (const pattern of rule.actions) {
    const parsed = parsePattern(pattern);
    if (parsed === null) continue;
    names.forEach((name, a) => {
      if (patternMatches(parsed, name)) actions[a] = 1;
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

/**
 * True when `rule` matches a request on `resource` by a principal of type bit `type` and
 * environment bit `environment` (0 for users). The action was matched beforehand.
 *
 * @internal
 */
export function ruleMatches(
  rule: CompiledRule,
  resource: Resource,
  type: number,
  environment: number,
): boolean {
  if (rule.types !== ANY && (rule.types & type) === 0) return false;
  if (rule.environments !== ANY && (rule.environments & environment) === 0) return false;
  if (rule.tenants !== null && !rule.tenants.has(resource.tenantId)) return false;
  if (rule.workspaces !== null) {
    const workspaceId = resource.workspaceId;
    if (workspaceId === undefined || !rule.workspaces.has(workspaceId)) return false;
  }
  if (rule.datasets !== null) {
    const datasetId = resource.datasetId;
    if (datasetId === undefined || !rule.datasets.has(datasetId)) return false;
  }
  return true;
}
