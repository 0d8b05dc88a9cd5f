import type { Decision, TraceStep } from '../decision.js';
import type { KeyPrincipal } from '../principal.js';
import type { Resource } from '../resource.js';
import type { CompiledKeyPrincipal } from './compiled-principal.js';
import { invalidActionDecision, Slot } from './decision-table.js';
import { evaluateKey, guardLayer } from './evaluate-key.js';
import { evaluateUser } from './evaluate-user.js';
import { type PolicyModel, SCOPE_DATASET, SCOPE_TENANT, SCOPE_WORKSPACE } from './policy-model.js';
import type { KeyState, UserState } from './principal-state.js';
import { step } from './trace-step.js';

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;

/** Why `resource` does not fit an action of scope code `scope`, or null. @internal */
export function resourceProblem(scope: number, resource: unknown): string | null {
  if (typeof resource !== 'object' || resource === null) return 'the resource must be an object';
  const r = resource as Resource;
  if (!isId(r.tenantId)) return 'the resource needs a tenantId';
  const { workspaceId, datasetId } = r;
  if (workspaceId !== undefined && !isId(workspaceId))
    return 'the resource workspaceId must be a non-empty string';
  if (datasetId !== undefined && !isId(datasetId)) return 'the resource datasetId must be a non-empty string';
  if (datasetId !== undefined && workspaceId === undefined) return 'a datasetId needs its workspaceId';
  if (scope === SCOPE_DATASET && datasetId === undefined)
    return 'a dataset-level action needs workspaceId and datasetId';
  if (scope === SCOPE_WORKSPACE && workspaceId === undefined)
    return 'a workspace-level action needs a workspaceId';
  return null;
}

/**
 * Layer 0, then the principal's layers. Throws only on a bug; the caller turns that into an
 * `evaluation_error` decision (fail closed).
 *
 * @internal
 */
export function evaluate(
  model: PolicyModel,
  principal: unknown,
  action: unknown,
  resource: unknown,
  now: unknown,
  trace?: TraceStep[],
): Decision {
  const a = typeof action === 'string' ? model.index.get(action) : undefined;
  if (a === undefined) {
    trace?.push(step(0, 'request', 'deny', `action '${String(action).slice(0, 128)}' is not in the catalog`));
    return invalidActionDecision(action);
  }
  const scope = model.scope[a]!;
  if (trace === undefined) {
    const key = (principal as { state?: KeyState } | null)?.state;
    if (key?.model === model && key.problem === null && 'grant' in key && fitsBinding(scope, resource, key)) {
      if (typeof now === 'number' && !Number.isNaN(now))
        return evaluateKey(key, a, resource as Resource, now);
    }
  }
  const problem = resourceProblem(scope, resource);
  if (problem !== null) {
    trace?.push(step(0, 'request', 'deny', problem));
    return model.decisions.slot(a, Slot.InvalidRequest);
  }
  trace?.push(step(0, 'request', 'pass', `${model.names[a]} on a well-formed resource`));
  const state = stateOf(model, principal);
  if (typeof state === 'string' || typeof now !== 'number' || Number.isNaN(now)) {
    const why = typeof state === 'string' ? state : 'options.now must be epoch milliseconds';
    trace?.push(step(0, 'evaluation', 'deny', why));
    return model.decisions.slot(a, Slot.EvaluationError);
  }
  if ('grant' in state) return evaluateKey(state, a, resource as Resource, now, trace);
  return evaluateUser(state, a, resource as Resource, trace);
}

/**
 * The common case of a key request, checked without reading the resource's strings: a tenant
 * and workspace that are the key's own (pointer-equal or equal to valid ids) are well-formed by
 * definition, so only a `datasetId` still needs its shape checked. When this returns true,
 * `resourceProblem` would return null; otherwise the full path decides, in layer order.
 */
function fitsBinding(scope: number, resource: unknown, key: KeyState): boolean {
  if (typeof resource !== 'object' || resource === null) return false;
  const r = resource as Resource;
  if (r.tenantId !== key.tenantId) return false;
  const workspaceId = r.workspaceId;
  const datasetId = r.datasetId;
  if (workspaceId === undefined) return scope === SCOPE_TENANT && datasetId === undefined;
  if (workspaceId !== key.workspaceId) return false;
  if (datasetId === undefined) return scope !== SCOPE_DATASET;
  return isId(datasetId);
}

function stateOf(model: PolicyModel, principal: unknown): KeyState | UserState | string {
  if (typeof principal !== 'object' || principal === null)
    return 'the principal must be a compiled principal';
  const state = (principal as { state?: KeyState | UserState }).state;
  if (typeof state !== 'object' || state === null)
    return 'the principal was not compiled (use policy.compileKey / compileUser)';
  if (state.model !== model) return 'the principal was compiled by another policy';
  return state.problem ?? state;
}

/**
 * The part of a key's decision that needs no resource: the action is in the catalog (layer 0)
 * and the key, its account and its creator chain are usable at `now` (layer 1). The deny, or
 * null when both pass. The request path asks this before it resolves a resource, so that every
 * credential failure is answered before any host lookup.
 *
 * @internal
 */
export function evaluateCredential(
  principal: KeyPrincipal,
  action: unknown,
  now: number,
  trace?: TraceStep[],
): Decision | null {
  const key = (principal as CompiledKeyPrincipal).state;
  const model = key.model;
  const a = typeof action === 'string' ? model.index.get(action) : undefined;
  if (a === undefined) {
    trace?.push(step(0, 'request', 'deny', `action '${String(action).slice(0, 128)}' is not in the catalog`));
    return invalidActionDecision(action);
  }
  if (key.problem !== null || typeof now !== 'number' || Number.isNaN(now)) {
    trace?.push(step(0, 'evaluation', 'deny', key.problem ?? 'now must be epoch milliseconds'));
    return model.decisions.slot(a, Slot.EvaluationError);
  }
  return guardLayer(key, a, now, trace);
}
