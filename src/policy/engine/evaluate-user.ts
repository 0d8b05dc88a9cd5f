import type { Decision, TraceStep } from '../decision.js';
import type { Resource } from '../resource.js';
import { PRINCIPAL_USER } from './compiled-rule.js';
import { Slot } from './decision-table.js';
import { firstMatchingRule } from './forbid-rules-at-action.js';
import type { UserState } from './principal-state.js';
import { step } from './trace-step.js';

/**
 * Layers 2, 3, 6 and 7 for a human actor (a user has no credential, dataset or read-only
 * layer and no creator). See `evaluateKey` for the trace convention.
 *
 * @internal
 */
export function evaluateUser(
  user: UserState,
  action: number,
  resource: Resource,
  trace?: TraceStep[],
): Decision {
  const model = user.model;
  const decisions = model.decisions;
  trace?.push(step(1, 'key_status', 'skip', `user ${user.id}: no credential guards apply to a user`));
  if (resource.tenantId !== user.tenantId) {
    trace?.push(
      step(
        2,
        'tenant',
        'deny',
        `resource tenant ${resource.tenantId} is not the user's tenant ${user.tenantId}`,
      ),
    );
    return decisions.slot(action, Slot.CrossTenant);
  }
  trace?.push(step(2, 'tenant', 'pass', `tenant ${user.tenantId}`));
  const workspaceId = resource.workspaceId;
  if (workspaceId !== undefined && user.workspaces !== null && !user.workspaces.has(workspaceId)) {
    trace?.push(
      step(3, 'workspace_binding', 'deny', `workspace ${workspaceId} is not among the user's workspaces`),
    );
    return decisions.slot(action, Slot.OutsideBinding);
  }
  trace?.push(
    step(3, 'workspace_binding', user.workspaces === null ? 'skip' : 'pass', 'workspace reachable'),
  );
  const rule = firstMatchingRule(model.rulesByAction[action]!, resource, PRINCIPAL_USER, 0, trace);
  if (rule !== null) return rule;
  if (user.permissions[action] !== 1) {
    for (const note of user.notes) trace?.push(step(7, 'compile', 'skip', note));
    trace?.push(
      step(7, 'user_permissions', 'deny', `the user's permissions do not include ${model.names[action]}`),
    );
    return decisions.slot(action, Slot.NotGrantedPermissions);
  }
  trace?.push(step(7, 'user_permissions', 'pass', `the user's permissions include ${model.names[action]}`));
  return decisions.slot(action, Slot.AllowUser);
}
