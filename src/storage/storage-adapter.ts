import type { ApiKey } from '../entities/api-key.js';
import type { AuditAction, AuditEvent } from '../entities/audit-event.js';
import type { KeyCredits } from '../entities/request-controls.js';
import type { AccountKind, ServiceAccount, ServiceAccountStatus } from '../entities/service-account.js';
import type { ChangeFeed } from './change-feed.js';

/**
 * Position after which (or, for the audit trail, before which) a page starts.
 * Accounts and keys are ordered by `(createdAt, id)` ascending; audit events by
 * `(createdAt, id)` descending (newest first). Ids compare as binary strings (code-unit order,
 * `0-9 < A-Z < a-z`, i.e. `COLLATE "C"`), never by a locale.
 */
export interface PageAfter {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * An audit event's place in the follow order of {@link StorageAdapter.listAuditEventsSince}.
 * Positions compare by `transaction`, then `sequence`; both are integers in `[0, 2^63)`, and
 * `{ transaction: 0n, sequence: 0n }` comes before every stored event.
 *
 * - PostgreSQL: the id (`xid8`) of the transaction that wrote the event, and the event's insert
 *   sequence.
 * - SQLite and memory: `0n`, and a sequence assigned in commit order (writers are serialized).
 */
export interface AuditPosition {
  readonly transaction: bigint;
  readonly sequence: bigint;
}

/** An audit event together with its {@link AuditPosition}. */
export interface FollowedAuditEvent {
  readonly event: AuditEvent;
  readonly position: AuditPosition;
}

/** The one read of the request path: a key and its account. */
export interface KeyWithAccount {
  readonly key: ApiKey;
  readonly account: ServiceAccount;
}

/**
 * What {@link StorageReads.queryKeys} selects: the keys of one tenant (optionally one workspace)
 * matching every filter given. Statuses are the derived ones users see, at `now`: first match
 * wins, `revoked` (stored status) > `disabled` (`disabledAt` set) > `expired` (`expiresAt` at or
 * before `now`) > `active`; so `expired` never includes a revoked or disabled key.
 *
 * @example
 * ```ts
 * // Active live keys of a tenant unused for 45 days (CIS), first page.
 * const unused = await storage.queryKeys({
 *   tenantId, status: 'active', environment: 'live',
 *   unusedSince: new Date(now - 45 * 86_400_000), now: new Date(now), limit: 100,
 * });
 * ```
 */
export interface KeyQuery {
  /** The tenant: keys of other tenants never match. */
  readonly tenantId: string;
  /** Only keys of this workspace. */
  readonly workspaceId?: string | undefined;
  /** Only keys whose account is of this kind (`personal`: people's own keys); any kind when not given. */
  readonly accountKind?: AccountKind | undefined;
  /** Only keys whose derived status at `now` is this one. */
  readonly status?: 'active' | 'revoked' | 'disabled' | 'expired' | undefined;
  /** Only keys of this environment. */
  readonly environment?: 'live' | 'test' | undefined;
  /** Only keys with an `expiresAt` strictly before this instant (keys that never expire do not match). */
  readonly expiresBefore?: Date | undefined;
  /**
   * Only keys not used since this instant: `lastUsedAt` null or strictly before it, and created
   * strictly before it (a key issued after it has had no chance to be used).
   */
  readonly unusedSince?: Date | undefined;
  /** The instant derived statuses are computed at. */
  readonly now: Date;
  /** Start strictly after this `(createdAt, id)` position (a page cursor). */
  readonly after?: PageAfter | undefined;
  /** At most this many keys. */
  readonly limit: number;
}

/** Result of {@link StorageReads.insertKeyIfUnderLimit}. */
export type InsertKeyResult =
  | { readonly inserted: true }
  | { readonly inserted: false; readonly activeKeys: number };

/**
 * Result of {@link StorageAdapter.spendCredits}:
 * - `{ spent: true, remaining: null }`: the key has no credits (unlimited); nothing was written.
 * - `{ spent: true, remaining }`: `cost` was taken; `remaining` is the balance left.
 * - `{ spent: false, remaining, refillAt }`: the balance (after any due refill) is below `cost`;
 *   nothing was taken. `refillAt` is the next refill instant, or `null` without refill.
 * - `null`: no key has this id.
 *
 * @example
 * ```ts
 * const result = await storage.spendCredits({ keyId, cost: 1, now: new Date() });
 * if (result !== null && !result.spent) console.log(`out of credits until ${result.refillAt}`);
 * ```
 */
export type SpendCreditsResult =
  | { readonly spent: true; readonly remaining: number | null }
  | { readonly spent: false; readonly remaining: number; readonly refillAt: Date | null }
  | null;

/** Reads and writes available both on the adapter and inside a transaction. */
export interface StorageReads {
  /** The account with this id in this tenant, or `null` (also when it lives in another tenant). */
  findServiceAccount(args: {
    readonly tenantId: string;
    readonly id: string;
  }): Promise<ServiceAccount | null>;

