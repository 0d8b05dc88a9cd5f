/**
 * Every error code keyward can answer with, mapped to a short, HTTP-free message.
 * Codes are stable: hosts may switch on them. Messages never contain a secret.
 *
 * @example
 * ```ts
 * if (err instanceof KeywardError && err.code === ERROR_CODES.NOT_FOUND) { ... }
 * ```
 */
export const ERROR_CODES = {
  /** Input to a management call failed validation; `issues` holds every zod issue. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** `createKeyward` (or a middleware factory) was given a bad configuration. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** The object does not exist, or belongs to another tenant. */
  NOT_FOUND: 'NOT_FOUND',
  /** The actor is not allowed to perform this call; `decision` explains why. */
  FORBIDDEN: 'FORBIDDEN',
  /** A concurrent change won (stale `version`) or a uniqueness rule was hit. */
  CONFLICT: 'CONFLICT',
  /** The account already holds `maxKeysPerAccount` active keys. */
  KEY_LIMIT_REACHED: 'KEY_LIMIT_REACHED',
  /** A role that may not be given to service accounts (such as `owner`) was requested. */
  ROLE_NOT_ASSIGNABLE: 'ROLE_NOT_ASSIGNABLE',
  /** Requested scopes or roles exceed what the acting creator holds; `details.exceeding` lists them. */
  EXCEEDS_CREATOR_RIGHTS: 'EXCEEDS_CREATOR_RIGHTS',
  /**
   * A key acting on the management API would make a key or account usable from addresses its own
   * IP allowlists (its account's, its own) refuse; `details` names the list to stay within.
   */
  IP_ALLOWLIST_WIDER: 'IP_ALLOWLIST_WIDER',
  /**
   * A key acting on the management API tried to change its own request controls: its own rate
   * limits or credits, or its account's rate limits; `details.fields` names them.
   */
  OWN_REQUEST_CONTROLS: 'OWN_REQUEST_CONTROLS',
  /** A dataset outside the account's workspace binding was referenced. */
  DATASET_OUTSIDE_BINDING: 'DATASET_OUTSIDE_BINDING',
  /** The operation is not valid in the object's current state (e.g. regenerate a revoked key). */
  INVALID_STATE: 'INVALID_STATE',
  /** An expiry outside `minKeyTtl` / `maxKeyTtl`, or in the past. */
  INVALID_EXPIRY: 'INVALID_EXPIRY',
  /** The storage backend could not be reached or failed. */
  STORAGE_UNAVAILABLE: 'STORAGE_UNAVAILABLE',
  /**
   * keyward's tables or columns are missing: migrations were not run (`migrateToLatest`), or a
   * table was dropped. A deployment fault, not a passing one: retrying does not help.
   */
  STORAGE_SCHEMA: 'STORAGE_SCHEMA',
  /** An unexpected internal failure. */
  INTERNAL: 'INTERNAL',
} as const;

/** A stable keyward error code. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
