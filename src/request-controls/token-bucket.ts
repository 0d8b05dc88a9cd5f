import type { RateLimitCheck, RateLimitOutcome, RateLimitState } from './rate-limiter.js';

/**
 * What a limiter stores for one bucket: its tokens (a float) as of `updatedAt` (epoch ms). A
 * bucket with no stored state is full.
 *
 * @internal
 */
export interface TokenBucketState {
  readonly tokens: number;
  readonly updatedAt: number;
}

/**
 * The arithmetic every {@link RateLimiter} shares (the Redis script repeats it in Lua, operation
 * for operation, so that every backend gives the same answer to the same takes):
 *
 * - refill: `min(limit, tokens + (max(0, now - updatedAt) * limit) / windowMs)`;
 * - a check passes when its bucket holds at least `cost` (a cost above `limit` never does);
 * - `remaining` = floor(tokens after the take), `resetMs` = ceil(((limit - tokens) * windowMs) / limit);
 * - `retryAfterMs` = the largest ceil(((cost - tokens) * windowMs) / limit) of the refusing checks
 *   (`windowMs` for a cost above `limit`), at least 1.
 *
 * Checks are taken in order: a bucket named twice in one take gives its cost twice.
 *
 * @internal
 */
export interface TokenBucketTake {
  /** The answer to the caller. */
  readonly outcome: RateLimitOutcome;
  /**
   * When allowed, the state to store for each check, in order (for a bucket named twice, the
   * later entry is the one to keep); `null` when refused: nothing changes.
   */
  readonly next: readonly TokenBucketState[] | null;
}

/**
 * The tokens of a bucket at `now`: `stored` refilled (a missing bucket is full), capped at the
 * check's `limit`; a `now` before `updatedAt` refills nothing.
 *
 * @internal
 */
export function refilledTokens(
  stored: TokenBucketState | undefined,
  check: Pick<RateLimitCheck, 'limit' | 'windowMs'>,
  now: number,
): number {
  if (stored === undefined) return check.limit;
  const elapsed = now > stored.updatedAt ? now - stored.updatedAt : 0;
  const tokens = stored.tokens + (elapsed * check.limit) / check.windowMs;
  return Math.min(tokens, check.limit);
}

/**
 * Milliseconds until a bucket holding `tokens` is full again.
 *
 * @internal
 */
export function resetMsOf(tokens: number, check: RateLimitCheck): number {
  return Math.ceil(((check.limit - tokens) * check.windowMs) / check.limit);
}

/**
 * Milliseconds until a bucket holding `tokens` holds the check's `cost` (`windowMs` when the
 * cost is above the limit: never), at least 1.
 *
 * @internal
 */
export function retryAfterMsOf(tokens: number, check: RateLimitCheck): number {
  if (check.cost > check.limit) return check.windowMs;
  const wait = Math.ceil(((check.cost - tokens) * check.windowMs) / check.limit);
  return Math.max(wait, 1);
}

/**
 * The state a check reports: after its cost was taken, or, when `taken` is false, as it is
 * (`remaining` 0 when the bucket lacks the cost).
 *
 * @internal
 */
export function bucketState(check: RateLimitCheck, tokens: number, remaining: number): RateLimitState {
  return {
    bucket: check.bucket,
    limit: check.limit,
    windowMs: check.windowMs,
    remaining,
    resetMs: resetMsOf(tokens, check),
  };
}

/** Index of the last check before `index` on the same bucket, or -1. */
function earlierCheckOf(checks: readonly RateLimitCheck[], index: number): number {
  const bucket = (checks[index] as RateLimitCheck).bucket;
  for (let earlier = index - 1; earlier >= 0; earlier--) {
    if ((checks[earlier] as RateLimitCheck).bucket === bucket) return earlier;
  }
  return -1;
}

/**
 * Takes every check's cost at `now`, or none: the whole rule of {@link TokenBucketTake}, over
 * the stored state of each check's bucket (`stored(i)`, `undefined` when missing).
 *
 * @internal
 */
export function takeTokens(
  checks: readonly RateLimitCheck[],
  stored: (index: number) => TokenBucketState | undefined,
  now: number,
): TokenBucketTake {
  const count = checks.length;
  const before = new Array<number>(count);
  const after = new Array<number>(count);
  let refusedBy = -1;
  let retryAfterMs = 0;
  for (let index = 0; index < count; index++) {
    const check = checks[index] as RateLimitCheck;
    const earlier = count > 1 ? earlierCheckOf(checks, index) : -1;
    const tokens =
      earlier === -1
        ? refilledTokens(stored(index), check, now)
        : Math.min(check.limit, after[earlier] as number);
    before[index] = tokens;
    if (tokens >= check.cost) {
      after[index] = tokens - check.cost;
      continue;
    }
    after[index] = tokens;
    if (refusedBy === -1) refusedBy = index;
    retryAfterMs = Math.max(retryAfterMs, retryAfterMsOf(tokens, check));
  }
  if (refusedBy === -1) {
    const states = checks.map((check, index) => {
      const tokens = after[index] as number;
      return bucketState(check, tokens, Math.floor(tokens));
    });
    const next = checks.map((_, index) => ({
      tokens: after[index] as number,
      updatedAt: Math.max(stored(index)?.updatedAt ?? now, now),
    }));
    return { outcome: { allowed: true, states }, next };
  }
  const states = checks.map((check, index) => {
    const tokens = before[index] as number;
    return bucketState(check, tokens, tokens >= check.cost ? Math.floor(tokens) : 0);
  });
  return { outcome: { allowed: false, states, refusedBy, retryAfterMs }, next: null };
}
