import type { ApiKey } from '../entities/api-key.js';
import type { TokenDigest, TokenHasher } from '../keys/index.js';

/**
 * Which of a key's secrets a token is: its `current` one, or its `previous` one while a grace
 * period keeps it (received by `previousRegeneratedBy`, not by the current `regeneratedBy`).
 *
 * @internal
 */
export type MatchedSecret = 'current' | 'previous';

/**
 * Which secret of the key `token` is: its current digest, or the previous one while its grace
 * period runs (`previousHashExpiresAt` after `now`); `null` when neither. Every comparison is
 * constant-time (`TokenHasher.matches`). The one check of a presented secret: `verify` and leak
 * reports both use it, and `verify` bounds a previous secret by whoever received it.
 *
 * @internal
 */
export function secretMatches(
  hasher: TokenHasher,
  token: string,
  key: ApiKey,
  now: number,
): MatchedSecret | null {
  if (hasher.matches(token, key)) return 'current';
  if (key.previousHash === null || key.previousHashVersion === null || key.previousHashExpiresAt === null)
    return null;
  if (key.previousHashExpiresAt.getTime() <= now) return null;
  const previous = hasher.matches(token, {
    hash: key.previousHash,
    hashVersion: key.previousHashVersion,
    pepperId: key.previousPepperId,
  });
  return previous ? 'previous' : null;
}

/**
 * A digest no token matches, made the current way: comparing a token with it when its key id is
 * unknown costs what a wrong secret does, so the answer's timing does not tell the two apart.
 *
 * @internal
 */
export function unknownKeyDigest(hasher: TokenHasher): TokenDigest {
  return Object.freeze({ hash: '0'.repeat(64), hashVersion: hasher.hashVersion, pepperId: hasher.pepperId });
}
