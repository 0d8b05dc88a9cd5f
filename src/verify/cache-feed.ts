import type { ChangeFeed, StorageChange } from '../storage/change-feed.js';
import type { VerificationCache } from './verification-cache.js';

/** A change feed keyward started for its cache. @internal */
export interface StartedFeed {
  /** The feed (its `live` and `sync` decide whether the cache serves). */
  readonly feed: ChangeFeed;
  /** Tells the feed of a change this instance committed (feeds that carry changes: Redis). */
  published(changes: readonly StorageChange[]): void;
  /** Stops the feed; never rejects. */
  stop(): Promise<void>;
}

/**
 * Starts `feed` for `cache`: changes evict, a gap drops everything. `undefined` without a feed
 * (a TTL-only cache). Failures (a start that rejects, a publish that fails) go to `onError`; the
 * cache then serves nothing until the feed is live.
 *
 * @internal
 */
export function startChangeFeed(
  feed: ChangeFeed | undefined,
  cache: VerificationCache,
  onError: (error: unknown) => void,
): StartedFeed | undefined {
  if (feed === undefined) return undefined;
  feed.start({ changed: (changes) => cache.changed(changes), gap: () => cache.dropAll() }).catch(onError);
  return {
    feed,
    published: (changes) => {
      feed.publish?.(changes).catch(onError);
    },
    stop: () => feed.stop().catch(onError),
  };
}
