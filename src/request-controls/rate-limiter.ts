/**
 * One bucket a request takes from. Buckets are token buckets: each holds at most `limit` tokens
 * and refills continuously at `limit` tokens per `windowMs`; a request takes `cost` tokens.
 */
export interface RateLimitCheck {
  /** The bucket's identity, opaque to the limiter (keyward uses `k:<keyId>:<name>` and `a:<accountId>:<name>`). */
  readonly bucket: string;
  /** Capacity: the most requests (of cost 1) a full bucket lets through at once, 1 to 1,000,000. */
  readonly limit: number;
  /** How long an empty bucket takes to fill again, in ms (1 ms to 1 day). */
  readonly windowMs: number;
  /** Tokens this request takes, at least 1 (keyward passes 1). */
  readonly cost: number;
}

/** The state of one bucket after a {@link RateLimiter.take}: what the `RateLimit` headers report. */
export interface RateLimitState {
  /** The bucket, as in the check. */
  readonly bucket: string;
  /** Capacity, as in the check. */
  readonly limit: number;
  /** Window, as in the check. */
  readonly windowMs: number;
  /** Whole tokens left after this request (0 when refused for lack of tokens), `0 <= remaining <= limit`. */
  readonly remaining: number;
  /** Milliseconds until the bucket is full again (0 when it is full). */
  readonly resetMs: number;
}

/**
 * What a {@link RateLimiter.take} answers: allowed (every bucket held enough and each gave its
 * cost), or refused (no bucket gave anything) with the first refusing check and how long until
 * the request would pass.
 */
export type RateLimitOutcome =
  | { readonly allowed: true; readonly states: readonly RateLimitState[] }
  | {
      readonly allowed: false;
      readonly states: readonly RateLimitState[];
      /** Index in `checks` of the first bucket that lacked tokens. */
      readonly refusedBy: number;
      /** Milliseconds until every bucket holds enough for this request (at least 1). */
      readonly retryAfterMs: number;
    };

/**
 * Where rate-limit buckets live: memory (one process), SQL (SQLite, PostgreSQL) or Redis (a fleet).
 * Every implementation passes `runRateLimiterConformance` from `keyward/testing`.
 *
 * Contract:
 * - `take` is atomic and all-or-nothing over its checks: either every bucket holds at least its
 *   `cost` and every one gives it, or none changes. Atomic across every process sharing the
 *   limiter's store: N concurrent takes against a bucket of `limit` L never allow more than L.
 * - Time is the caller's `now` (epoch ms); a `now` earlier than a bucket's last update refills
 *   nothing (clock skew between instances never mints tokens).
 * - A bucket never seen, or idle for a whole window, is full. A bucket whose `limit` or `windowMs`
 *   changed is capped at the new limit.
 * - Never throws for a refusal; throws (rejects) only when the store cannot be reached, and
 *   keyward then refuses the request (`storage_unavailable`): fail closed.
 */
export interface RateLimiter {
  /** A short name for diagnostics: `memory`, `sqlite`, `postgres`, `redis`. */
  readonly name: string;
  /** Takes `cost` from every bucket of `checks` at `now`, or from none. */
  take(checks: readonly RateLimitCheck[], now: number): Promise<RateLimitOutcome>;
  /** Releases what the limiter owns (not a host-provided client or database). */
  close?(): Promise<void>;
}
