import type { DecisionKind, PolicyLayer, ReasonCode } from '../reason-codes.js';

/**
 * Kind and layer of each reason. Explicit denials come from a rule or a guard that says no;
 * implicit denials from the absence of a grant (`not_granted`, `dataset_not_granted`,
 * `exceeds_creator_rights`).
 *
 * @internal
 */
export const REASON_META: Readonly<
  Record<ReasonCode, { readonly layer: PolicyLayer; readonly kind: DecisionKind }>
> = {
  allowed: { layer: 7, kind: 'allow' },
  invalid_request: { layer: 0, kind: 'error' },
  key_revoked: { layer: 1, kind: 'explicit_deny' },
  key_disabled: { layer: 1, kind: 'explicit_deny' },
  key_expired: { layer: 1, kind: 'explicit_deny' },
  key_not_yet_valid: { layer: 1, kind: 'explicit_deny' },
  account_disabled: { layer: 1, kind: 'explicit_deny' },
  account_deleted: { layer: 1, kind: 'explicit_deny' },
  creator_inactive: { layer: 1, kind: 'explicit_deny' },
  cross_tenant: { layer: 2, kind: 'explicit_deny' },
  outside_workspace_binding: { layer: 3, kind: 'explicit_deny' },
  dataset_scoped_account: { layer: 4, kind: 'explicit_deny' },
  dataset_not_granted: { layer: 4, kind: 'implicit_deny' },
  read_only: { layer: 5, kind: 'explicit_deny' },
  forbidden_by_rule: { layer: 6, kind: 'explicit_deny' },
  not_granted: { layer: 7, kind: 'implicit_deny' },
  exceeds_creator_rights: { layer: 8, kind: 'implicit_deny' },
  evaluation_error: { layer: 0, kind: 'error' },
};
