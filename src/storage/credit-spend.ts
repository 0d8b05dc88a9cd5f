import type { KeyCredits } from '../entities/request-controls.js';
import type { SpendCreditsResult } from './storage-adapter.js';

/** What spending does to a key's credits: the answer, and the credits to store when they changed. */
export interface CreditSpend {
  /** The answer of `spendCredits` for a key with these credits. */
  readonly result: Exclude<SpendCreditsResult, null>;
  /** The credits after the spend (and any due refill), or `null` when nothing changed. */
  readonly next: KeyCredits | null;
}

/**
 * The credits after a due refill at `nowMs`: when the refill's interval has elapsed since
 * `refilledAt`, the balance is *set* to the refill amount and `refilledAt` moves forward by whole
 * intervals (staying aligned to the instant the credits were set); otherwise `credits` unchanged.
 * A refill without `refilledAt` is never due.
 *
 * @internal
 */
export function withDueRefill(credits: KeyCredits, nowMs: number): KeyCredits {
  const { refill, refilledAt } = credits;
  if (refill === null || refilledAt === null) return credits;
  const elapsed = nowMs - refilledAt.getTime();
  if (elapsed < refill.intervalMs) return credits;
  const intervals = Math.floor(elapsed / refill.intervalMs);
  return {
    remaining: refill.amount,
    refill,
    refilledAt: new Date(refilledAt.getTime() + intervals * refill.intervalMs),
  };
}

/** When `credits` next refill: `refilledAt + intervalMs`, or `null` without refill. @internal */
export function nextRefillAt(credits: KeyCredits): Date | null {
  const { refill, refilledAt } = credits;
  return refill === null || refilledAt === null ? null : new Date(refilledAt.getTime() + refill.intervalMs);
}

/**
 * The reference rule of `StorageAdapter.spendCredits` for a key holding `credits`: apply a due
 * refill, then take `cost` when the balance holds it. The memory adapter runs it as is; SQL
 * adapters run the same rule in one statement, and the conformance suite holds both to it.
 *
 * @example
 * ```ts
 * const { result, next } = spendFromCredits(key.credits, 1, Date.now());
 * ```
 *
 * @internal
 */
export function spendFromCredits(credits: KeyCredits, cost: number, nowMs: number): CreditSpend {
  const refilled = withDueRefill(credits, nowMs);
  if (refilled.remaining < cost) {
    return {
      result: { spent: false, remaining: refilled.remaining, refillAt: nextRefillAt(refilled) },
      next: refilled === credits ? null : refilled,
    };
  }
  const remaining = refilled.remaining - cost;
  return { result: { spent: true, remaining }, next: { ...refilled, remaining } };
}
