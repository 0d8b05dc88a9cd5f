import type { ColumnType, Insertable, Selectable } from 'kysely';

/**
 * A UTC instant stored as milliseconds since the Unix epoch (`bigint` in PostgreSQL, `INTEGER`
 * in SQLite). PostgreSQL's driver returns `bigint` as a string, SQLite's as a number: the
 * adapter reads both.
 */
export type EpochMsColumn = ColumnType<number | string, number, number>;

/** A nullable {@link EpochMsColumn}. */
export type NullableEpochMsColumn = ColumnType<number | string | null, number | null, number | null>;

/**
 * `keyward_service_accounts`: one row per service account. `roles`, `dataset_access`,
 * `created_by` and `metadata` hold JSON text; `read_only` is `0` or `1`.
 */
export interface ServiceAccountTable {
  id: string;
  tenant_id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  contact_email: string | null;
  /** JSON array of role names. */
  roles: string;
  /** `0` or `1`. */
  read_only: number;
  /** JSON `DatasetAccess`. */
  dataset_access: string;
  status: string;
  /** JSON `ActorRef`. */
  created_by: string;
  created_at: EpochMsColumn;
  updated_at: EpochMsColumn;
  version: number;
  /** JSON object of host metadata. */
  metadata: string;
  /** `'service'` or `'personal'` (migration 0006; existing rows are `'service'`). */
  kind: ColumnType<string, string | undefined, string>;
  /** The person owning a personal account, `null` on a service account (migration 0006). */
  owner_user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of CIDR blocks, or null for any address (migration 0007). */
  ip_allowlist: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of rate limits, `'[]'` when none (migration 0007). */
  rate_limits: ColumnType<string, string | undefined, string>;
}

/** `keyward_api_keys`: one row per key. Only digests are stored, never a secret. */
export interface ApiKeyTable {
  id: string;
  service_account_id: string;
  tenant_id: string;
  workspace_id: string;
  name: string;
  environment: string;
  /** JSON array of grant patterns, or null when the key carries its account's roles unchanged. */
  scopes: string | null;
  hash: string;
  hash_version: number;
  pepper_id: string | null;
  previous_hash: string | null;
  previous_hash_version: number | null;
  previous_pepper_id: string | null;
  previous_hash_expires_at: NullableEpochMsColumn;
  start: string;
  status: string;
  expires_at: NullableEpochMsColumn;
  last_used_at: NullableEpochMsColumn;
  /** JSON `ActorRef`. */
  created_by: string;
  created_at: EpochMsColumn;
  updated_at: EpochMsColumn;
  revoked_at: NullableEpochMsColumn;
  /** JSON `ActorRef` of who received the current secret by `regenerate`, or null (migration 0003). */
  regenerated_by: string | null;
  /** JSON `ActorRef` of who received the previous secret (`previous_hash`), or null (migration 0010). */
  previous_regenerated_by: string | null;
  /** JSON object of host metadata, `'{}'` when none (migration 0005). */
  metadata: string;
  /** When the key was disabled (reversibly), or null (migration 0005). */
  disabled_at: NullableEpochMsColumn;
  /** When an "expiring soon" notice was last sent, or null (migration 0005). */
  expiry_notice_at: NullableEpochMsColumn;
  /** JSON array of CIDR blocks, or null for any address (migration 0007). */
  ip_allowlist: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of the key's own rate limits, `'[]'` when none (migration 0007). */
  rate_limits: ColumnType<string, string | undefined, string>;
  /**
   * Credits left, or null when the key is unlimited (migration 0007). The other `credits_*`
   * columns are null then too. `bigint`: PostgreSQL's driver returns it as a string.
   */
  credits_remaining: ColumnType<number | string | null, number | null | undefined, number | null>;
  /** The refill amount, or null without refill (migration 0007). */
  credits_refill_amount: ColumnType<number | string | null, number | null | undefined, number | null>;
  /** The refill interval in ms, or null without refill (migration 0007). */
  credits_refill_interval_ms: ColumnType<number | string | null, number | null | undefined, number | null>;
  /** When the current refill interval began, or null without refill (migration 0007). */
  credits_refilled_at: ColumnType<number | string | null, number | null | undefined, number | null>;
}

