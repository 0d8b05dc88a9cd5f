import type { Redis } from 'ioredis';
import type { ChangeFeed, ChangeFeedListener } from '../../src/storage/change-feed.js';
import { decodeChanges, encodeChanges } from './change-payload.js';

/** Options of {@link redisChangeFeed}. */
export interface RedisChangeFeedOptions {
  /**
   * Your ioredis client (`new Redis(url)`), which publishes. The feed subscribes on a connection
   * of its own, `client.duplicate()` (a subscribed connection can publish nothing), with your
   * client's options: its `retryStrategy` decides how the subscriber reconnects. keyward never
   * closes your client.
   */
  readonly client: Redis;
  /**
   * The pub/sub channel (default `keyward:changes`). Every instance sharing a storage must use
   * the same one; instances of unrelated storages on one Redis server, different ones.
   */
  readonly channel?: string | undefined;
}

const DEFAULT_CHANNEL = 'keyward:changes';

/** The subscriber events that mean delivery may have stopped. */
const INTERRUPTIONS = ['close', 'end', 'error', 'reconnecting'] as const;

/** Where the feed stands: `live` in the feed object says whether delivery is complete. */
type FeedState = 'idle' | 'starting' | 'running' | 'stopped';

function checkOptions(options: RedisChangeFeedOptions): string {
  const { client } = options;
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.duplicate !== 'function' ||
    typeof client.publish !== 'function' ||
    client.isCluster === true
  ) {
    throw new TypeError('redisChangeFeed: client must be an ioredis Redis client (not a Cluster)');
  }
  const channel = options.channel ?? DEFAULT_CHANNEL;
  if (typeof channel !== 'string' || channel === '') {
    throw new TypeError('redisChangeFeed: channel must be a non-empty string');
  }
  return channel;
}

/** Disconnects `subscriber`, resolving once it has ended (at once when it was not connected). */
function closeSubscriber(subscriber: Redis): Promise<void> {
  return new Promise((resolve) => {
    subscriber.once('end', () => resolve());
    subscriber.disconnect();
    // Between two reconnection attempts there is no socket: disconnect() only cancels the next
    // attempt, and no `end` follows.
    if (
      subscriber.status !== 'connecting' &&
      subscriber.status !== 'connect' &&
      subscriber.status !== 'ready'
    ) {
      resolve();
    }
  });
}

/**
 * A {@link ChangeFeed} over Redis pub/sub (name `redis`): keyward publishes each committed
 * change on `channel` through your client, and every instance's feed, subscribed on a duplicate
 * of its client, delivers it to its cache.
 *
 * - `publish(changes)` sends one `PUBLISH` of a compact JSON array (`["k:<key id>","a:<account
 *   id>"]`) and resolves once Redis has acknowledged it. A message the feed cannot read reports
 *   a gap.
 * - `live` is true only while subscribed. When the subscriber's connection closes, ends, errs or
 *   starts reconnecting, `live` turns false and the listener gets `gap()`; once ioredis has
 *   reconnected and Redis has confirmed the subscription again, `gap()` again, then `live` is
 *   true. What was published in between is never delivered: the second gap drops whatever the
 *   cache read meanwhile. `start()` itself reports no gap (the cache starts empty).
 * - `stop()` closes the duplicate connection only.
 *
 * Redis pub/sub is at-most-once, and keyward publishes after the commit: an instance that
 * commits a change and dies before publishing leaves the others' caches stale until their
 * safety TTL. On PostgreSQL, prefer `postgresChangeFeed`, whose NOTIFY is part of the
 * transaction. See docs/fleet.md.
 *
 * Needs `ioredis` (5 or later) installed next to keyward. Throws a `TypeError` at once when
 * `client` is not an ioredis `Redis` client or `channel` is empty. On Redis Cluster, pass a
 * `Redis` client of one node: Cluster broadcasts `PUBLISH` to every node.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisChangeFeed } from 'keyward/redis';
 *
 * const changes = redisChangeFeed({ client: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') });
 * ```
 */
export function redisChangeFeed(options: RedisChangeFeedOptions): ChangeFeed {
  const channel = checkOptions(options);
  const { client } = options;
  let state: FeedState = 'idle';
  let live = false;
  let listener: ChangeFeedListener | null = null;
  let subscriber: Redis | null = null;
  // Bumped at every interruption: a subscription confirmed in an older epoch proves nothing.
  let epoch = 0;
  let subscribingEpoch = -1;

  function onMessage(_channel: string, message: string): void {
    // Delivered from the first confirmed subscription on, before start() resolves included.
    if (state === 'stopped' || listener === null) return;
    const changes = decodeChanges(message);
    if (changes === null) listener.gap();
    else if (changes.length > 0) listener.changed(changes);
  }

  /** Subscribes on the current connection; once confirmed in the same epoch, gap then live. */
  async function resubscribe(): Promise<void> {
    const at = epoch;
    if (subscriber === null || subscribingEpoch === at) return;
    subscribingEpoch = at;
    try {
      await subscriber.subscribe(channel);
    } catch {
      return; // the connection dropped again: its next `ready` subscribes again
    }
    if (state !== 'running' || at !== epoch || listener === null) return;
    listener.gap();
    live = true;
  }

  function onInterruption(): void {
    epoch++;
    if (state !== 'running') return;
    if (live) {
      live = false;
      listener?.gap();
    }
    // An error that left the connection open brings no `ready`: subscribe again on it.
    setImmediate(() => {
      if (state === 'running' && !live && subscriber?.status === 'ready') void resubscribe();
    });
  }

  function onReady(): void {
    if (state === 'running') void resubscribe();
  }

  return {
    name: 'redis',
    get live() {
      return live;
    },
    async start(next) {
      if (state !== 'idle') throw new Error('redisChangeFeed: start() was called already');
      state = 'starting';
      listener = next;
      const own = client.duplicate({ lazyConnect: true, autoResubscribe: false });
      subscriber = own;
      own.on('message', onMessage);
      for (const event of INTERRUPTIONS) own.on(event, onInterruption);
      own.on('ready', onReady);
      const at = epoch;
      try {
        await own.connect();
        await own.subscribe(channel);
        if (at !== epoch) throw new Error('the connection dropped');
      } catch (error) {
        state = 'stopped';
        await closeSubscriber(own);
        throw new Error(`redisChangeFeed: could not subscribe to ${channel}`, { cause: error });
      }
      if (state !== 'starting') return; // stopped meanwhile
      state = 'running';
      live = true;
    },
    async publish(changes) {
      if (changes.length === 0) return;
      await client.publish(channel, encodeChanges(changes));
    },
    async stop() {
      const was = state;
      state = 'stopped';
      live = false;
      if (was === 'stopped' || subscriber === null) return;
      await closeSubscriber(subscriber);
    },
  };
}
