import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type {
  RateLimitCheck,
  RateLimiter,
  RateLimitOutcome,
  RateLimitState,
} from '../../src/request-controls/rate-limiter.js';
import { TAKE_SCRIPT } from './take-script.js';

/** Options of {@link redisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /**
   * Your ioredis client (`new Redis(url)` or `new Redis.Cluster(nodes)`). keyward never closes
   * it, and sets no option on it: its retry and offline-queue options decide how long a take
   * waits for an unreachable server before it rejects.
   */
  readonly client: Redis | Cluster;
  /**
   * Prefix of every bucket's key (default `keyward:rl:`). On a Cluster, every bucket must share
   * one hash slot (a take over several buckets runs as one script): a prefix without a hash tag
   * is put in braces, `{keyward:rl:}`, which keeps every bucket on one shard (so it must not be
   * empty there).
   */
  readonly keyPrefix?: string | undefined;
}

const DEFAULT_KEY_PREFIX = 'keyward:rl:';

const TAKE_SCRIPT_SHA1 = createHash('sha1').update(TAKE_SCRIPT).digest('hex');

/**
 * The prefix bucket keys get: `keyPrefix`, or on a Cluster, `keyPrefix` in braces unless it holds
 * a hash tag already (`{` then, later, a `}` with something between). Throws a `TypeError` for an
 * empty prefix on a Cluster (an empty tag `{}` would not keep buckets in one slot).
 *
 * @internal
 */
export function bucketKeyPrefix(keyPrefix: string, cluster: boolean): string {
  if (!cluster) return keyPrefix;
  if (keyPrefix === '') throw new TypeError('redisRateLimiter: keyPrefix must not be empty on a Cluster');
  const open = keyPrefix.indexOf('{');
  const close = open === -1 ? -1 : keyPrefix.indexOf('}', open + 1);
  return close > open + 1 ? keyPrefix : `{${keyPrefix}}`;
}

/** Reads the script's reply: `[allowed, refusedBy, retryAfterMs, (remaining, resetMs) per check]`. */
function outcomeOf(checks: readonly RateLimitCheck[], reply: unknown): RateLimitOutcome {
  if (!Array.isArray(reply) || reply.length !== 3 + 2 * checks.length) {
    throw new Error('redisRateLimiter: unexpected reply from the take script');
  }
  const numbers = reply.map(Number);
  const states = checks.map(
    (check, index): RateLimitState => ({
      bucket: check.bucket,
      limit: check.limit,
      windowMs: check.windowMs,
      remaining: numbers[3 + 2 * index] as number,
      resetMs: numbers[4 + 2 * index] as number,
    }),
  );
  if (numbers[0] === 1) return { allowed: true, states };
  return {
    allowed: false,
    states,
    refusedBy: numbers[1] as number,
    retryAfterMs: numbers[2] as number,
  };
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * A {@link RateLimiter} whose token buckets live in Redis (name `redis`), shared by every
 * instance of a fleet that uses the same server. Each take is one Lua script (`EVALSHA`, loaded
 * with `EVAL` when the server answers `NOSCRIPT`), so it is atomic and all-or-nothing over its
 * buckets across every client and process. A bucket is a hash (`tokens`, `updatedAt`) at
 * `keyPrefix + bucket`, expiring a window after its last take (it is full by then anyway).
 *
 * Time is the caller's `now`, never Redis `TIME`, so that every backend answers alike; instances
 * should keep their clocks in sync (a clock behind refills nothing, see `RateLimiter`). A take
 * rejects when Redis cannot be reached, and keyward then refuses the request.
 *
 * Needs `ioredis` (5 or later) installed next to keyward; you pass your client, keyward never
 * closes it. Throws a `TypeError` at once when `client` is not an ioredis client, or `keyPrefix`
 * not a string (or empty, on a Cluster).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { redisRateLimiter } from 'keyward/redis';
 *
 * const limiter = redisRateLimiter({ client: new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') });
 * ```
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { client } = options;
  if (typeof client !== 'object' || client === null || typeof client.evalsha !== 'function') {
    throw new TypeError('redisRateLimiter: client must be an ioredis Redis or Cluster client');
  }
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') throw new TypeError('redisRateLimiter: keyPrefix must be a string');
  const prefix = bucketKeyPrefix(keyPrefix, client.isCluster === true);

  async function run(keys: readonly string[], args: readonly string[]): Promise<unknown> {
    try {
      return await client.evalsha(TAKE_SCRIPT_SHA1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return client.eval(TAKE_SCRIPT, keys.length, ...keys, ...args);
    }
  }

  return {
    name: 'redis',
    async take(checks, now) {
      if (checks.length === 0) return { allowed: true, states: [] };
      const keys = checks.map((check) => `${prefix}${check.bucket}`);
      const args = [String(now)];
      for (const check of checks) args.push(String(check.limit), String(check.windowMs), String(check.cost));
      return outcomeOf(checks, await run(keys, args));
    },
  };
}
