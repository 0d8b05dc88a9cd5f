import { z } from 'zod';
import { creditRefillSchema, keyCreditsSchema } from './request-controls.js';

/**
 * A key's usage credits as management calls set them: the balance, and optionally a refill that
 * *sets* the balance to `amount` every `intervalMs` (unused credits do not pile up). The refill
 * interval starts when the credits are set. `null` in place of the whole object means unlimited.
 *
 * @example
 * ```ts
 * keyCreditsInputSchema.parse({ remaining: 1000, refill: { amount: 1000, intervalMs: 86_400_000 } });
 * ```
 */
export const keyCreditsInputSchema = z.strictObject({
  /** Requests (of cost 1) the key may make, 0 to 2^53 - 1. */
  remaining: keyCreditsSchema.shape.remaining,
  /** Every `intervalMs` (1 minute to 366 days) the balance is set to `amount`; `null` or absent: never. */
  refill: creditRefillSchema.nullable().optional(),
});

/** Usage credits as given to `kw.keys.issue` / `kw.keys.update` (see {@link keyCreditsInputSchema}). */
export interface KeyCreditsInput {
  /** Requests (of cost 1) the key may make, 0 to 2^53 - 1. */
  remaining: number;
  /**
   * Every `intervalMs` (60 000 ms to 366 days) the balance is *set* to `amount` (not added to);
   * `null` or absent: the balance never refills.
   */
  refill?: { amount: number; intervalMs: number } | null | undefined;
}
