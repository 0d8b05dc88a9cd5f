import type { Decision, TraceStep } from '../decision.js';
import type { Resource } from '../resource.js';
import { PRINCIPAL_KEY } from './compiled-rule.js';
import { creatorDenies, creatorName, keyGuard } from './creator-boundary.js';
import { Slot } from './decision-table.js';
import { firstMatchingRule } from './forbid-rules-at-action.js';
import { ACCESS_READ, type PolicyModel, SCOPE_DATASET } from './policy-model.js';
import { type KeyState, NO_ROLE, OVER_CREATOR, SCOPED_OUT } from './principal-state.js';
import { SLOT_CHECK, step } from './trace-step.js';

/**
 * Layers 1 to 8 for a key, then the allow, on a validated action index and resource. `trace` is
 * only given on the explain path; without it nothing is allocated (`trace?.push(...)` does not
 * even evaluate its argument).
 *
 * @internal
 */
export function evaluateKey(
  key: KeyState,
  action: number,
  resource: Resource,
  now: number,
  trace?: TraceStep[],
): Decision {
  const guard = guardLayer(key, action, now, trace);
  if (guard !== null) return guard;
  return scopeLayers(key, action, resource, trace) ?? grantLayers(key, action, resource, trace);
}

/**
 * Layer 1 alone: the key's and its account's statuses, its validity window and its creator
 * chain's. The decision when it denies, or null when the key may be used at `now`.
 *
 * @internal
 */
export function guardLayer(key: KeyState, action: number, now: number, trace?: TraceStep[]): Decision | null {
  const guard = keyGuard(key, now);
  if (guard >= 0) {
    const check = SLOT_CHECK[guard]!;
    trace?.push(
      step(1, check, 'deny', `key ${key.keyId}: ${check} check failed at ${now}${creatorNote(key)}`),
    );
    return key.model.decisions.slot(action, guard as Slot);
  }
  trace?.push(
    step(
      1,
      'key_status',
      'pass',
      `key ${key.keyId} and its account are active and the key is in its validity window`,
    ),
  );
  trace?.push(
    key.creator === null
      ? step(1, 'creator_status', 'skip', 'no creator boundary known for this key')
      : step(
          1,
          'creator_status',
          'pass',
          `the key's creator boundary (${creatorName(key.creator)}) is active`,
        ),
  );
  return null;
}

function creatorNote(key: KeyState): string {
  return key.creator !== null && key.creator.kind !== 'user'
    ? ' (a key creator counts with its own status and validity window)'
    : '';
}

function scopeLayers(
  key: KeyState,
  action: number,
  resource: Resource,
  trace?: TraceStep[],
): Decision | null {
  const model = key.model;
  const decisions = model.decisions;
  if (resource.tenantId !== key.tenantId) {
    trace?.push(
      step(
        2,
        'tenant',
        'deny',
        `resource tenant ${resource.tenantId} is not the key's tenant ${key.tenantId}`,
      ),
    );
    return decisions.slot(action, Slot.CrossTenant);
  }
  trace?.push(step(2, 'tenant', 'pass', `tenant ${key.tenantId}`));
  const workspaceId = resource.workspaceId;
  if (workspaceId !== undefined && workspaceId !== key.workspaceId) {
    trace?.push(
      step(
        3,
        'workspace_binding',
        'deny',
        `workspace ${workspaceId} is outside the binding ${key.workspaceId}`,
      ),
    );
    return decisions.slot(action, Slot.OutsideBinding);
  }
  trace?.push(step(3, 'workspace_binding', 'pass', `bound to workspace ${key.workspaceId}`));
  const selected = key.selected;
  if (selected !== null) {
    if (model.scope[action] !== SCOPE_DATASET) {
      trace?.push(
        step(4, 'dataset_access', 'deny', `a dataset-scoped account cannot use ${model.names[action]}`),
      );
      return decisions.slot(action, Slot.DatasetScoped);
    }
    if (!selected.has(resource.datasetId as string)) {
      trace?.push(
        step(4, 'dataset_access', 'deny', `dataset ${resource.datasetId} is not among the selected datasets`),
      );
      return decisions.slot(action, Slot.DatasetNotGranted);
    }
    trace?.push(step(4, 'dataset_access', 'pass', `dataset ${resource.datasetId} is selected`));
  } else {
    trace?.push(step(4, 'dataset_access', 'pass', 'the account reaches all datasets of its workspace'));
  }
  if (key.readOnly && model.access[action] !== ACCESS_READ) {
    trace?.push(step(5, 'read_only', 'deny', `${model.names[action]} is not a read action`));
    return decisions.slot(action, Slot.ReadOnly);
  }
  trace?.push(
    step(5, 'read_only', key.readOnly ? 'pass' : 'skip', key.readOnly ? 'a read action' : 'not read-only'),
  );
  return null;
}

function grantLayers(key: KeyState, action: number, resource: Resource, trace?: TraceStep[]): Decision {
  const model = key.model;
  const decisions = model.decisions;
  const rule = firstMatchingRule(model.rulesByAction[action]!, resource, PRINCIPAL_KEY, key.envBit, trace);
  if (rule !== null) return rule;
  const verdict = key.verdict[action]!;
  if (verdict === NO_ROLE || verdict === SCOPED_OUT) {
    const scoped = verdict === SCOPED_OUT;
    const why = scoped
      ? "a role grants it but the key's scopes exclude it"
      : 'no role of the account grants it';
    for (const note of key.notes) trace?.push(step(7, 'compile', 'skip', note));
    trace?.push(step(7, scoped ? 'key_scopes' : 'roles', 'deny', `${model.names[action]}: ${why}`));
    return decisions.slot(action, scoped ? Slot.NotGrantedScopes : Slot.NotGrantedRoles);
  }
  trace?.push(step(7, 'roles', 'pass', grantNote(model, key.grant[action]!, action)));
  if (key.creator === null) {
    trace?.push(step(8, 'creator_rights', 'skip', 'no creator boundary known for this key: layer 8 skipped'));
    return decisions.allow(action, verdict);
  }
  if (verdict === OVER_CREATOR || !inCreatorDatasets(key, resource)) {
    const why = creatorDenies(key.creator, action, resource, key.workspaceId);
    trace?.push(step(8, 'creator_rights', 'deny', why ?? "the creator's rights do not cover the action"));
    return decisions.slot(action, Slot.ExceedsCreator);
  }
  trace?.push(
    step(
      8,
      'creator_rights',
      'pass',
      `the key's creator boundary (${creatorName(key.creator)}) holds ${model.names[action]}`,
    ),
  );
  return decisions.allow(action, verdict);
}

/** The resource-dependent part of layer 8: the dataset is selected by every creator key up the chain. */
function inCreatorDatasets(key: KeyState, resource: Resource): boolean {
  const sets = key.creatorDatasets;
  if (sets === null) return true;
  for (let i = 0; i < sets.length; i++) if (!sets[i]!.has(resource.datasetId as string)) return false;
  return true;
}

/** What grants the action at layer 7: a role of the account, or a personal key's scopes. */
function grantNote(model: PolicyModel, grant: number, action: number): string {
  const role = model.roles[grant];
  return role === undefined
    ? `the personal key's scopes grant ${model.names[action]}`
    : `role ${role.name} grants ${model.names[action]}`;
}
