import type { RateLimitVerdict } from '../../src/entries/http.js';
import type { VerifiedPrincipal } from '../../src/index.js';

/** Settings of {@link FixedWindowLimiter}. */
export interface RateLimitSettings {
  /** Requests allowed per key and window. */
  readonly limit: number;
  /** Window length in seconds. */
  readonly windowSeconds: number;
}

/**
 * The host-side rate limiter of the example: at most `limit` requests per key per fixed window,
 * in memory. keyward has no limiter of its own; it asks this one through the middleware's `limit`
 * hook and answers 429 with `Retry-After` when it says so. A fleet would count in Redis instead.
 */
export class FixedWindowLimiter {
  readonly #settings: RateLimitSettings;
  readonly #clock: () => number;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(settings: RateLimitSettings, clock: () => number = Date.now) {
    if (!Number.isInteger(settings.limit) || settings.limit < 1 || !(settings.windowSeconds > 0)) {
      throw new TypeError('rate limit: limit must be a positive integer and windowSeconds positive');
    }
    this.#settings = settings;
    this.#clock = clock;
  }

  /** Counts one request of `principal`'s key; refuses it once the window is full. */
  readonly hit = (principal: VerifiedPrincipal): RateLimitVerdict => {
    const now = this.#clock();
    const windowMs = this.#settings.windowSeconds * 1000;
    let window = this.#windows.get(principal.keyId);
    if (window === undefined || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(principal.keyId, window);
    }
    window.count += 1;
    if (window.count <= this.#settings.limit) return { limited: false };
    return { limited: true, retryAfterSeconds: (window.start + windowMs - now) / 1000 };
  };
}
