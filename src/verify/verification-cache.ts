import type { StorageChange } from '../storage/change-feed.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';

/** The settings of the cache after defaults. @internal */
export interface VerificationCacheOptions {
  /** How long a row is served without a refresh (the safety TTL behind change notifications). */
  readonly ttlMs: number;
  /** Most rows kept; beyond it the oldest go first. */
  readonly maxEntries: number;
  /** Most unknown key ids remembered (0 without a change feed: a key created elsewhere would go unseen). */
  readonly maxUnknown: number;
  /**
   * Whether a row past its TTL is served once more while it is read again (with a change feed);
   * without one the TTL is the only bound on staleness, so an expired row is a miss.
   */
  readonly staleWhileRevalidate: boolean;
}

interface Entry {
  readonly found: KeyWithAccount;
  /** Served as is until then; after it, served once more while a refresh reads the row again. */
  readonly freshUntil: number;
}

/** What the cache knows of a key id: its row (and whether to refresh it), that it is unknown, or nothing. */
export type CacheLookup =
  | { readonly found: KeyWithAccount; readonly refresh: boolean }
  | typeof UNKNOWN_KEY
  | undefined;

/** The cached answer for a key id no key has. @internal */
export const UNKNOWN_KEY = 'unknown' as const;

/**
 * The request path's read by key id, kept in process memory: rows of known keys, and a bounded
 * set of key ids that have no key (a scanner's ids cost one read each, not one per request).
 *
 * - **Changes evict at once**: those made through this instance, and those of every other
 *   instance sharing the storage, delivered by a change feed ({@link changed}). A key created
 *   anywhere evicts its id from the unknown set, so a new key works at once.
 * - **A gap drops everything** ({@link dropAll}): after a feed lost its connection nothing cached
 *   is trusted.
 * - **Safety TTL**: a row older than `ttlMs` is served once more while it is read again in the
 *   background (stale-while-revalidate): only a change no feed reported can outlive it, by one
 *   read at most. Revocations are changes: they never wait for the TTL.
 * - **Reads overtaken by a change are not kept**: every change takes a stamp, and a read is kept
 *   only when neither its key nor its account changed since it began ({@link begin}).
 * - **Bounded**: at most `maxEntries` rows (oldest first out, a hit moves a row to the back every
 *   refresh) and `maxUnknown` unknown ids; the stamps of recent changes are bounded the same way.
 *
 * @internal
 */
export class VerificationCache {
  readonly #options: VerificationCacheOptions;
  readonly #entries = new Map<string, Entry>();
  /** Which cached keys belong to each account, so an account change evicts them without a scan. */
  readonly #keysOfAccount = new Map<string, Set<string>>();
  /** Key ids with no key, and until when that holds. */
  readonly #unknown = new Map<string, number>();
  /** The stamp of the latest change; a read that begins now is stamped with it. */
  #stamp = 0;
  /** Reads that began before this stamp are never kept (a gap, or change stamps that were dropped). */
  #floor = 0;
  readonly #keyChanges = new Map<string, number>();
  readonly #accountChanges = new Map<string, number>();

  constructor(options: VerificationCacheOptions) {
    this.#options = options;
  }

  /** Rows held, for tests and figures. */
  get size(): number {
    return this.#entries.size;
  }

  /** What is known of `keyId` at `now`. */
  get(keyId: string, now: number): CacheLookup {
    const entry = this.#entries.get(keyId);
    if (entry !== undefined) {
      if (entry.freshUntil > now) return { found: entry.found, refresh: false };
      if (this.#options.staleWhileRevalidate) return { found: entry.found, refresh: true };
      this.#evictKey(keyId);
      return undefined;
    }
    const unknownUntil = this.#unknown.get(keyId);
    if (unknownUntil === undefined) return undefined;
    if (unknownUntil > now) return UNKNOWN_KEY;
    this.#unknown.delete(keyId);
    return undefined;
  }

  /** The stamp of a storage read about to begin; give it back to {@link set} or {@link setUnknown}. */
  begin(): number {
    return this.#stamp;
  }

  /** Remembers a read made at `now` that began at stamp `began`, unless a change overtook it. */
  set(found: KeyWithAccount, now: number, began: number): void {
    const keyId = found.key.id;
    if (this.#overtaken(keyId, began) || (this.#accountChanges.get(found.account.id) ?? -1) > began) return;
    this.#evictKey(keyId);
    if (this.#entries.size >= this.#options.maxEntries) this.#evictOldest();
    this.#entries.set(keyId, { found, freshUntil: now + this.#options.ttlMs });
    let keys = this.#keysOfAccount.get(found.account.id);
    if (keys === undefined) {
      keys = new Set();
      this.#keysOfAccount.set(found.account.id, keys);
    }
    keys.add(keyId);
  }

  /** Remembers that no key has `keyId` (a read that began at `began`), unless a key was created since. */
  setUnknown(keyId: string, now: number, began: number): void {
    if (this.#options.maxUnknown === 0 || this.#overtaken(keyId, began)) return;
    if (this.#unknown.size >= this.#options.maxUnknown) {
      const oldest = this.#unknown.keys().next().value;
      if (oldest !== undefined) this.#unknown.delete(oldest);
    }
    this.#unknown.set(keyId, now + this.#options.ttlMs);
  }

  /** Committed changes (from this instance or a change feed): evicts them, and refuses reads of them in flight. */
  changed(changes: readonly StorageChange[]): void {
    for (const change of changes) {
      if (change.kind === 'key') this.keyChanged(change.id);
      else this.accountChanged(change.id);
    }
  }

  /** A key was created, changed or deleted. */
  keyChanged(keyId: string): void {
    this.#keyChanges.set(keyId, this.#nextStamp());
    this.#evictKey(keyId);
    this.#unknown.delete(keyId);
  }

  /** An account changed: evicts its keys. */
  accountChanged(serviceAccountId: string): void {
    this.#accountChanges.set(serviceAccountId, this.#nextStamp());
    const keys = this.#keysOfAccount.get(serviceAccountId);
    if (keys === undefined) return;
    for (const keyId of keys) this.#entries.delete(keyId);
    this.#keysOfAccount.delete(serviceAccountId);
  }

  /** Changes may have been missed: forgets everything, and keeps no read already in flight. */
  dropAll(): void {
    this.#entries.clear();
    this.#keysOfAccount.clear();
    this.#unknown.clear();
    this.#keyChanges.clear();
    this.#accountChanges.clear();
    this.#stamp++;
    this.#floor = this.#stamp;
  }

  #overtaken(keyId: string, began: number): boolean {
    return began < this.#floor || (this.#keyChanges.get(keyId) ?? -1) > began;
  }

  #evictKey(keyId: string): void {
    const entry = this.#entries.get(keyId);
    if (entry === undefined) return;
    this.#entries.delete(keyId);
    const keys = this.#keysOfAccount.get(entry.found.account.id);
    keys?.delete(keyId);
    if (keys?.size === 0) this.#keysOfAccount.delete(entry.found.account.id);
  }

  /** Drops the oldest tenth of the rows: one pass now and then rather than one eviction per insert. */
  #evictOldest(): void {
    let excess = Math.max(1, Math.floor(this.#options.maxEntries / 10));
    for (const keyId of this.#entries.keys()) {
      if (excess-- <= 0) break;
      this.#evictKey(keyId);
    }
  }

  #nextStamp(): number {
    this.#stamp++;
    if (this.#keyChanges.size + this.#accountChanges.size >= this.#options.maxEntries) {
      this.#keyChanges.clear();
      this.#accountChanges.clear();
      this.#floor = this.#stamp;
    }
    return this.#stamp;
  }
}
