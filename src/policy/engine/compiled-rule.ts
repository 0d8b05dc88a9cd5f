import type { Resource } from '../resource.js';

/** Bit of a principal type in {@link CompiledRule.types}. @internal */
export const PRINCIPAL_USER = 1;
/** @internal */
export const PRINCIPAL_KEY = 2;
/** Bit of an environment in {@link CompiledRule.environments}; users have none (0). @internal */
export const ENV_LIVE = 1;
/** @internal */
export const ENV_TEST = 2;
/** Mask of a condition the rule does not set: any value matches. @internal */
export const ANY = -1;

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
