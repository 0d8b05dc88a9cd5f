import { spendFromCredits } from '../../src/storage/credit-spend.js';
import type { SpendCreditsResult } from '../../src/storage/storage-adapter.js';
import { freezeRecord } from './immutable-record.js';
import type { MemoryDraft } from './memory-draft.js';

/** Whether a key with this id exists and has credits (is not unlimited). @internal */
export function hasCredits(draft: MemoryDraft, keyId: string): boolean {
  const credits = draft.key(keyId)?.credits;
  return credits !== undefined && credits !== null;
}

/**
 * `spendCredits` over a draft, in one synchronous step: the reference rule of
 * `spendFromCredits`, and the key's new credits written only when they changed.
 *
 * @internal
 */
export function spendCredits(
  draft: MemoryDraft,
  args: { readonly keyId: string; readonly cost: number; readonly now: Date },
): SpendCreditsResult {
  const key = draft.key(args.keyId);
  if (key === undefined) return null;
  if (key.credits === null) return { spent: true, remaining: null };
  const { result, next } = spendFromCredits(key.credits, args.cost, args.now.getTime());
  if (next !== null) draft.putKey(freezeRecord({ ...key, credits: next }));
  return result;
}
