import type { KeyCreditsInput } from '../../entities/key-credits-input.js';
import type { KeyCredits } from '../../entities/request-controls.js';

/**
 * The credits to store for credits given at `at`: the balance and refill as given, the refill
 * interval starting `at` (`refilledAt`, `null` without refill); `null` (unlimited) for `null`.
 *
 * @internal
 * @example
 * ```ts
 * creditsOf({ remaining: 10, refill: { amount: 10, intervalMs: 60_000 } }, now);
 * // { remaining: 10, refill: { amount: 10, intervalMs: 60_000 }, refilledAt: now }
 * ```
 */
export function creditsOf(given: KeyCreditsInput | null, at: Date): KeyCredits | null {
  if (given === null) return null;
  const refill = given.refill ?? null;
  return {
    remaining: given.remaining,
    refill: refill === null ? null : { amount: refill.amount, intervalMs: refill.intervalMs },
    refilledAt: refill === null ? null : at,
  };
}
