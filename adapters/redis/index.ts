/**
 * `keyward/redis`: a `RateLimiter` whose token buckets live in Redis, shared by every instance
 * of a fleet: `redisRateLimiter({ client })`, passed to keyward as `rateLimits.limiter`; and a
 * `ChangeFeed` over Redis pub/sub that tells every instance what changed, so each evicts its
 * cache at once: `redisChangeFeed({ client })`.
 *
 * Needs `ioredis` (5 or later) installed next to keyward: an optional peer dependency, so hosts
 * that do not use Redis do not get it (`npm install ioredis`). You create the client; keyward
 * only uses it.
 *
 * @packageDocumentation
 * @module keyward/redis
 */

export type {
  RateLimitCheck,
  RateLimiter,
  RateLimitOutcome,
  RateLimitState,
} from '../../src/request-controls/rate-limiter.js';
export type {
  ChangeFeed,
  ChangeFeedListener,
  StorageChange,
} from '../../src/storage/change-feed.js';
export { type RedisChangeFeedOptions, redisChangeFeed } from './redis-change-feed.js';
export { type RedisRateLimiterOptions, redisRateLimiter } from './redis-rate-limiter.js';
