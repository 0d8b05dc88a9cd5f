import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { KeyWithAccount } from '../../src/storage/storage-adapter.js';
import { rowToApiKey } from './api-key-row.js';
import type { QueryContext } from './query-context.js';
import { rowToServiceAccount } from './service-account-row.js';
import { conflict } from './storage-error.js';

const ACCOUNTS = 'keyward_service_accounts';
const KEYS = 'keyward_api_keys';

/** How often `lockKey` starts over when the key moved to another account while it waited. */
const LOCK_KEY_ATTEMPTS = 3;

/**
 * The locking reads of an open transaction (`StorageTransaction.lockServiceAccount` and
 * `lockKey`).
 *
 * - PostgreSQL: `SELECT ... FOR UPDATE`, account row first, then key row. A read that waited
 *   for another transaction's lock returns the row as that transaction committed it (or
 *   nothing, when it deleted it): `READ COMMITTED` rereads the newest version after the wait.
 * - SQLite: plain reads; the transaction's `BEGIN IMMEDIATE` already holds the write lock.
 *
 * Tenant-scoped like `findServiceAccount` / `findKey`.
 *
 * @internal
 */
export async function lockServiceAccount(
  context: QueryContext,
  args: { readonly tenantId: string; readonly id: string },
): Promise<ServiceAccount | null> {
  let query = context.db
    .selectFrom(ACCOUNTS)
    .selectAll()
    .where('id', '=', args.id)
    .where('tenant_id', '=', args.tenantId);
  if (context.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? null : rowToServiceAccount(row);
}

/**
 * The key and its account, locked account first: the key's account is read without a lock, then
 * the account is locked, then the key, which must still belong to that account (else it starts
 * over). `null` when the key or its account is missing from the tenant.
 *
 * @internal
 */
export async function lockKey(
  context: QueryContext,
  args: { readonly tenantId: string; readonly keyId: string },
): Promise<KeyWithAccount | null> {
  for (let attempt = 0; attempt < LOCK_KEY_ATTEMPTS; attempt++) {
    const owner = await context.db
      .selectFrom(KEYS)
      .select('service_account_id')
      .where('id', '=', args.keyId)
      .where('tenant_id', '=', args.tenantId)
      .executeTakeFirst();
    if (owner === undefined) return null;
    const account = await lockServiceAccount(context, {
      tenantId: args.tenantId,
      id: owner.service_account_id,
    });
    if (account === null) return null;
    let query = context.db
      .selectFrom(KEYS)
      .selectAll()
      .where('id', '=', args.keyId)
      .where('tenant_id', '=', args.tenantId);
    if (context.dialect === 'postgres') query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (row === undefined) return null;
    if (row.service_account_id === account.id) return { key: rowToApiKey(row), account };
  }
  throw conflict('Key kept moving between accounts while being locked');
}
