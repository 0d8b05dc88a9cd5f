import type { Decision, DeterminingEntry, TraceStep } from '../decision.js';
import type { DecisionKind, PolicyLayer, ReasonCode } from '../reason-codes.js';

/** Builds a frozen decision. @internal */
export function makeDecision(
  reason: ReasonCode,
  kind: DecisionKind,
  layer: PolicyLayer,
  id: string,
  required: string,
): Decision {
  const allowed = kind === 'allow';
  const entry: DeterminingEntry = Object.freeze({ layer, id, effect: allowed ? 'allow' : 'deny' });
  // `kind === 'allow'` exactly when `reason === 'allowed'`: the engine passes them together.
  return Object.freeze({ allowed, kind, reason, required, determining: Object.freeze([entry]) }) as Decision;
}

/**
 * A copy of `decision` carrying `trace`, deeply frozen: every step is a frozen copy of plain
 * strings and numbers, whoever built it (explain path only: the copies cost nothing elsewhere).
 *
 * @internal
 */
export function withTrace<D extends Decision>(decision: D, trace: readonly TraceStep[]): D {
  return Object.freeze({
    allowed: decision.allowed,
    kind: decision.kind,
    reason: decision.reason,
    required: decision.required,
    determining: decision.determining,
    trace: Object.freeze(trace.map(frozenStep)),
  }) as D;
}

function frozenStep(s: TraceStep): TraceStep {
  if (Object.isFrozen(s)) return s;
  return Object.freeze({
    layer: s.layer,
    check: String(s.check),
    outcome: s.outcome,
    detail: String(s.detail),
  });
}
