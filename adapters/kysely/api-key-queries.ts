import type { CompiledQuery, Updateable } from 'kysely';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { KeyWithAccount, StorageReads } from '../../src/storage/storage-adapter.js';
import { apiKeyToRow, rowToApiKey } from './api-key-row.js';
import { keyChanged, withChangeNotices } from './change-notices.js';
import { beyondPosition } from './page-position.js';
import type { QueryContext } from './query-context.js';
import { rowToServiceAccount, SERVICE_ACCOUNT_COLUMNS } from './service-account-row.js';
import { conflict } from './storage-error.js';
import type { ApiKeyRow, KeywardDatabase, ServiceAccountRow } from './tables.js';

const KEYS = 'keyward_api_keys';

/** @internal */
export async function findKey(
  context: QueryContext,
  args: { readonly tenantId: string; readonly keyId: string },
): Promise<ApiKey | null> {
  const row = await context.db
    .selectFrom(KEYS)
    .selectAll()
    .where('id', '=', args.keyId)
    .where('tenant_id', '=', args.tenantId)
    .executeTakeFirst();
  return row === undefined ? null : rowToApiKey(row);
}

/** Account columns as selected by the verification join: `account_<column>`. */
const ACCOUNT_SELECTION = SERVICE_ACCOUNT_COLUMNS.map(
  (column) => `a.${column} as account_${column}` as const,
);

/**
 * The request path's one read: the key by primary key, joined to its account by primary key.
 * The join is on the account id alone, so the planner always takes the primary key; a key
 * whose tenant differs from its account's (never written by keyward) reads as missing.
 *
 * @internal
 */
export async function findKeyForVerification(
  context: QueryContext,
  args: { readonly keyId: string },
): Promise<KeyWithAccount | null> {
  const result = await context.db.executeQuery<ApiKeyRow & Record<string, unknown>>({
    ...verificationQuery(context.db),
    parameters: [args.keyId],
  });
  const row = result.rows[0];
  return row === undefined ? null : keyWithAccountOf(row);
}

/**
 * A row of the verification join as a key and its account; `null` when their tenants differ.
 *
 * @internal
 */
export function keyWithAccountOf(row: ApiKeyRow & Record<string, unknown>): KeyWithAccount | null {
  const accountRow = {} as Record<string, unknown>;
  for (const column of SERVICE_ACCOUNT_COLUMNS) accountRow[column] = row[`account_${column}`];
  if (accountRow.tenant_id !== row.tenant_id) return null;
  return { key: rowToApiKey(row), account: rowToServiceAccount(accountRow as unknown as ServiceAccountRow) };
}

/**
 * The verification join without its filter: every key column and the account's as `account_<column>`.
 *
 * @internal
 */
export function verificationSelection(db: QueryContext['db']) {
  return db
    .selectFrom(`${KEYS} as k`)
    .innerJoin('keyward_service_accounts as a', 'a.id', 'k.service_account_id')
    .selectAll('k')
    .select(ACCOUNT_SELECTION);
}

/**
 * The verification query, built and compiled once per Kysely instance: the request path then
 * only swaps the key id parameter, skipping Kysely's per-call building and compiling.
 */
const compiledVerification = new WeakMap<object, CompiledQuery>();

function verificationQuery(db: QueryContext['db']): CompiledQuery {
  let compiled = compiledVerification.get(db);
  if (compiled === undefined) {
    compiled = verificationSelection(db).where('k.id', '=', '').compile();
    compiledVerification.set(db, compiled);
  }
  return compiled;
}

/** @internal */
export async function listKeys(
  context: QueryContext,
  args: Parameters<StorageReads['listKeys']>[0],
): Promise<ApiKey[]> {
  let query = context.db
    .selectFrom(KEYS)
    .selectAll()
    .where('service_account_id', '=', args.serviceAccountId)
    .where('tenant_id', '=', args.tenantId);
  const after = args.after;
  if (after !== undefined) query = query.where(() => beyondPosition('after', after));
  const rows = await query.orderBy('created_at').orderBy('id').limit(args.limit).execute();
  return rows.map(rowToApiKey);
}

/**
 * Replaces a key in its tenant, all but `last_used_at` (only `touchKeys` moves it) and the
 * `credits_*` columns (only `setKeyCredits` and `spendCredits` move them); `null` when there is
 * none. The `status <> 'revoked'` guard makes revocation final in the statement itself:
 * a revoked key is never rewritten, and the follow-up read tells a missing key (`null`) from a
 * revoked one (`CONFLICT`). A stored change is noticed to the change feeds.
 *
 * @internal
 */
export function updateKey(context: QueryContext, args: { readonly key: ApiKey }): Promise<ApiKey | null> {
  const {
    id,
    tenant_id,
    last_used_at: _lastUsedAt,
    credits_remaining: _remaining,
    credits_refill_amount: _refillAmount,
    credits_refill_interval_ms: _refillIntervalMs,
    credits_refilled_at: _refilledAt,
    ...changes
  } = apiKeyToRow(args.key);
  return updateUnrevokedKey(context, { tenantId: tenant_id, keyId: id }, changes);
}

/**
 * Writes `columns` to a key of the tenant unless it is revoked, noticed to the change feeds. The
 * `status <> 'revoked'` guard keeps revocation final in the statement itself; the follow-up read
 * tells a missing key (`null`) from a revoked one (`CONFLICT`).
 *
 * @internal
 */
export function updateUnrevokedKey(
  context: QueryContext,
  where: { readonly tenantId: string; readonly keyId: string },
  columns: Updateable<KeywardDatabase[typeof KEYS]>,
): Promise<ApiKey | null> {
  return withChangeNotices(context, async (unit) => {
    const row = await unit.db
      .updateTable(KEYS)
      .set(columns)
      .where('id', '=', where.keyId)
      .where('tenant_id', '=', where.tenantId)
      .where('status', '<>', 'revoked')
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return { result: rowToApiKey(row), changes: [keyChanged(where.keyId)] };
    const stored = await unit.db
      .selectFrom(KEYS)
      .select('status')
      .where('id', '=', where.keyId)
      .where('tenant_id', '=', where.tenantId)
      .executeTakeFirst();
    if (stored === undefined) return { result: null, changes: [] };
    throw conflict('Key is revoked');
  });
}
