import type { ApiKey } from '../entities/api-key.js';
import type { TokenDigest, TokenHasher } from '../keys/index.js';

/**
 * Whether `token` is the key's secret: its current digest, or the previous one while its grace
 * period runs (`previousHashExpiresAt` after `now`). Every comparison is constant-time
 * (`TokenHasher.matches`). The one check of a presented secret: `verify` and leak reports both
 * use it.
 *
 * @internal
 */
export function secretMatches(hasher: TokenHasher, token: string, key: ApiKey, now: number): boolean {
  if (hasher.matches(token, key)) return true;
  if (key.previousHash === null || key.previousHashVersion === null || key.previousHashExpiresAt === null)
    return false;
  if (key.previousHashExpiresAt.getTime() <= now) return false;
  return hasher.matches(token, {
    hash: key.previousHash,
    hashVersion: key.previousHashVersion,
    pepperId: key.previousPepperId,
  });
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
