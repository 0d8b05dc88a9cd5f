import type { ApiKey, KeyStatus } from './api-key.js';

/**
 * The status of a stored key as shown to users at `now` (epoch ms), first match wins: `revoked`
 * (the stored status; final) > `disabled` (`disabledAt` set; reversible) > `expired`
 * (`expiresAt` at or before `now`) > `active`. Storage filters by the same rule
 * (`StorageReads.queryKeys`).
 *
 * @example
 * ```ts
 * keyStatusAt(key, Date.now()); // 'active' | 'revoked' | 'disabled' | 'expired'
 * ```
 *
 * @internal
 */
export function keyStatusAt(
  key: Pick<ApiKey, 'status' | 'disabledAt' | 'expiresAt'>,
  now: number,
): KeyStatus {
  if (key.status === 'revoked') return 'revoked';
  if (key.disabledAt !== null) return 'disabled';
  if (key.expiresAt !== null && key.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}
