import type { RateLimitRule } from '../entities/request-controls.js';
import type { RateLimitCheck, RateLimiter, RateLimitOutcome } from '../request-controls/rate-limiter.js';
import type { KeyWithAccount } from '../storage/storage-adapter.js';
import type { RateLimitStatus } from './verify-result.js';

/** What a key's rate limits answered: allowed or not, each limit's state; `undefined` when the limiter failed. */
export type RateLimitVerdict =
  | { readonly allowed: true; readonly statuses: readonly RateLimitStatus[] }
  | { readonly allowed: false; readonly statuses: readonly RateLimitStatus[]; readonly retryAfterMs: number };

/** One rule in effect for a key, with its scope. */
interface ScopedRule {
  readonly rule: RateLimitRule;
  readonly scope: 'key' | 'account';
}

/**
 * The rate limits of the request path. The limits in effect for a key: its account's (one bucket
 * per account and name, shared by all its keys), its own (one bucket per key and name), and the
 * host's defaults (per key) whose name the key does not define itself. All are taken at once,
 * all-or-nothing: a refused request takes from none.
 *
 * @internal
 */
export class RateLimits {
  readonly #limiter: () => RateLimiter;
  readonly #defaults: readonly RateLimitRule[];
  /** The rules and checks of a read, built once: a cached read is the same object on every request. */
  readonly #built = new WeakMap<KeyWithAccount, { rules: ScopedRule[]; checks: RateLimitCheck[] }>();

  constructor(limiter: () => RateLimiter, defaults: readonly RateLimitRule[]) {
    this.#limiter = limiter;
    this.#defaults = defaults;
  }

  /** True when `found` has no limit in effect (nothing to take). */
  none(found: KeyWithAccount): boolean {
    return (
      this.#defaults.length === 0 &&
      found.key.rateLimits.length === 0 &&
      found.account.rateLimits.length === 0
    );
  }

  /** Takes one request from every limit in effect for `found`; `undefined` when the limiter failed. */
  async take(found: KeyWithAccount, now: number): Promise<RateLimitVerdict | undefined> {
    const { rules, checks } = this.#checksOf(found);
    let outcome: RateLimitOutcome;
    try {
      outcome = await this.#limiter().take(checks, now);
    } catch {
      return undefined;
    }
    const statuses = outcome.states.map(
      (state, index): RateLimitStatus => ({
        name: (rules[index] as ScopedRule).rule.name,
        scope: (rules[index] as ScopedRule).scope,
        limit: state.limit,
        windowMs: state.windowMs,
        remaining: state.remaining,
        resetMs: state.resetMs,
      }),
    );
    return outcome.allowed
      ? { allowed: true, statuses }
      : { allowed: false, statuses, retryAfterMs: outcome.retryAfterMs };
  }

  #checksOf(found: KeyWithAccount): { rules: ScopedRule[]; checks: RateLimitCheck[] } {
    let built = this.#built.get(found);
    if (built === undefined) {
      const rules = this.#rulesOf(found);
      const checks = rules.map(({ rule, scope }) => ({
        bucket: scope === 'account' ? `a:${found.account.id}:${rule.name}` : `k:${found.key.id}:${rule.name}`,
        limit: rule.limit,
        windowMs: rule.windowMs,
        cost: 1,
      }));
      built = { rules, checks };
      this.#built.set(found, built);
    }
    return built;
  }

  #rulesOf(found: KeyWithAccount): ScopedRule[] {
    const own = found.key.rateLimits;
    const rules: ScopedRule[] = found.account.rateLimits.map((rule) => ({ rule, scope: 'account' }));
    for (const rule of own) rules.push({ rule, scope: 'key' });
    for (const rule of this.#defaults) {
      if (!own.some((mine) => mine.name === rule.name)) rules.push({ rule, scope: 'key' });
    }
    return rules;
  }
}
