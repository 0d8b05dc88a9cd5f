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
 * @internal
 */
export class VerificationCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry>();

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

  /** Remembers a read made at `now`. */
  set(found: KeyWithAccount, now: number): void {
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(found.key.id, { found, until: now + this.#ttlMs });
  }

  /** Evicts one key. */
  evictKey(keyId: string): void {
    this.#entries.delete(keyId);
  }

  /** Evicts every key of an account (account changes are rare: a scan is fine). */
  evictAccount(serviceAccountId: string): void {
    for (const [keyId, entry] of this.#entries) {
      if (entry.found.account.id === serviceAccountId) this.#entries.delete(keyId);
    }
  }
}
