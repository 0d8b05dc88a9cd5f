/**
 * Every reason a {@link Decision} can give, in evaluation order. Stable: hosts may switch on
 * them and map them to HTTP statuses (the verifier answers 401 for the layer-1 key and
 * account guards and 403 for the rest).
 *
 * @example
 * ```ts
 * if (decision.reason === REASON_CODES.READ_ONLY) return reply(403, 'This key is read-only');
 * ```
 */
export const REASON_CODES = {
  /** Every layer passed. */
  ALLOWED: 'allowed',
  /** Layer 0: the action is not in the catalog, or the resource is malformed. */
  INVALID_REQUEST: 'invalid_request',
  /** Layer 1: the key was revoked. */
  KEY_REVOKED: 'key_revoked',
  /** Layer 1: the key is disabled (`disabledAt` set): refused until it is enabled again. */
  KEY_DISABLED: 'key_disabled',
  /** Layer 1: the key's `expiresAt` has passed. */
  KEY_EXPIRED: 'key_expired',
  /** Layer 1: the key's `notBefore` lies in the future. */
  KEY_NOT_YET_VALID: 'key_not_yet_valid',
  /** Layer 1: the key's service account is disabled. */
  ACCOUNT_DISABLED: 'account_disabled',
  /** Layer 1: the key's service account was deleted. */
  ACCOUNT_DELETED: 'account_deleted',
  /** Layer 1: whoever created the key is no longer active (a disabled user, a revoked or expired key). */
  CREATOR_INACTIVE: 'creator_inactive',
  /** Layer 2: the resource belongs to another tenant. */
  CROSS_TENANT: 'cross_tenant',
  /** Layer 3: the resource lies outside the account's workspace binding. */
  OUTSIDE_WORKSPACE_BINDING: 'outside_workspace_binding',
  /** Layer 4: a dataset-scoped account (access `selected`) called a workspace- or tenant-level action. */
  DATASET_SCOPED_ACCOUNT: 'dataset_scoped_account',
  /** Layer 4: the dataset is not among the account's selected datasets. */
  DATASET_NOT_GRANTED: 'dataset_not_granted',
  /** Layer 5: a read-only account or key asked for a `write` or `admin` action. */
  READ_ONLY: 'read_only',
  /** Layer 6: a host forbid rule matched; `determining[0].id` is the rule id. */
  FORBIDDEN_BY_RULE: 'forbidden_by_rule',
  /** Layer 7: no role (intersected with the key's scopes) grants the action. */
  NOT_GRANTED: 'not_granted',
  /** Layer 8: the creator's live rights do not cover the action (a boundary, never a grant). */
  EXCEEDS_CREATOR_RIGHTS: 'exceeds_creator_rights',
  /** The evaluation itself failed (a malformed principal, a missing clock): denied, fail closed. */
  EVALUATION_ERROR: 'evaluation_error',
} as const;

/** A stable reason code of a {@link Decision}. */
export type ReasonCode = (typeof REASON_CODES)[keyof typeof REASON_CODES];

/**
 * The layer of section 5 of the design that decided: 0 request, 1 credential guards, 2 tenant,
 * 3 workspace binding, 4 dataset access, 5 read-only, 6 host forbid rules, 7 grants, 8 creator
 * boundary. An allow names layer 7, the grant that allowed it.
 */
export type PolicyLayer = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** What kind of outcome a decision is. */
export type DecisionKind = 'allow' | 'explicit_deny' | 'implicit_deny' | 'error';
