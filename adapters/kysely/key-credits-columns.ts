import type { KeyCredits } from '../../src/entities/request-controls.js';

/** A key's credits as its four `credits_*` columns (all null for an unlimited key). @internal */
export interface KeyCreditColumns {
  readonly credits_remaining: number | null;
  readonly credits_refill_amount: number | null;
  readonly credits_refill_interval_ms: number | null;
  readonly credits_refilled_at: number | null;
}

/** The `credits_*` columns as read: PostgreSQL returns `bigint` as a string. @internal */
export interface StoredKeyCreditColumns {
  readonly credits_remaining: number | string | null;
  readonly credits_refill_amount: number | string | null;
  readonly credits_refill_interval_ms: number | string | null;
  readonly credits_refilled_at: number | string | null;
}

/** A key's credits (or `null`, unlimited) as columns; `refilledAt` as epoch ms. @internal */
export function creditsToColumns(credits: KeyCredits | null): KeyCreditColumns {
  return {
    credits_remaining: credits === null ? null : credits.remaining,
    credits_refill_amount: credits?.refill?.amount ?? null,
    credits_refill_interval_ms: credits?.refill?.intervalMs ?? null,
    credits_refilled_at: credits?.refilledAt?.getTime() ?? null,
  };
}

/**
 * The credits stored in a row: `null` (unlimited) when `credits_remaining` is null, a refill
 * only when both its amount and interval are set.
 *
 * @internal
 */
export function columnsToCredits(row: StoredKeyCreditColumns): KeyCredits | null {
  if (row.credits_remaining === null) return null;
  const amount = row.credits_refill_amount;
  const intervalMs = row.credits_refill_interval_ms;
  return {
    remaining: Number(row.credits_remaining),
    refill:
      amount === null || intervalMs === null
        ? null
        : { amount: Number(amount), intervalMs: Number(intervalMs) },
    refilledAt: row.credits_refilled_at === null ? null : new Date(Number(row.credits_refilled_at)),
  };
}
