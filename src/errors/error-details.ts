/** Details of errors that carry none. */
export type NoErrorDetails = Readonly<Record<never, never>>;

/** What a storage failure tells: the driver's error code, and the migration that failed. */
export type StorageErrorDetails = {
  /** The driver's own error code (e.g. `SQLITE_BUSY`, `40001`), when it gave one. */
  readonly driverCode?: string | undefined;
  /** The migration that failed (`migrateToLatest`), or `null` when none ran. */
  readonly migration?: string | null | undefined;
};

/**
 * The `details` of a {@link KeywardError}, per code. Plain, secret-free data; with
 * `isKeywardError(err, code)` or a `switch (err.code)`, `err.details` has the code's shape.
 *
 * @example
 * ```ts
 * if (isKeywardError(err, 'EXCEEDS_CREATOR_RIGHTS')) log(err.details.exceeding, err.details.datasets);
 * ```
 */
export type KeywardErrorDetails = {
  /** Every problem is in `issues`. */
  readonly INVALID_INPUT: NoErrorDetails;
  /** Every problem is in `issues`. */
  readonly INVALID_CONFIG: NoErrorDetails;
  /** The id looked up: `id` for an account, `keyId` for a key (absent from host-made errors). */
  readonly NOT_FOUND: {
    /** The service account id. */
    readonly id?: string | undefined;
    /** The key id. */
    readonly keyId?: string | undefined;
  };
  /**
   * The policy's denial of the management call. (Typed loosely: `errors` sits below `policy` and
   * does not import it; `reason` is a `DenyReason`, `decision` a `DenyDecision`.)
   */
  readonly FORBIDDEN: {
    /** The decision's reason (a `DenyReason`). */
    readonly reason: string;
    /** The permission the call required. */
    readonly required: string;
    /** The denying decision (a `DenyDecision`). */
    readonly decision: object;
  };
  /** A stale `expectedVersion` (both versions), or a uniqueness conflict in storage (`driverCode`). */
  readonly CONFLICT: StorageErrorDetails & {
    /** The version the call expected. */
    readonly expectedVersion?: number | undefined;
    /** The account's version when the call ran. */
    readonly actualVersion?: number | undefined;
  };
  /** The account's active keys and the limit. */
  readonly KEY_LIMIT_REACHED: {
    /** Active keys the account holds. */
    readonly activeKeys: number;
    /** `maxKeysPerAccount`. */
    readonly limit: number;
  };
  /** The roles no service account may hold. */
  readonly ROLE_NOT_ASSIGNABLE: {
    /** The non-assignable roles requested. */
    readonly roles: readonly string[];
  };
  /** What the change would give beyond the actor's own rights. */
  readonly EXCEEDS_CREATOR_RIGHTS: {
    /** Permissions (sorted) the actor does not hold. */
    readonly exceeding: readonly string[];
    /** Datasets the actor may not reach. */
    readonly datasets: readonly string[];
  };
  /** Whose IP allowlist the change would reach beyond, and that list. */
  readonly IP_ALLOWLIST_WIDER: {
    /** `key`: the acting key's own allowlist; `account`: its account's. */
    readonly layer: 'account' | 'key';
    /** The normalised CIDR blocks the new allowlist must lie within. */
    readonly allowlist: readonly string[];
  };
  /** The request controls a key may not change on itself. */
  readonly OWN_REQUEST_CONTROLS: {
    /** The refused input fields: `rateLimits`, `credits`. */
    readonly fields: readonly string[];
  };
  /** The datasets outside the account's workspace binding. */
  readonly DATASET_OUTSIDE_BINDING: {
    /** The dataset ids refused. */
    readonly datasetIds: readonly string[];
  };
  /** The object in the wrong state. */
  readonly INVALID_STATE: {
    /** The service account id. */
    readonly id?: string | undefined;
    /** The key id. */
    readonly keyId?: string | undefined;
    /** The key's status (`revoked`, `expired`). */
    readonly status?: string | undefined;
  };
  /** The message says which bound was crossed. */
  readonly INVALID_EXPIRY: NoErrorDetails;
  /** The driver's failure, or the calls `close()` left running. */
  readonly STORAGE_UNAVAILABLE: StorageErrorDetails & {
    /** Calls still running when `close()` gave up. */
    readonly running?: number | undefined;
    /** How long `close()` waited, in ms. */
    readonly timeoutMs?: number | undefined;
  };
  /** The driver's failure. */
  readonly STORAGE_SCHEMA: StorageErrorDetails;
  /** Nothing about the failure leaks; storage failures may name the driver code. */
  readonly INTERNAL: StorageErrorDetails;
};
