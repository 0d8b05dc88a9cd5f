import { sql } from 'kysely';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { InsertKeyResult } from '../../src/storage/storage-adapter.js';
import { API_KEY_COLUMNS, apiKeyToRow } from './api-key-row.js';
import { keyChanged, withChangeNotices } from './change-notices.js';
import { fromCount } from './column-codec.js';
import type { QueryContext } from './query-context.js';
import { conflict } from './storage-error.js';

const ACCOUNTS = 'keyward_service_accounts';
const KEYS = 'keyward_api_keys';

interface LimitArgs {
  readonly key: ApiKey;
  readonly limit: number;
  readonly now: Date;
}

/**
 * Inserts a key only while its account holds fewer than `limit` active keys, atomically across
 * connections. A taken key id is a `CONFLICT` (checked before the limit, as the memory adapter
 * does); so is an account missing from the key's tenant (deleted concurrently): the SQL schema
 * has no orphan keys.
 *
 * - PostgreSQL: lock the account row (`SELECT ... FOR UPDATE`), count, insert, in one
 *   transaction: concurrent issuers for one account queue on that row lock, and each counts
 *   after the previous commit.
 * - SQLite: one `INSERT ... SELECT ... WHERE (SELECT count(*) ...) < limit` statement. A
 *   statement holds the database write lock from start to end, so it is atomic across
 *   connections and processes. Outside a transaction it runs in the `BEGIN IMMEDIATE`
 *   transaction {@link withChangeNotices} opens for its change row.
 *
 * An inserted key is noticed to the change feeds (a cached "unknown key" must go).
 *
 * @internal
 */
export function insertKeyIfUnderLimit(context: QueryContext, args: LimitArgs): Promise<InsertKeyResult> {
  return withChangeNotices(context, async (unit) => {
    const result =
      unit.dialect === 'postgres'
        ? await insertWithRowLock(unit, args)
        : await insertInOneStatement(unit, args);
    return { result, changes: result.inserted ? [keyChanged(args.key.id)] : [] };
  });
}

/** The PostgreSQL way, inside the transaction {@link withChangeNotices} opened (or the caller's). */
async function insertWithRowLock(tx: QueryContext, args: LimitArgs): Promise<InsertKeyResult> {
  const account = await tx.db
    .selectFrom(ACCOUNTS)
    .select('id')
    .where('id', '=', args.key.serviceAccountId)
    .where('tenant_id', '=', args.key.tenantId)
    .forUpdate()
    .executeTakeFirst();
  if (account === undefined) throw conflict('Service account no longer exists');
  const activeKeys = await countActiveKeys(tx, args.key.serviceAccountId, args.now);
  if (activeKeys >= args.limit) {
    if (await keyIdTaken(tx, args.key.id)) throw conflict('Key id already exists');
    return { inserted: false, activeKeys };
  }
  const result = await tx.db
    .insertInto(KEYS)
    .values(apiKeyToRow(args.key))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) throw conflict('Key id already exists');
  return { inserted: true };
}

async function insertInOneStatement(context: QueryContext, args: LimitArgs): Promise<InsertKeyResult> {
  const row = apiKeyToRow(args.key);
  const values = API_KEY_COLUMNS.map((column) => sql`${row[column] ?? null}`);
  const nowMs = args.now.getTime();
  const result = await sql`
    insert into ${sql.table(KEYS)} (${sql.join(API_KEY_COLUMNS.map((column) => sql.ref(column)))})
    select ${sql.join(values)}
    where exists (
      select 1 from ${sql.table(ACCOUNTS)} where id = ${args.key.serviceAccountId} and tenant_id = ${args.key.tenantId}
    )
    and (
      select count(*) from ${sql.table(KEYS)}
      where service_account_id = ${args.key.serviceAccountId}
        and status = 'active' and (expires_at is null or expires_at > ${nowMs})
    ) < ${args.limit}
    on conflict do nothing
  `.execute(context.db);
  if (Number(result.numAffectedRows ?? 0) === 1) return { inserted: true };
  return explainRefusal(context, args);
}

/** Why the one-statement insert wrote nothing: a taken id, a missing account, or the limit. */
async function explainRefusal(context: QueryContext, args: LimitArgs): Promise<InsertKeyResult> {
  if (await keyIdTaken(context, args.key.id)) throw conflict('Key id already exists');
  const account = await context.db
    .selectFrom(ACCOUNTS)
    .select('id')
    .where('id', '=', args.key.serviceAccountId)
    .where('tenant_id', '=', args.key.tenantId)
    .executeTakeFirst();
  if (account === undefined) throw conflict('Service account no longer exists');
  return { inserted: false, activeKeys: await countActiveKeys(context, args.key.serviceAccountId, args.now) };
}

async function keyIdTaken(context: QueryContext, keyId: string): Promise<boolean> {
  const row = await context.db.selectFrom(KEYS).select('id').where('id', '=', keyId).executeTakeFirst();
  return row !== undefined;
}

async function countActiveKeys(context: QueryContext, serviceAccountId: string, now: Date): Promise<number> {
  const row = await context.db
    .selectFrom(KEYS)
    .select((eb) => eb.fn.countAll().as('count'))
    .where('service_account_id', '=', serviceAccountId)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
    .executeTakeFirst();
  return fromCount(row?.count as number | string | undefined);
}
