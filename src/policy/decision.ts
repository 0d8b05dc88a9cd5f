import type { DecisionKind, PolicyLayer, ReasonCode } from './reason-codes.js';

/**
 * One entry of {@link Decision.determining}: the layer that decided, what in it decided (a rule
 * id, a role name, or a check such as `read_only`), and its effect.
 */
export interface DeterminingEntry {
  /** The layer of section 5 of the design (0-8). */
  readonly layer: PolicyLayer;
  /** The rule id (layer 6), the granting role (an allow), or the name of the check that denied. */
  readonly id: string;
  /** Whether this entry allowed or denied. */
  readonly effect: 'allow' | 'deny';
}

/** What one layer concluded, in an explained decision. */
export interface TraceStep {
  /** The layer (0-8). */
  readonly layer: PolicyLayer;
  /** The check within the layer, e.g. `key_status`, `forbid_rules`, `creator_rights`. */
  readonly check: string;
  /** `pass`: the check let the request through; `deny`: it stopped it; `skip`: it did not apply. */
  readonly outcome: 'pass' | 'deny' | 'skip';
  /** A human-readable explanation (ids and permission names only, never a secret). */
  readonly detail: string;
}

/** A reason a {@link Decision} denies with: every {@link ReasonCode} but `allowed`. */
export type DenyReason = Exclude<ReasonCode, 'allowed'>;

/** The fields every {@link Decision} carries. */
interface DecisionFields {
  /** The permission the request required (the action name; empty when the action was not a string). */
  readonly required: string;
  /** What decided: one entry naming the layer (every deny names its layer). */
  readonly determining: readonly DeterminingEntry[];
  /** Every layer's outcome, only when `explain: true` was asked. */
  readonly trace?: readonly TraceStep[] | undefined;
}

/** A {@link Decision} that allowed the request: every layer passed. */
export interface AllowDecision extends DecisionFields {
  /** True: every layer passed. */
  readonly allowed: true;
  /** Always `allow`. */
  readonly kind: 'allow';
  /** Always `allowed`. */
  readonly reason: 'allowed';
}

/** A {@link Decision} that denied the request, with the reason `R`. */
export interface DenyDecision<R extends DenyReason = DenyReason> extends DecisionFields {
  /** False: a layer denied. */
  readonly allowed: false;
  /** An `explicit_deny` (a guard or rule said no), an `implicit_deny` (nothing granted it) or an `error`. */
  readonly kind: Exclude<DecisionKind, 'allow'>;
  /** Why, as a stable code. */
  readonly reason: R;
}

/**
 * The answer of `policy.authorize`. Plain, deeply frozen, JSON-serialisable data. Decisions without a trace are shared between calls
 * (the common path allocates nothing), so compare them by value, never by identity. A union on
 * `allowed`: an {@link AllowDecision} (`kind: 'allow'`, `reason: 'allowed'`) or a
 * {@link DenyDecision} (any other kind and reason).
 *
 * @example
 * ```ts
 * const d = policy.authorize(principal, 'datasets:write', { tenantId: 't1', workspaceId: 'w1', datasetId: 'd1' }, { now: Date.now() });
 * if (!d.allowed) console.warn(d.reason, d.determining[0]); // 'read_only' { layer: 5, id: 'read_only', effect: 'deny' }
 * ```
 */
export type Decision = AllowDecision | DenyDecision;