  /**
   * Accounts of a tenant of one kind (`service` when `kind` is not given: personal accounts are
   * only ever listed when asked for), optionally one workspace, owner and/or status, ordered by
   * `(createdAt, id)` ascending, starting strictly after `after`, at most `limit` rows.
   */
  listServiceAccounts(args: {
    readonly tenantId: string;
    /** Only accounts of this kind; `service` (accounts without `ownerUserId`) when not given. */
    readonly kind?: AccountKind | undefined;
    /** Only personal accounts of this person (never matches a service account). */
    readonly ownerUserId?: string | undefined;
    readonly workspaceId?: string | undefined;
    readonly status?: ServiceAccountStatus | undefined;
    readonly limit: number;
    readonly after?: PageAfter | undefined;
  }): Promise<ServiceAccount[]>;

  /** The key with this id in this tenant, or `null` (also when it lives in another tenant). */
  findKey(args: { readonly tenantId: string; readonly keyId: string }): Promise<ApiKey | null>;

  /**
   * The request path's single read: a key by its public id together with its account, in any
   * tenant. `null` when either is missing. Must use an index on the key id.
   */
  findKeyForVerification(args: { readonly keyId: string }): Promise<KeyWithAccount | null>;

  /** Keys of one account (in this tenant), ordered by `(createdAt, id)` ascending, after `after`. */
  listKeys(args: {
    readonly tenantId: string;
    readonly serviceAccountId: string;
    readonly limit: number;
    readonly after?: PageAfter | undefined;
  }): Promise<ApiKey[]>;

  /**
   * Keys of a tenant (or one workspace) matching every filter of `query`, ordered by
   * `(createdAt, id)` ascending, starting strictly after `after`, at most `limit`: what lifecycle
   * sweeps and tenant-wide key lists read. SQL adapters serve it from `tenant_id`-led indexes.
   */
  queryKeys(query: KeyQuery): Promise<ApiKey[]>;

  /**
   * Audit events of a tenant with optional filters, ordered by `(createdAt, id)` descending
   * (newest first), starting strictly before `before`.
   */
  listAuditEvents(args: {
    readonly tenantId: string;
    readonly workspaceId?: string | undefined;
    readonly targetId?: string | undefined;
    readonly action?: AuditAction | undefined;
    readonly limit: number;
    readonly before?: PageAfter | undefined;
  }): Promise<AuditEvent[]>;

  /**
   * Inserts a new account. Throws `KeywardError('CONFLICT')` if the id exists (in any tenant),
   * or if it is a personal account and the same person already has one in that tenant and
   * workspace (one personal account per person and workspace, enforced by the storage).
   */
  insertServiceAccount(args: { readonly account: ServiceAccount }): Promise<void>;

  /**
   * Replaces an account if its stored `version` equals `expectedVersion` (the new record carries
   * `expectedVersion + 1`). Returns the stored record, `null` if no such account exists in
   * `account.tenantId`, and throws `KeywardError('CONFLICT')` if the version moved on: nothing
   * is overwritten then.
   */
  updateServiceAccount(args: {
    readonly account: ServiceAccount;
    readonly expectedVersion: number;
  }): Promise<ServiceAccount | null>;

