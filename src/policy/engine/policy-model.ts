import type { Decision } from '../decision.js';
import { parsePattern, patternMatches } from '../grant-pattern.js';
import type { PermissionAccess, PermissionInfo, PermissionScope } from '../permission-catalog.js';
import type { RoleInfo } from '../role-catalog.js';
import type { CompiledRule } from './compiled-rule.js';
import { DecisionTable, PERSONAL_GRANT_ID } from './decision-table.js';
import { makeDecision } from './frozen-decision.js';

/** Scope codes in {@link PolicyModel.scope}. @internal */
export const SCOPE_CODE: Readonly<Record<PermissionScope, number>> = { tenant: 0, workspace: 1, dataset: 2 };
/** Access codes in {@link PolicyModel.access}. @internal */
export const ACCESS_CODE: Readonly<Record<PermissionAccess, number>> = { read: 0, write: 1, admin: 2 };
/** @internal */
export const SCOPE_DATASET = 2;
/** @internal */
export const SCOPE_WORKSPACE = 1;
/** @internal */
export const SCOPE_TENANT = 0;
/** @internal */
export const ACCESS_READ = 0;

/** A forbid rule as seen from one action, with its prebuilt decision. @internal */
export interface RuleAtAction {
  readonly rule: CompiledRule;
  readonly decision: Decision;
}

/** The catalog, roles and rules of a policy, compiled into arrays indexed by action. @internal */
export interface PolicyModel {
  readonly permissions: readonly PermissionInfo[];
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly scope: Uint8Array;
  readonly access: Uint8Array;
  readonly roles: readonly RoleInfo[];
  readonly roleIndex: ReadonlyMap<string, number>;
  /** Per role: 1 where its grants cover the catalog action. */
  readonly roleSets: readonly Uint8Array[];
  readonly rules: readonly CompiledRule[];
  /** Per action: the rules that name it, sorted by id. */
  readonly rulesByAction: readonly (readonly RuleAtAction[])[];
  readonly decisions: DecisionTable;
  /** Shared per-action verdict arrays of compiled keys, by content (see `internVerdict`). */
  readonly verdicts: Map<string, Int16Array>;
  /** Shared per-action rights arrays of compiled keys, by content. */
  readonly rightsSets: Map<string, Uint8Array>;
}

/** Compiles a validated catalog, roles and rules. @internal */
export function buildModel(
  permissions: readonly PermissionInfo[],
  roles: readonly RoleInfo[],
  rules: readonly CompiledRule[],
): PolicyModel {
  const names = permissions.map((p) => p.name);
  const index = new Map(names.map((name, a) => [name, a] as const));
  const scope = Uint8Array.from(permissions, (p) => SCOPE_CODE[p.scope]);
  const access = Uint8Array.from(permissions, (p) => ACCESS_CODE[p.access]);
  const roleIndex = new Map(roles.map((role, r) => [role.name, r] as const));
  const roleSets = roles.map((role) => expandPatterns(names, role.grants).set);
  const rulesByAction = names.map((name, a) =>
    Object.freeze(
      rules
        .filter((rule) => rule.actions[a] === 1)
        .map((rule) =>
          Object.freeze({
            rule,
            decision: makeDecision('forbidden_by_rule', 'explicit_deny', 6, rule.id, name),
          }),
        ),
    ),
  );
  // One grant past the roles: what a personal key's scopes grant (see `personalGrant`).
  const decisions = new DecisionTable(names, [...roles.map((role) => role.name), PERSONAL_GRANT_ID]);
  return Object.freeze({
    permissions,
    names,
    index,
    scope,
    access,
    roles,
    roleIndex,
    roleSets,
    rules,
    rulesByAction,
    decisions,
    verdicts: new Map<string, Int16Array>(),
    rightsSets: new Map<string, Uint8Array>(),
  });
}

/**
 * The catalog actions covered by `patterns` (1 = covered), and the patterns that are malformed
 * or cover nothing (they grant nothing: fail closed).
 *
 * @internal
 */
export function expandPatterns(
  names: readonly string[],
  patterns: readonly unknown[],
): { readonly set: Uint8Array; readonly unknown: readonly string[] } {
  const set = new Uint8Array(names.length);
  const unknown: string[] = [];
  for (const pattern of patterns) {
    const parsed = parsePattern(pattern);
    let matched = false;
    if (parsed !== null) {
      for (let a = 0; a < names.length; a++) {
        if (patternMatches(parsed, names[a]!)) {
          set[a] = 1;
          matched = true;
        }
      }
    }
    if (!matched) unknown.push(String(pattern).slice(0, 128));
  }
  return { set, unknown };
}