/** `keyward_audit_events`: the append-only audit trail. Snapshots and request are JSON text. */
export interface AuditEventTable {
  id: string;
  tenant_id: string;
  workspace_id: string | null;
  actor_type: string;
  actor_id: string;
  /** Set when the actor is a key: the key's service account. */
  actor_service_account_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  reason: string | null;
  /** JSON snapshot, or null. */
  before_snapshot: string | null;
  /** JSON snapshot, or null. */
  after_snapshot: string | null;
  /** JSON `RequestContext` (added by migration 0002). */
  request: string;
  created_at: EpochMsColumn;
  /**
   * Follow sequence (migration 0004), set by the database, never by an insert. SQLite:
   * `INTEGER PRIMARY KEY AUTOINCREMENT`, assigned inside the serialized write transaction, so in
   * commit order. PostgreSQL: `bigint generated always as identity`, in insert order; the follow
   * order there is `(xact_id, seq)`, `xact_id` being an `xid8` column only PostgreSQL has.
   */
  seq: ColumnType<number | string, never, never>;
}

/**
 * `keyward_rate_limits`: the token buckets of `kyselyRateLimiter` (migration 0008), one row per
 * bucket id. A row whose `full_at` has passed is the same as no row: a full bucket.
 */
export interface RateLimitTable {
  /** The bucket id (`k:<keyId>:<name>`, `a:<accountId>:<name>`). */
  bucket: string;
  /** Tokens left as of `updated_at`, a float from 0 to the bucket's limit. */
  tokens: number;
  /** When `tokens` was computed, epoch ms. */
  updated_at: EpochMsColumn;
  /** When the bucket will be full again, epoch ms: rows with `full_at <= now` may be pruned. */
  full_at: EpochMsColumn;
}

/**
 * `keyward_changes` (migration 0009, SQLite only): the change log `sqliteChangeFeed` reads. Each
 * row is written in the transaction of the change it names; rows older than 10 minutes are pruned.
 */
export interface ChangeLogTable {
  /** `INTEGER PRIMARY KEY AUTOINCREMENT`: never reused, in commit order. Set by the database. */
  seq: ColumnType<number, never, never>;
  /** `'k'`: the key `id`; `'a'`: the account `id` and every key it owns. */
  kind: string;
  /** The key id or account id. */
  id: string;
  /** When the change was written, epoch ms. */
  at: number;
}

/**
 * The tables keyward owns, for hosts that type their own `Kysely<HostDb & KeywardDatabase>`.
 *
 * @example
 * ```ts
 * const db = new Kysely<KeywardDatabase>({ dialect });
 * ```
 */
export interface KeywardDatabase {
  keyward_service_accounts: ServiceAccountTable;
  keyward_api_keys: ApiKeyTable;
  keyward_audit_events: AuditEventTable;
  keyward_rate_limits: RateLimitTable;
  /** SQLite only (migration 0009). */
  keyward_changes: ChangeLogTable;
}

/** A selected `keyward_service_accounts` row. @internal */
export type ServiceAccountRow = Selectable<ServiceAccountTable>;
/** A selected `keyward_api_keys` row. @internal */
export type ApiKeyRow = Selectable<ApiKeyTable>;
/** A selected `keyward_audit_events` row. @internal */
export type AuditEventRow = Selectable<AuditEventTable>;
/** An insertable `keyward_service_accounts` row. @internal */
export type NewServiceAccountRow = Insertable<ServiceAccountTable>;
/** An insertable `keyward_api_keys` row. @internal */
export type NewApiKeyRow = Insertable<ApiKeyTable>;
/** An insertable `keyward_audit_events` row. @internal */
export type NewAuditEventRow = Insertable<AuditEventTable>;