  /** Deletes an account and all its keys (audit events stay). Returns false if it did not exist. */
  deleteServiceAccount(args: { readonly tenantId: string; readonly id: string }): Promise<boolean>;

  /**
   * Atomically inserts `key` only while its account holds fewer than `limit` active keys
   * (status `active` and `expiresAt` null or strictly after `now`). Must hold under concurrent
   * callers, across connections for SQL adapters. A duplicate key id, or an account that does not
   * exist in `key.tenantId`, throws `CONFLICT`.
   */
  insertKeyIfUnderLimit(args: {
    readonly key: ApiKey;
    readonly limit: number;
    readonly now: Date;
  }): Promise<InsertKeyResult>;

  /**
   * Replaces a key (regenerate, revoke, disable, rename, ...): every stored field (`name`,
   * `scopes`, `expiresAt`, `metadata`, `disabledAt`, `expiryNoticeAt`, `createdBy`, the digests,
   * `ipAllowlist`, `rateLimits`, ...) but `lastUsedAt`, which only `touchKeys` moves (a
   * concurrent verification's use is never written back), and `credits`, which only
   * {@link setKeyCredits} and {@link StorageAdapter.spendCredits} move (a concurrent spend is
   * never undone). Returns the stored record (with its stored `lastUsedAt` and `credits`), or
   * `null` if no such key exists in `key.tenantId`. The key limit of {@link insertKeyIfUnderLimit} counts disabled
   * keys: disabling one does not free a slot (enabling it again must not exceed the limit).
   *
   * Revocation is final: when the stored key is `revoked`, nothing is written and `CONFLICT` is
   * thrown, whatever `key` says. Callers decide on a record read with
   * {@link StorageTransaction.lockKey} in the same transaction.
   */
  updateKey(args: { readonly key: ApiKey }): Promise<ApiKey | null>;

  /**
   * Replaces a key's whole `credits` (balance, refill and `refilledAt`; `null` = unlimited) and
   * nothing else: `updatedAt` stays, so a caller that wants it moved calls {@link updateKey} in
   * the same transaction. Returns the stored record, or `null` if no such key exists in
   * `tenantId`. A revoked key is final: nothing is written and `CONFLICT` is thrown.
   *
   * @example
   * ```ts
   * await tx.setKeyCredits({
   *   tenantId, keyId,
   *   credits: { remaining: 1000, refill: { amount: 1000, intervalMs: 86_400_000 }, refilledAt: now },
   * });
   * ```
   */
  setKeyCredits(args: {
    readonly tenantId: string;
    readonly keyId: string;
    readonly credits: KeyCredits | null;
  }): Promise<ApiKey | null>;

  /** Appends an audit event. A duplicate event id throws `CONFLICT`. */
  insertAuditEvent(args: { readonly event: AuditEvent }): Promise<void>;
}

/**
 * Storage operations bound to one open transaction, plus locking reads. Every lifecycle write
 * decides on records read with `lockServiceAccount` / `lockKey` inside its own transaction: from
 * that read until the transaction ends, no other transaction (on any connection or process
 * sharing the storage) may change or delete those rows, so a decision can never rest on a stale
 * read. Locks are always taken account first, then key, so two transactions never wait on each
 * other in a cycle.
 *
 * - PostgreSQL: `SELECT ... FOR UPDATE` on the account row, then on the key row.
 * - SQLite: plain reads; `BEGIN IMMEDIATE` already holds the database write lock.
 * - Memory: plain reads; transactions already run one at a time.
 */
export interface StorageTransaction extends StorageReads {
  /**
   * The account with this id in this tenant, locked against concurrent changes until the
   * transaction ends; `null` when it does not exist (or lives in another tenant).
   */
  lockServiceAccount(args: {
    readonly tenantId: string;
    readonly id: string;
  }): Promise<ServiceAccount | null>;

