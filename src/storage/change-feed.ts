/** A record that changed (or was created, or deleted): a key, or an account (its keys with it). */
export interface StorageChange {
  /** `key`: the key with this id; `account`: the account with this id and every key it owns. */
  readonly kind: 'key' | 'account';
  /** The key id or account id. */
  readonly id: string;
}

/** Where a {@link ChangeFeed} delivers. */
export interface ChangeFeedListener {
  /** Changes committed by some instance sharing the storage (this one included, possibly). */
  changed(changes: readonly StorageChange[]): void;
  /**
   * Changes may have been missed (the connection dropped, delivery restarted, a backlog was
   * pruned): everything cached from the storage must be dropped. Called before `live` turns true
   * again after any interruption.
   */
  gap(): void;
}

/**
 * Tells every keyward instance sharing a storage what changed, so each can evict its cache at
 * once. Implementations: `postgresChangeFeed` (LISTEN/NOTIFY: the Kysely adapter sends a NOTIFY
 * in the transaction of every change, so it is delivered only on commit), `sqliteChangeFeed`
 * (a changes table written in the same transaction, read when `PRAGMA data_version` moved) from
 * `keyward/adapters/kysely`, and `redisChangeFeed` from `keyward/redis` (pub/sub: keyward
 * publishes after each commit).
 *
 * Contract: while `live` is false a cache must serve nothing from this storage; every
 * interruption is followed by `gap()` before `live` is true again; a change committed while
 * `live` is true reaches `changed` (or the next `sync()`), never silently lost.
 */
export interface ChangeFeed {
  /** A short name for diagnostics: `postgres`, `sqlite`, `redis`. */
  readonly name: string;
  /** True while delivery is known to be complete (listening, connected); a cache serves only then. */
  readonly live: boolean;
  /** Starts delivery to `listener` (one listener per feed). Resolves once live (or rejects). */
  start(listener: ChangeFeedListener): Promise<void>;
  /**
   * Synchronous and cheap catch-up, called before a cached read is served: delivers to the
   * listener, before returning, every change other connections committed since the last call.
   * Feeds that push changes leave it out.
   */
  sync?(): void;
  /**
   * Called by keyward after each change it committed, for feeds that carry changes themselves
   * (Redis pub/sub). Resolves once sent; a rejection is reported to `onBackgroundError`.
   */
  publish?(changes: readonly StorageChange[]): Promise<void>;
  /** Stops delivery and releases what the feed opened (never the host's own clients). */
  stop(): Promise<void>;
}
