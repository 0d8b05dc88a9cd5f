import type { AuditEvent } from '../entities/audit-event.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/**
 * Most audit events written per transaction. A flush of many (key, reason) pairs is many short
 * transactions of at most this many inserts: each commits or rolls back whole, so a failed one
 * is re-queued exactly (nothing of it was stored) and no write holds the database for long.
 */
export const REFUSAL_BATCH = 100;
/** Most (key, reason) pairs counted in memory, whatever the number of distinct keys refused. */
export const MAX_TRACKED_REFUSALS = 100_000;
/** Longest wait before retrying a failed write. */
const MAX_RETRY_MS = 30_000;

/** The key a refusal is counted for: what its `api_key.refused` audit event names. */
export interface RefusedKey {
  /** The key id: actor and target of the event. */
  readonly id: string;
  /** The key's account (the actor reference's `serviceAccountId`). */
  readonly serviceAccountId: string;
  /** The tenant whose trail gets the event. */
  readonly tenantId: string;
  /** The key's workspace. */
  readonly workspaceId: string;
}

/** What the recorder is built from. @internal */
export interface RefusalRecorderOptions {
  readonly storage: StorageAdapter;
  /** How long refusals are counted before they are written, in ms. */
  readonly intervalMs: number;
  readonly clock: () => number;
  /** Gets every failed write and every count dropped for memory; must not throw. */
  readonly onError: (error: unknown) => void;
  /** A new audit event id (`ev_...`). */
  readonly newEventId: () => string;
}

/** Refusals of one key for one reason, not yet written. */
interface RefusalCount {
  readonly key: RefusedKey;
  readonly reason: string;
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Counts refused verifications of known keys and writes them to the audit trail as counts: one
 * `api_key.refused` event per (key, reason) per interval, never a write per request.
 *
 * - `record` only counts (in memory); every `intervalMs` after the first refusal counted (a timer
 *   that does not keep the process alive), and on `flush()`, each pair becomes one event: actor
 *   and target the key, `outcome: 'denied'`, `reason` the refusal code,
 *   `after: { count, firstAt, lastAt }` (ISO times), `createdAt` the time of the write.
 * - Events are written {@link REFUSAL_BATCH} per transaction. A failed transaction goes back
 *   into the count (merged with refusals counted since) and is retried with backoff; the error
 *   goes to `onError`. A transaction that failed after it committed (a lost connection during
 *   commit) is written again: counts are at least once.
 * - Memory is bounded: at most {@link MAX_TRACKED_REFUSALS} pairs. Refusals of a new pair beyond
 *   that are dropped (a write is started at once) and reported; so are the oldest pairs when a
 *   failed write would overflow the bound.
 *
 * @example
 * ```ts
 * const refusals = new RefusalRecorder({ storage, intervalMs: 60_000, clock: Date.now, onError, newEventId });
 * refusals.record(key, 'read_only', Date.now());
 * await refusals.flush(); // at shutdown, after stop()
 * ```
 *
 * @internal
 */
export class RefusalRecorder {
  readonly #options: RefusalRecorderOptions;
  /** Counts not yet written, by `keyId \n reason`, oldest pair first. */
  #pending = new Map<string, RefusalCount>();
  /** Refusals dropped for memory since the last report. */
  #dropped = 0;
  /** Set while a write is in progress. */
  #flushing: Promise<void> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #stopped = false;

  constructor(options: RefusalRecorderOptions) {
    this.#options = options;
  }

  /** (key, reason) pairs counted and not yet written, for tests and figures. */
  get size(): number {
    return this.#pending.size;
  }

  /** Counts one refusal of `key` for `reason` at `now` (epoch ms). Never waits, never throws. */
  record(key: RefusedKey, reason: string, now: number): void {
    const id = `${key.id}\n${reason}`;
    const counted = this.#pending.get(id);
    if (counted !== undefined) {
      counted.count++;
      if (now < counted.firstAt) counted.firstAt = now;
      if (now > counted.lastAt) counted.lastAt = now;
      return;
    }
    if (this.#pending.size >= MAX_TRACKED_REFUSALS) {
      // Too many pairs: drop this refusal and write what is counted now, unless storage is
      // failing (a retry is already scheduled, and will report the drops).
      if (this.#dropped++ === 0 && this.#failures === 0) this.#arm(0);
      return;
    }
    this.#pending.set(id, { key, reason, count: 1, firstAt: now, lastAt: now });
    this.#arm(this.#options.intervalMs);
  }

