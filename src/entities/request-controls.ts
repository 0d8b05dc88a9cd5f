import { z } from 'zod';

/** Longest rate-limit window: one day. */
export const MAX_RATE_LIMIT_WINDOW_MS = 86_400_000;
/** Largest rate-limit capacity. */
export const MAX_RATE_LIMIT = 1_000_000;

/**
 * A named rate limit: at most `limit` requests per `windowMs` (a token bucket of capacity `limit`
 * refilled continuously over `windowMs`, see docs/request-controls.md). On an account it counts the
 * requests of all its keys together; on a key (or as a host default), that key's own.
 */
export const rateLimitRuleSchema = z.strictObject({
  /** `[a-z0-9_-]`, 1-32 characters, e.g. `default` or `burst`. */
  name: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'Use 1-32 characters a-z, 0-9, _ and -'),
  /** Requests per window, 1 to 1,000,000. */
  limit: z.number().int().min(1).max(MAX_RATE_LIMIT),
  /** The window in ms, 1 s to 1 day. */
  windowMs: z.number().int().min(1000).max(MAX_RATE_LIMIT_WINDOW_MS),
});

/** A named rate limit (see {@link rateLimitRuleSchema}). */
export interface RateLimitRule {
  /** `[a-z0-9_-]`, 1-32 characters. */
  readonly name: string;
  /** Requests per window. */
  readonly limit: number;
  /** The window in ms. */
  readonly windowMs: number;
}

/** At most 10 rate limits with distinct names. */
export const rateLimitListSchema = z
  .array(rateLimitRuleSchema)
  .max(10)
  .refine((rules) => new Set(rules.map((rule) => rule.name)).size === rules.length, {
    message: 'Rate limit names must be distinct',
  });

/** Largest credit balance and refill amount: 2^53 - 1 keeps every balance an exact JSON number. */
export const MAX_CREDITS = Number.MAX_SAFE_INTEGER;

/** How a key's credits refill: every `intervalMs`, the balance is *set* to `amount` (not added to). */
export const creditRefillSchema = z.strictObject({
  amount: z.number().int().min(1).max(MAX_CREDITS),
  /** 1 minute to 366 days. */
  intervalMs: z
    .number()
    .int()
    .min(60_000)
    .max(366 * 86_400_000),
});

/** A key's usage credits as stored: the balance, its refill, and when it was last refilled. */
export const keyCreditsSchema = z.strictObject({
  /** Requests (of cost 1) the key may still make; a request is refused `usage_exceeded` when its cost exceeds it. */
  remaining: z.number().int().min(0).max(MAX_CREDITS),
  refill: creditRefillSchema.nullable(),
  /** When the current refill interval began (set when credits are set, moved by each refill), or `null` without refill. */
  refilledAt: z.date().nullable(),
});

/** A key's usage credits (see {@link keyCreditsSchema}); `null` on a key means unlimited. */
export type KeyCredits = z.infer<typeof keyCreditsSchema>;

/**
 * An IP allowlist as stored: 1-1000 normalised CIDR blocks (`203.0.113.0/24`, `2001:db8::/32`),
 * checked when saved; `null` on a record means any address.
 */
export const storedIpAllowlistSchema = z.array(z.string().min(3).max(64)).min(1).max(1000);
