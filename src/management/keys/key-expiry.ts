import { ERROR_CODES } from '../../errors/error-codes.js';
import { KeywardError } from '../../errors/keyward-error.js';
import type { ManagementContext } from '../management-context.js';

/**
 * The expiry of a new key: the requested one, else `maxKeyTtl` from now when configured, else
 * none. Refuses the past and lifetimes outside `minKeyTtl` / `maxKeyTtl`.
 *
 * @internal
 */
export function resolveExpiry(
  ctx: ManagementContext,
  now: number,
  requested: { readonly expiresAt?: Date | undefined; readonly expiresInSeconds?: number | undefined },
): Date | null {
  const { minKeyTtl, maxKeyTtl } = ctx.limits;
  let expiresAt: number | null = null;
  if (requested.expiresAt !== undefined) expiresAt = requested.expiresAt.getTime();
  else if (requested.expiresInSeconds !== undefined) expiresAt = now + requested.expiresInSeconds * 1000;
  else if (maxKeyTtl !== undefined) expiresAt = now + maxKeyTtl * 1000;
  if (expiresAt === null) return null;
  const ttlSeconds = (expiresAt - now) / 1000;
  if (ttlSeconds <= 0) throw invalidExpiry('Expiry must be in the future');
  if (minKeyTtl !== undefined && ttlSeconds < minKeyTtl)
    throw invalidExpiry(`Key lifetime must be at least ${minKeyTtl} s`);
  if (maxKeyTtl !== undefined && ttlSeconds > maxKeyTtl)
    throw invalidExpiry(`Key lifetime must be at most ${maxKeyTtl} s`);
  return new Date(expiresAt);
}

function invalidExpiry(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.INVALID_EXPIRY, message, { details: {} });
}