  /**
   * The key with this id in this tenant and its account, both locked against concurrent changes
   * (account first, then key) until the transaction ends; `null` when either is missing.
   */
  lockKey(args: { readonly tenantId: string; readonly keyId: string }): Promise<KeyWithAccount | null>;
}

/**
 * What keyward needs from a database: a small, domain-specific contract, not generic CRUD.
 * Methods take one readonly object, answer `null` / `[]` on a miss, and throw only
 * `KeywardError` (`CONFLICT`, `STORAGE_UNAVAILABLE`), never a raw driver error.
 *
 * Run `runStorageConformance` from `keyward/testing` against any implementation.
 *
 * @example
 * ```ts
 * const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', ... });
 * ```
 */
export interface StorageAdapter extends StorageReads {
  /** A short name for diagnostics, e.g. `memory` or `sqlite`. */
  readonly name: string;

  /**
   * Runs `fn` in one transaction: everything it writes through `tx` is committed together when
   * it resolves, and nothing is kept when it throws (the error is rethrown).
   */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T>;

  /**
   * Records last use of keys, outside any transaction. Only moves `lastUsedAt` forward;
   * unknown keys are ignored. Called in batches by the verifier, never per request.
   */
  touchKeys(args: {
    readonly entries: readonly { readonly keyId: string; readonly lastUsedAt: Date }[];
  }): Promise<void>;

  /**
   * Spends `cost` credits (a whole number, at least 1; the caller checks it) of a key in any
   * tenant, atomically: the request path's one write, outside any transaction. First a due refill is applied: when the key has a refill and
   * `now >= refilledAt + intervalMs`, the balance is *set* to the refill amount (not added to)
   * and `refilledAt` moves forward by whole intervals,
   * `refilledAt + floor((now - refilledAt) / intervalMs) * intervalMs`. Then `cost` is taken only
   * if the balance holds at least `cost`; otherwise nothing is taken (a due refill stays
   * applied). A key without credits is unlimited: nothing is written. The key's status is not
   * looked at (the verifier never spends for a refused key).
   *
   * Must hold under concurrent callers, across connections and processes sharing the storage:
   * `n` concurrent spends of cost 1 against a balance of `m` take exactly `min(n, m)` credits.
   * SQL adapters use one `UPDATE ... RETURNING` statement, keyed by the primary key.
   *
   * @example
   * ```ts
   * const result = await storage.spendCredits({ keyId: key.id, cost: 1, now: new Date() });
   * // null: unknown key; { spent: true, remaining: null }: unlimited
   * ```
   */
  spendCredits(args: {
    readonly keyId: string;
    readonly cost: number;
    readonly now: Date;
  }): Promise<SpendCreditsResult>;

  /**
   * Committed audit events of a tenant in follow order, strictly after `after`, at most `limit`:
   * what lets an exporter tail the trail without ever skipping an event.
   *
   * Contract:
   * - Every event gets a position when its transaction writes it and keeps it; positions are
   *   unique, never reused (not even after events are deleted), and independent of `createdAt`.
   * - Never skips: an event is returned only once every event that has or will ever have an
   *   earlier position is committed or rolled back. So a caller that passes back the position of
   *   the last event it received sees every committed event exactly once, however late its
   *   transaction commits. The price is delay, never loss: events behind a transaction still open
   *   are withheld until it ends (on PostgreSQL, any transaction of the server holding an id).
   * - Only on the adapter, never inside a transaction: a transaction's own events have no
   *   settled position yet.
   * - Served by an index on `(tenant, position)`.
   *
   * @example
   * ```ts
   * const page = await storage.listAuditEventsSince({ tenantId, after: last.position, limit: 100 });
   * ```
   */
  listAuditEventsSince(args: {
    readonly tenantId: string;
    readonly after: AuditPosition;
    readonly limit: number;
  }): Promise<FollowedAuditEvent[]>;

  /**
   * The adapter's own change feed, when it has one (the memory adapter: one process, every
   * instance over it told at once). SQL adapters take theirs from the host (`postgresChangeFeed`,
   * `sqliteChangeFeed`), passed as `createKeyward({ changes })`.
   */
  readonly changes?: ChangeFeed | undefined;

  /** Releases resources the adapter owns (not a host-provided database). */
  close?(): Promise<void>;
}
