import type { ApiKey, ApiKeyInfo } from '../../entities/api-key.js';

/**
 * What callers see of a stored key: no digests, and `expired` derived from `expiresAt`.
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
  const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now;
  return {
    ...visible,
    status: status === 'revoked' ? 'revoked' : expired ? 'expired' : 'active',
    previousSecretActive:
      status === 'active' &&
      previousHash !== null &&
      key.previousHashExpiresAt !== null &&
      key.previousHashExpiresAt.getTime() > now,
  };
}
