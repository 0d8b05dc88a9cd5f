import type { StorageAdapter } from '../storage/storage-adapter.js';

/** Most keys written per `touchKeys` call: a flush of many keys is many short writes, never one long one. */
export const TOUCH_BATCH = 100;
/** Most keys remembered, per map, whatever the number of distinct keys used. */
export const MAX_TRACKED_KEYS = 100_000;
/** Longest wait before retrying a failed write. */
const MAX_RETRY_MS = 30_000;

/** What the recorder is built from. @internal */
export interface LastUsedOptions {
  readonly storage: StorageAdapter;
  readonly intervalMs: number;
  readonly clock: () => number;
  readonly onError: (error: unknown) => void;
}

/**
 * Records `lastUsedAt` without a storage write per request: at most one write per key per
 * `intervalMs`, in batches of at most {@link TOUCH_BATCH} keys.
 *
 * - A use is kept until written: the first use of a key (or the first once `intervalMs` passed
 *   since its last write) is written on the next tick; later uses inside the interval are
 *   written once it ends (a timer that does not keep the process alive), and by `flush()`.
 * - A failed batch goes back into the queue and is retried with backoff; nothing is dropped
 *   while memory allows.
 * - Memory is bounded whatever the number of distinct keys: at most {@link MAX_TRACKED_KEYS}
 *   written keys are remembered for the interval (the oldest are forgotten first, which only
 *   costs an extra write), and at most as many pending uses (beyond that every pending use is
 *   written at once; if storage is down too, the oldest pending uses are dropped and reported).
 *
 * @internal
 */
export class LastUsedRecorder {
  readonly #options: LastUsedOptions;
  /** The latest unwritten use of each key. */
  #pending = new Map<string, number>();
  /** When each key's use was last written, oldest first (entries older than the interval go). */
  readonly #writtenAt = new Map<string, number>();
  /** Set while a write is in progress. */
  #flushing: Promise<void> | null = null;
  /** A write of the due entries is queued for the next tick. */
  #soon = false;
  /** ... and it writes every pending use, not only the due ones. */
  #soonAll = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;

  constructor(options: LastUsedOptions) {
    this.#options = options;
  }

  /** Entries held in memory (pending and remembered), for tests and figures. */
  get size(): number {
    return this.#pending.size + this.#writtenAt.size;
  }

  /** Notes that `keyId` was used at `now`. Never waits, never throws. */
  record(keyId: string, now: number): void {
    const previous = this.#pending.get(keyId);
    if (previous === undefined || now > previous) this.#pending.set(keyId, now);
    if (this.#pending.size > MAX_TRACKED_KEYS) {
      // Too many unwritten uses: write them all now, or, while storage is failing (a retry is
      // already scheduled), keep memory bounded by dropping the oldest.
      if (this.#failures > 0) this.#dropOldest();
      else this.#queue(true);
      return;
    }
    const written = this.#writtenAt.get(keyId);
    if (written === undefined || this.#options.clock() - written >= this.#options.intervalMs)
      this.#queue(false);
    else this.#arm(this.#options.intervalMs);
  }

  /** Writes every pending use now (also those inside their interval). Resolves when written or reported. */
  async flush(): Promise<void> {
    await this.#run(true);
  }

  /** Stops the timers; pending uses stay for a last {@link flush}. */
  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Queues a write of the due uses (or of all of them) on the next tick. */
  #queue(all: boolean): void {
    if (all) this.#soonAll = true;
    if (this.#soon) return;
    this.#soon = true;
    // One macrotask later: uses of the same burst land in one batch. Not unref'd: a first use
    // keeps the process alive for that tick, so it is not lost.
    setTimeout(() => {
      const writeAll = this.#soonAll;
      this.#soon = false;
      this.#soonAll = false;
      void this.#run(writeAll);
    }, 0);
  }

  /** A timer that writes uses whose interval has ended; it never keeps the process alive. */
  #arm(delayMs: number): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run(false);
    }, delayMs);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Runs one write at a time: waits for the one in progress, then writes. */
  async #run(all: boolean): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
    if (this.#pending.size === 0) return;
    const writing = this.#write(all);
    this.#flushing = writing;
    try {
      await writing;
    } finally {
      if (this.#flushing === writing) this.#flushing = null;
    }
  }

  /** Writes the due uses (or all), batch by batch; a failed batch is queued again. */
  async #write(all: boolean): Promise<void> {
    const now = this.#options.clock();
    this.#forgetBefore(now - this.#options.intervalMs);
    const due = this.#take(all || this.#pending.size > MAX_TRACKED_KEYS, now);
    for (let start = 0; start < due.length; start += TOUCH_BATCH) {
      const batch = due.slice(start, start + TOUCH_BATCH);
      try {
        await this.#options.storage.touchKeys({
          entries: batch.map(([keyId, at]) => ({ keyId, lastUsedAt: new Date(at) })),
        });
      } catch (error) {
        this.#requeue(due.slice(start));
        this.#failures++;
        this.#options.onError(error);
        this.#arm(Math.min(MAX_RETRY_MS, 100 * 2 ** Math.min(this.#failures, 10)));
        return;
      }
      this.#failures = 0;
      for (const [keyId] of batch) this.#remember(keyId, now);
    }
    if (this.#pending.size > 0) this.#arm(this.#options.intervalMs);
  }

  /** Removes and returns the pending uses to write: all of them, or those out of their interval. */
  #take(all: boolean, now: number): [string, number][] {
    const taken: [string, number][] = [];
    const interval = this.#options.intervalMs;
    for (const [keyId, at] of this.#pending) {
      const written = this.#writtenAt.get(keyId);
      if (!all && written !== undefined && now - written < interval) continue;
      taken.push([keyId, at]);
      this.#pending.delete(keyId);
    }
    return taken;
  }

  /** Puts uses back after a failed write, keeping the latest, within the memory bound. */
  #requeue(entries: readonly [string, number][]): void {
    for (const [keyId, at] of entries) {
      const current = this.#pending.get(keyId);
      if (current === undefined || at > current) this.#pending.set(keyId, at);
    }
    if (this.#pending.size > MAX_TRACKED_KEYS) this.#dropOldest();
  }

  /** Drops the oldest pending uses down to 90% of the bound, and reports how many. */
  #dropOldest(): void {
    let excess = this.#pending.size - Math.floor(MAX_TRACKED_KEYS * 0.9);
    this.#options.onError(new Error(`lastUsedAt: ${excess} uses dropped while storage was failing`));
    for (const keyId of this.#pending.keys()) {
      if (excess-- <= 0) break;
      this.#pending.delete(keyId);
    }
  }

  /** Remembers a write at `now`, oldest first, within the memory bound (the oldest tenth goes at once). */
  #remember(keyId: string, now: number): void {
    this.#writtenAt.delete(keyId);
    this.#writtenAt.set(keyId, now);
    if (this.#writtenAt.size <= MAX_TRACKED_KEYS) return;
    let excess = this.#writtenAt.size - Math.floor(MAX_TRACKED_KEYS * 0.9);
    for (const oldest of this.#writtenAt.keys()) {
      if (excess-- <= 0) break;
      this.#writtenAt.delete(oldest);
    }
  }

  /** Forgets writes made before `cutoff`: they no longer hold a use back. */
  #forgetBefore(cutoff: number): void {
    for (const [keyId, at] of this.#writtenAt) {
      if (at > cutoff) break;
      this.#writtenAt.delete(keyId);
    }
  }
}
