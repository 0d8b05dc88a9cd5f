import type { ApiKey } from '../../src/entities/api-key.js';
import { keyStatusAt } from '../../src/entities/key-status.js';
import type { KeyQuery } from '../../src/storage/storage-adapter.js';

/**
 * Whether `key` matches every filter of `query` but the page position (`after`, `limit`): the
 * memory adapter's `queryKeys` predicate, with the derived status of `keyStatusAt`.
 *
 * @internal
 */
export function matchesKeyQuery(key: ApiKey, query: KeyQuery): boolean {
  if (key.tenantId !== query.tenantId) return false;
  if (query.workspaceId !== undefined && key.workspaceId !== query.workspaceId) return false;
  if (query.environment !== undefined && key.environment !== query.environment) return false;
  if (query.status !== undefined && keyStatusAt(key, query.now.getTime()) !== query.status) return false;
  const { expiresBefore, unusedSince } = query;
  if (expiresBefore !== undefined && !isBefore(key.expiresAt, expiresBefore)) return false;
  if (unusedSince !== undefined) {
    if (!isBefore(key.createdAt, unusedSince)) return false;
    if (key.lastUsedAt !== null && !isBefore(key.lastUsedAt, unusedSince)) return false;
  }
  return true;
}

/** `at` is set and strictly before `bound`. */
function isBefore(at: Date | null, bound: Date): boolean {
  return at !== null && at.getTime() < bound.getTime();
}
