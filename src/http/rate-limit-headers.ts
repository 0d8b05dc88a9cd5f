import type { RateLimitStatus } from '../verify/verify-result.js';

/**
 * The IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers, as
 * Structured Field lists) for the limits a request took from: one item per limit, named
 * `key.<name>` or `account.<name>`, with the quota `q` and window `w` (seconds) in the policy and
 * the remaining quota `r` and seconds until it is whole `t` in `RateLimit`.
 *
 * @example
 * ```ts
 * rateLimitHeaders([{ name: 'default', scope: 'key', limit: 100, windowMs: 60_000, remaining: 41, resetMs: 35_400 }]);
 * // { 'ratelimit-policy': '"key.default";q=100;w=60', ratelimit: '"key.default";r=41;t=36' }
 * ```
 */
export function rateLimitHeaders(statuses: readonly RateLimitStatus[]): {
  'ratelimit-policy': string;
  ratelimit: string;
} {
  const policies: string[] = [];
  const states: string[] = [];
  for (const status of statuses) {
    // Names are [a-z0-9_-]: a Structured Field string needs no escaping.
    const item = `"${status.scope}.${status.name}"`;
    policies.push(`${item};q=${status.limit};w=${Math.ceil(status.windowMs / 1000)}`);
    states.push(`${item};r=${status.remaining};t=${Math.ceil(status.resetMs / 1000)}`);
  }
  return { 'ratelimit-policy': policies.join(', '), ratelimit: states.join(', ') };
}
