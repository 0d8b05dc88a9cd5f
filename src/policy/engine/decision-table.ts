import type { Decision } from '../decision.js';
import type { ReasonCode } from '../reason-codes.js';
import { makeDecision } from './frozen-decision.js';
import { REASON_META } from './reason-meta.js';

/**
 * The fixed decisions every action can end in, with the check each one names. Forbid rules
 * and granting roles get their own decisions (they cite a rule id or a role name).
 *
 * @internal
 */
export const SLOTS = [
  ['invalid_request', 'request'],
  ['account_deleted', 'account_status'],
  ['account_disabled', 'account_status'],
  ['key_revoked', 'key_status'],
  ['key_disabled', 'key_status'],
  ['key_expired', 'key_expiry'],
  ['key_not_yet_valid', 'key_not_before'],
  ['creator_inactive', 'creator_status'],
  ['cross_tenant', 'tenant'],
  ['outside_workspace_binding', 'workspace_binding'],
  ['dataset_scoped_account', 'dataset_access'],
  ['dataset_not_granted', 'dataset_access'],
  ['read_only', 'read_only'],
  ['not_granted', 'roles'],
  ['not_granted', 'key_scopes'],
  ['not_granted', 'user_permissions'],
  ['exceeds_creator_rights', 'creator_rights'],
  ['evaluation_error', 'evaluation'],
  ['allowed', 'user_permissions'],
] as const satisfies readonly (readonly [ReasonCode, string])[];

/** The id a personal key's allow decision names as the grant (layer 7), past the role names. @internal */
export const PERSONAL_GRANT_ID = 'key_scopes';

/** Index into {@link SLOTS}, by name. @internal */
export const Slot = {
  InvalidRequest: 0,
  AccountDeleted: 1,
  AccountDisabled: 2,
  KeyRevoked: 3,
  KeyDisabled: 4,
  KeyExpired: 5,
  KeyNotYetValid: 6,
  CreatorInactive: 7,
  CrossTenant: 8,
  OutsideBinding: 9,
  DatasetScoped: 10,
  DatasetNotGranted: 11,
  ReadOnly: 12,
  NotGrantedRoles: 13,
  NotGrantedScopes: 14,
  NotGrantedPermissions: 15,
  ExceedsCreator: 16,
  EvaluationError: 17,
  AllowUser: 18,
} as const;

/** A value of {@link Slot}. @internal */
export type Slot = (typeof Slot)[keyof typeof Slot];

const SLOT_COUNT = SLOTS.length;

/**
 * Frozen decisions per (action, slot) and per (action, granting role), built on first use and
 * shared afterwards, so a decision on the common path allocates nothing.
 *
 * @internal
 */
export class DecisionTable {
  readonly #names: readonly string[];
  readonly #roles: readonly string[];
  readonly #slots: (Decision | undefined)[];
  readonly #allows: (Decision | undefined)[];

  constructor(names: readonly string[], roles: readonly string[]) {
    this.#names = names;
    this.#roles = roles;
    this.#slots = new Array<Decision | undefined>(names.length * SLOT_COUNT).fill(undefined);
    this.#allows = new Array<Decision | undefined>(names.length * Math.max(1, roles.length)).fill(undefined);
  }

  /** The decision of `slot` for the action at `action`. */
  slot(action: number, slot: Slot): Decision {
    const at = action * SLOT_COUNT + slot;
    const found = this.#slots[at];
    if (found !== undefined) return found;
    const [reason, id] = SLOTS[slot]!;
    const meta = REASON_META[reason];
    const built = makeDecision(reason, meta.kind, meta.layer, id, this.#names[action]!);
    this.#slots[at] = built;
    return built;
  }

  /** The allow of the action at `action`, naming the role at `role` as the grant. */
  allow(action: number, role: number): Decision {
    const at = action * this.#roles.length + role;
    const found = this.#allows[at];
    if (found !== undefined) return found;
    const built = makeDecision('allowed', 'allow', 7, this.#roles[role]!, this.#names[action]!);
    this.#allows[at] = built;
    return built;
  }
}

/** A decision for an action outside the catalog (allocated: this is not the common path). @internal */
export function invalidActionDecision(action: unknown): Decision {
  return makeDecision(
    'invalid_request',
    'error',
    0,
    'request',
    typeof action === 'string' ? action.slice(0, 128) : '',
  );
}
