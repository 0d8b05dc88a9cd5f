import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { StorageReads } from '../../src/storage/storage-adapter.js';
import { accountChanged, withChangeNotices } from './change-notices.js';
import { beyondPosition } from './page-position.js';
import { atomically, type QueryContext } from './query-context.js';
import { rowToServiceAccount, serviceAccountToRow } from './service-account-row.js';
import { conflict } from './storage-error.js';

const ACCOUNTS = 'keyward_service_accounts';
const KEYS = 'keyward_api_keys';

/** @internal */
export async function findServiceAccount(
  context: QueryContext,
  args: { readonly tenantId: string; readonly id: string },
): Promise<ServiceAccount | null> {
  const row = await context.db
    .selectFrom(ACCOUNTS)
    .selectAll()
    .where('id', '=', args.id)
    .where('tenant_id', '=', args.tenantId)
    .executeTakeFirst();
  return row === undefined ? null : rowToServiceAccount(row);
}

/** @internal */
export async function listServiceAccounts(
  context: QueryContext,
  args: Parameters<StorageReads['listServiceAccounts']>[0],
): Promise<ServiceAccount[]> {
  let query = context.db
    .selectFrom(ACCOUNTS)
    .selectAll()
    .where('tenant_id', '=', args.tenantId)
    .where('kind', '=', args.kind ?? 'service');
  if (args.ownerUserId !== undefined) query = query.where('owner_user_id', '=', args.ownerUserId);
  if (args.workspaceId !== undefined) query = query.where('workspace_id', '=', args.workspaceId);
  if (args.status !== undefined) query = query.where('status', '=', args.status);
  const after = args.after;
  if (after !== undefined) query = query.where(() => beyondPosition('after', after));
  const rows = await query.orderBy('created_at').orderBy('id').limit(args.limit).execute();
  return rows.map(rowToServiceAccount);
}

/**
 * Inserts an account (noticed to the change feeds); a taken id is a `CONFLICT` that leaves an
 * open transaction usable.
 *
 * @internal
 */
export function insertServiceAccount(
  context: QueryContext,
  args: { readonly account: ServiceAccount },
): Promise<void> {
  return withChangeNotices(context, async ({ db }) => {
    const result = await db
      .insertInto(ACCOUNTS)
      .values(serviceAccountToRow(args.account))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0)
      throw conflict('Service account id already exists');
    return { result: undefined, changes: [accountChanged(args.account.id)] };
  });
}

/**
 * Compare-and-set on `version` (a stored change is noticed to the change feeds); see
 * `StorageReads.updateServiceAccount`.
 *
 * @internal
 */
export function updateServiceAccount(
  context: QueryContext,
  args: { readonly account: ServiceAccount; readonly expectedVersion: number },
): Promise<ServiceAccount | null> {
  return withChangeNotices(context, async (unit) => {
    const stored = await compareAndSetAccount(unit, args);
    return { result: stored, changes: stored === null ? [] : [accountChanged(stored.id)] };
  });
}

async function compareAndSetAccount(
  context: QueryContext,
  args: { readonly account: ServiceAccount; readonly expectedVersion: number },
): Promise<ServiceAccount | null> {
  const { id, tenant_id, ...changes } = serviceAccountToRow(args.account);
  const row = await context.db
    .updateTable(ACCOUNTS)
    .set(changes)
    .where('id', '=', id)
    .where('tenant_id', '=', tenant_id)
    .where('version', '=', args.expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined) return rowToServiceAccount(row);
  const current = await context.db
    .selectFrom(ACCOUNTS)
    .select('version')
    .where('id', '=', id)
    .where('tenant_id', '=', tenant_id)
    .executeTakeFirst();
  if (current === undefined) return null;
  throw conflict('Service account was changed concurrently');
}

/**
 * Deletes the account row first (taking its row lock, so a concurrent key issue waits and then
 * finds no account), then its keys: SQLite only cascades when the host enabled foreign keys.
 * One transaction, with its notice to the change feeds.
 *
 * @internal
 */
export function deleteServiceAccount(
  context: QueryContext,
  args: { readonly tenantId: string; readonly id: string },
): Promise<boolean> {
  return atomically(context, (tx) =>
    withChangeNotices(tx, async ({ db }) => {
      const deleted = await db
        .deleteFrom(ACCOUNTS)
        .where('id', '=', args.id)
        .where('tenant_id', '=', args.tenantId)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) return { result: false, changes: [] };
      await db.deleteFrom(KEYS).where('service_account_id', '=', args.id).execute();
      return { result: true, changes: [accountChanged(args.id)] };
    }),
  );
}
