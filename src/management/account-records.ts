import type { ServiceAccount } from '../entities/service-account.js';
import { ERROR_CODES } from '../errors/error-codes.js';
import { KeywardError } from '../errors/keyward-error.js';
import type { StorageTransaction } from '../storage/storage-adapter.js';
import type { ManagementContext } from './management-context.js';

/**
 * Loads a service account of the actor's tenant or throws `NOT_FOUND` (other tenants' accounts
 * included, and personal accounts: `kw.serviceAccounts` never shows or touches them).
 *
 * @internal
 */
export async function loadAccount(
  ctx: ManagementContext,
  tenantId: string,
  id: string,
): Promise<ServiceAccount> {
  const account = await ctx.storage.findServiceAccount({ tenantId, id });
  if (account === null || account.ownerUserId !== undefined) throw accountNotFound(id);
  return account;
}

/**
 * Reads a service account inside `tx` and locks it until the transaction ends, or throws
 * `NOT_FOUND` (deleted meanwhile, never there, or a personal account). Every decision about the
 * account is taken on this read.
 *
 * @internal
 */
export async function lockAccount(
  tx: StorageTransaction,
  tenantId: string,
  id: string,
): Promise<ServiceAccount> {
  const account = await tx.lockServiceAccount({ tenantId, id });
  if (account === null || account.ownerUserId !== undefined) throw accountNotFound(id);
  return account;
}

/** The `NOT_FOUND` of an account id. @internal */
export function accountNotFound(id: string): KeywardError {
  return new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found', { details: { id } });
}

/** Throws `CONFLICT` when the caller's expected version is not the stored one. @internal */
export function assertVersion(account: ServiceAccount, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== account.version) {
    throw new KeywardError(ERROR_CODES.CONFLICT, 'The service account was changed concurrently', {
      details: { expectedVersion, actualVersion: account.version },
    });
  }
}