  /** Writes every count now. Resolves when written, or when the failure was reported. */
  async flush(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
    if (this.#pending.size === 0 && this.#dropped === 0) return;
    const writing = this.#write();
    this.#flushing = writing;
    try {
      await writing;
    } finally {
      if (this.#flushing === writing) this.#flushing = null;
    }
  }

  /** Stops the timer for good (none is armed again); counts stay for a last {@link flush}. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  /** A write after `delayMs`, unless one is already due sooner; never keeps the process alive. */
  #arm(delayMs: number): void {
    if (this.#stopped || (this.#timer !== null && delayMs > 0)) return;
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, delayMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Writes every count, batch by batch; a failed batch and those after it are counted again. */
  async #write(): Promise<void> {
    this.#reportDropped();
    const counts = [...this.#pending.values()];
    this.#pending = new Map();
    const at = new Date(this.#options.clock());
    for (let start = 0; start < counts.length; start += REFUSAL_BATCH) {
      try {
        const events = counts.slice(start, start + REFUSAL_BATCH).map((counted) => this.#event(counted, at));
        await this.#options.storage.transaction(async (tx) => {
          for (const event of events) await tx.insertAuditEvent({ event });
        });
      } catch (error) {
        this.#failures++;
        this.#options.onError(error);
        this.#requeue(counts.slice(start));
        this.#arm(Math.min(MAX_RETRY_MS, 100 * 2 ** Math.min(this.#failures, 10)));
        return;
      }
      this.#failures = 0;
    }
  }

  /** The audit event of one count, written at `at`. */
  #event(counted: RefusalCount, at: Date): AuditEvent {
    const { key, reason, count, firstAt, lastAt } = counted;
    return {
      id: this.#options.newEventId(),
      tenantId: key.tenantId,
      workspaceId: key.workspaceId,
      actor: { type: 'key', id: key.id, serviceAccountId: key.serviceAccountId },
      action: 'api_key.refused',
      target: { type: 'api_key', id: key.id },
      outcome: 'denied',
      reason,
      before: null,
      after: { count, firstAt: new Date(firstAt).toISOString(), lastAt: new Date(lastAt).toISOString() },
      request: {},
      createdAt: at,
    };
  }

  /** Counts unwritten pairs again, before (and merged with) those counted during the write. */
  #requeue(counts: readonly RefusalCount[]): void {
    const merged = new Map<string, RefusalCount>();
    for (const counted of counts) merged.set(`${counted.key.id}\n${counted.reason}`, counted);
    for (const [id, later] of this.#pending) {
      const counted = merged.get(id);
      if (counted === undefined) merged.set(id, later);
      else {
        counted.count += later.count;
        counted.firstAt = Math.min(counted.firstAt, later.firstAt);
        counted.lastAt = Math.max(counted.lastAt, later.lastAt);
      }
    }
    this.#pending = merged;
    if (merged.size <= MAX_TRACKED_REFUSALS) return;
    // Drop the oldest pairs down to 90% of the bound.
    let excess = merged.size - Math.floor(MAX_TRACKED_REFUSALS * 0.9);
    for (const [id, counted] of merged) {
      if (excess-- <= 0) break;
      this.#dropped += counted.count;
      merged.delete(id);
    }
    this.#reportDropped();
  }

  #reportDropped(): void {
    if (this.#dropped === 0) return;
    const dropped = this.#dropped;
    this.#dropped = 0;
    this.#options.onError(
      new Error(
        `api_key.refused: ${dropped} refusals dropped, more than ${MAX_TRACKED_REFUSALS} keys pending`,
      ),
    );
  }
}
