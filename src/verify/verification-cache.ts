import type { KeyWithAccount } from '../storage/storage-adapter.js';

interface Entry {
  readonly found: KeyWithAccount;
  readonly until: number;
}

/**
 * An optional in-process cache of the request path's storage read, by key id, for `ttlMs`.
 * Changes made through this instance evict at once (so a revocation, disable or delete here
 * applies to the very next request); changes made by other instances sharing the storage apply
 * within `ttlMs`. Unknown key ids are never cached, so a new key works at once everywhere.
 *
 * A read that was in flight while a change went through must not put the old row back after
 * the change evicted it. Every change therefore takes a stamp from a counter, and a read is
 * kept only if neither its key nor its account changed since the read began ({@link begin}).
 * The stamps of recent changes are kept by id; when they grow past `maxEntries` they are
 * replaced by one floor stamp: reads that began before it are not kept at all.
 *
 * @internal
 */
export class VerificationCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();
  /** The stamp of the latest change; a read that begins now is stamped with it. */
  #stamp = 0;
  /** Reads that began before this stamp are never kept (the change stamps before it were dropped). */
  #floor = 0;
  readonly #keyChanges = new Map<string, number>();
  readonly #accountChanges = new Map<string, number>();

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The cached read for `keyId`, if still fresh at `now`. */
  get(keyId: string, now: number): KeyWithAccount | undefined {
    const entry = this.#entries.get(keyId);
    if (entry === undefined) return undefined;
    if (entry.until > now) return entry.found;
    this.#entries.delete(keyId);
    return undefined;
  }

  /** The stamp of a storage read about to begin; give it back to {@link set}. */
  begin(): number {
    return this.#stamp;
  }

  /** Remembers a read made at `now` that began at stamp `began`, unless a change overtook it. */
  set(found: KeyWithAccount, now: number, began: number): void {
    if (began < this.#floor) return;
    if ((this.#keyChanges.get(found.key.id) ?? -1) > began) return;
    if ((this.#accountChanges.get(found.account.id) ?? -1) > began) return;
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(found.key.id, { found, until: now + this.#ttlMs });
  }

  /** A key changed through this instance: evicts it, and refuses reads of it already in flight. */
  keyChanged(keyId: string): void {
    this.#keyChanges.set(keyId, this.#nextStamp());
    this.#entries.delete(keyId);
  }

  /** An account changed through this instance: evicts its keys (a scan: account changes are rare). */
  accountChanged(serviceAccountId: string): void {
    this.#accountChanges.set(serviceAccountId, this.#nextStamp());
    for (const [keyId, entry] of this.#entries) {
      if (entry.found.account.id === serviceAccountId) this.#entries.delete(keyId);
    }
  }

  #nextStamp(): number {
    this.#stamp++;
    if (this.#keyChanges.size + this.#accountChanges.size >= this.#maxEntries) {
      this.#keyChanges.clear();
      this.#accountChanges.clear();
      this.#floor = this.#stamp;
    }
    return this.#stamp;
  }
}
