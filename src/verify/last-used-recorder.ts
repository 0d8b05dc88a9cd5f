import type { StorageAdapter } from '../storage/storage-adapter.js';

/**
 * Records `lastUsedAt` without a storage write per request: at most one write per key per
 * `intervalMs`, batched into one `touchKeys` call per tick.
 *
 * @internal
 */
export class LastUsedRecorder {
  readonly #storage: StorageAdapter;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #written = new Map<string, number>();
  #pending = new Map<string, number>();
  #flushing: Promise<void> | null = null;

  constructor(storage: StorageAdapter, intervalMs: number, onError: (error: unknown) => void) {
    this.#storage = storage;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** Notes that `keyId` was used at `now`; schedules a write only when the interval has passed. */
  record(keyId: string, now: number): void {
    const last = this.#written.get(keyId);
    if (last !== undefined && now - last < this.#intervalMs) return;
    this.#written.set(keyId, now);
    this.#pending.set(keyId, now);
    if (this.#flushing === null) this.#flushing = this.#scheduleFlush();
  }

  /** Writes whatever is pending now. */
  async flush(): Promise<void> {
    while (this.#flushing !== null) await this.#flushing;
  }

  async #scheduleFlush(): Promise<void> {
    // One macrotask later: requests of the same burst land in one batch. Not unref'd, so a
    // pending write keeps a process alive for that tick and is not lost.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      const entries = [...batch].map(([keyId, at]) => ({ keyId, lastUsedAt: new Date(at) }));
      if (entries.length > 0) await this.#storage.touchKeys({ entries });
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#flushing = this.#pending.size > 0 ? this.#scheduleFlush() : null;
    }
  }
}
