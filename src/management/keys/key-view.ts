import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';
import { keyStatusAt } from '../../entities/key-status.js';

/**
 * What callers see of a stored key: no digests, and the derived status ({@link keyStatusAt}).
 *
 * @internal
 */
export function toKeyInfo(key: ApiKey, now: number): ApiKeyInfo {
  const {
    hash: _hash,
    hashVersion: _hashVersion,
    pepperId: _pepperId,
    previousHash,
    previousHashVersion: _previousHashVersion,
    previousPepperId: _previousPepperId,
    status,
    ...visible
  } = key;
  return {
    ...visible,
    status: keyStatusAt(key, now),
    previousSecretActive:
      status === 'active' &&
      previousHash !== null &&
      key.previousHashExpiresAt !== null &&
      key.previousHashExpiresAt.getTime() > now,
  };
}
