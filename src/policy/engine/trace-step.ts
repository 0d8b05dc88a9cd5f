import type { TraceStep } from '../decision.js';
import type { PolicyLayer } from '../reason-codes.js';
import { SLOTS } from './decision-table.js';

/** Builds one frozen trace step (explain path only). @internal */
export function step(
  layer: PolicyLayer,
  check: string,
  outcome: TraceStep['outcome'],
  detail: string,
): TraceStep {
  return Object.freeze({ layer, check, outcome, detail });
}

/** The check each decision slot names, for traces. @internal */
export const SLOT_CHECK: readonly string[] = SLOTS.map(([, check]) => check);
