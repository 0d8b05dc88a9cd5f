import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { KeyQuery } from '../../src/storage/storage-adapter.js';
import { rowToApiKey } from './api-key-row.js';
import { beyondPosition } from './page-position.js';
import type { QueryContext } from './query-context.js';
import type { KeywardDatabase } from './tables.js';

type Keys = ExpressionBuilder<KeywardDatabase, 'keyward_api_keys'>;

/**
 * `StorageReads.queryKeys`: a tenant's keys matching every filter, in `(created_at, id)` order.
 * Every query leads with `tenant_id`, so it is served by an index of migration 0005: the tenant
 * or workspace page index (rows come in page order), or, when the planner finds a sweep's bound
 * more selective, the `(tenant_id, expires_at)` / `(tenant_id, last_used_at)` index and a sort.
 *
 * @internal
 */
export async function queryKeys(context: QueryContext, query: KeyQuery): Promise<ApiKey[]> {
  let select = context.db.selectFrom('keyward_api_keys').selectAll().where('tenant_id', '=', query.tenantId);
  if (query.workspaceId !== undefined) select = select.where('workspace_id', '=', query.workspaceId);
  if (query.environment !== undefined) select = select.where('environment', '=', query.environment);
  const kind = query.accountKind;
  if (kind !== undefined) {
    const accounts = context.db
      .selectFrom('keyward_service_accounts')
      .select('id')
      .where('tenant_id', '=', query.tenantId)
      .where('kind', '=', kind);
    select = select.where('service_account_id', 'in', accounts);
  }
  const { status, expiresBefore, unusedSince, after } = query;
  if (status !== undefined) select = select.where((eb) => derivedStatusIs(eb, status, query.now.getTime()));
  if (expiresBefore !== undefined) {
    const bound = expiresBefore.getTime();
    select = select.where((eb) => sweepBound(context, eb('expires_at', '<', bound)));
  }
  if (unusedSince !== undefined) {
    const bound = unusedSince.getTime();
    select = select
      .where('created_at', '<', bound)
      .where((eb) =>
        sweepBound(context, eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', bound)])),
      );
  }
  if (after !== undefined) select = select.where(() => beyondPosition('after', after));
  const rows = await select.orderBy('created_at').orderBy('id').limit(query.limit).execute();
  return rows.map(rowToApiKey);
}

/**
 * A sweep's bound, marked as matching few rows for SQLite (`unlikely(...)`, a planner hint that
 * changes no result): SQLite keeps no histograms, so without it its planner weighs the sort a
 * sweep index needs against scanning the tenant's page index, and the wider the key rows, the
 * more it leans to the scan. PostgreSQL estimates the bound from its statistics.
 */
function sweepBound(context: QueryContext, condition: Expression<SqlBool>): Expression<SqlBool> {
  return context.dialect === 'sqlite' ? sql<SqlBool>`unlikely(${condition})` : condition;
}

/**
 * The derived status of `keyStatusAt` as a condition, first match wins: `revoked` (stored) >
 * `disabled` (`disabled_at` set) > `expired` (`expires_at <= now`) > `active`.
 */
function derivedStatusIs(eb: Keys, status: NonNullable<KeyQuery['status']>, now: number) {
  if (status === 'revoked') return eb('status', '=', 'revoked');
  const live = [eb('status', '=', 'active')];
  if (status === 'disabled') return eb.and([...live, eb('disabled_at', 'is not', null)]);
  live.push(eb('disabled_at', 'is', null));
  if (status === 'expired') return eb.and([...live, eb('expires_at', '<=', now)]);
  return eb.and([...live, eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])]);
}
