import type { ApiKey } from '../entities/api-key.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { KeyWithAccount, StorageTransaction } from '../storage/storage-adapter.js';
import type { ManagementContext } from './management-context.js';

/**
 * Loads a service-account key of the actor's tenant, or throws `NOT_FOUND`: for other tenants'
 * keys, and for a person's own key, exactly as for an unknown id. `kw.keys` reads and changes
 * load with it before authorizing, so a personal key is never confirmed (`FORBIDDEN`) nor named
 * in a `denied` audit event.
 *
 * @internal
 */
export async function loadKey(ctx: ManagementContext, tenantId: string, keyId: string): Promise<ApiKey> {
  const found = await ctx.storage.findKeyForVerification({ keyId });
  if (found === null || found.key.tenantId !== tenantId || found.account.ownerUserId !== undefined)
    throw keyNotFound(keyId);
  return found.key;
}

/**
 * Reads a service-account key and its account inside `tx` and locks them until the transaction
 * ends, or throws `NOT_FOUND` (also for a person's own key: `kw.keys` changes never touch one,
 * `kw.personalKeys` does). Every decision about the key is taken on this read.
 *
 * @internal
 */
export async function lockKey(
  tx: StorageTransaction,
  tenantId: string,
  keyId: string,
): Promise<KeyWithAccount> {
  const found = await tx.lockKey({ tenantId, keyId });
  if (found === null || found.account.ownerUserId !== undefined) throw keyNotFound(keyId);
  return found;
}

/** The `NOT_FOUND` of a key id. @internal */
export function keyNotFound(keyId: string): KeywardError {
  return new KeywardError(ERROR_CODES.NOT_FOUND, 'Key not found', { details: { keyId } });
}
