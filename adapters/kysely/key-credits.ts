import { type RawBuilder, sql } from 'kysely';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { KeyCredits } from '../../src/entities/request-controls.js';
import { spendFromCredits } from '../../src/storage/credit-spend.js';
import type { SpendCreditsResult } from '../../src/storage/storage-adapter.js';
import { updateUnrevokedKey } from './api-key-queries.js';
import { columnsToCredits, creditsToColumns } from './key-credits-columns.js';
import { atomically, type QueryContext } from './query-context.js';

const KEYS = 'keyward_api_keys';

interface SpendArgs {
  readonly keyId: string;
  readonly cost: number;
  readonly now: Date;
}

/** What {@link setKeyCredits} takes. */
interface SetCreditsArgs {
  readonly tenantId: string;
  readonly keyId: string;
  readonly credits: KeyCredits | null;
}

/**
 * Replaces a key's four `credits_*` columns and nothing else, as `updateKey` writes the others:
 * never to a revoked key (`CONFLICT`), `null` for a missing one, noticed to the change feeds.
 *
 * @internal
 */
export function setKeyCredits(context: QueryContext, args: SetCreditsArgs): Promise<ApiKey | null> {
  return updateUnrevokedKey(context, args, creditsToColumns(args.credits));
}

/**
 * `spendCredits`, atomic across connections.
 *
 * 1. The path of every request a key can pay for: one `UPDATE ... RETURNING` by primary key that
 *    applies a due refill and takes `cost` in the same row write, only when the balance (after
 *    the refill) holds `cost`. On PostgreSQL a concurrent spend waits for the row and the
 *    statement is evaluated again on the version it committed (`READ COMMITTED`); on SQLite a
 *    statement holds the write lock from start to end. So no two spends ever see one balance.
 * 2. When it matched no row: a plain read tells an unknown key (`null`), an unlimited one, and a
 *    refusal with no due refill (the common refusal), none of which writes.
 * 3. Only when a refused spend must still store a due refill (a cost above the refill amount),
 *    or the row changed between 1 and 2: the reference rule `spendFromCredits` in a transaction
 *    on the locked row (`FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite).
 *
 * @internal
 */
export async function spendCredits(context: QueryContext, args: SpendArgs): Promise<SpendCreditsResult> {
  const spent = await spendInOneStatement(context, args);
  if (spent !== null) return spent;
  const credits = await readCredits(context, args.keyId, false);
  if (credits === undefined) return null;
  if (credits === null) return { spent: true, remaining: null };
  const { result, next } = spendFromCredits(credits, args.cost, args.now.getTime());
  if (next === null) return result;
  return atomically(context, (tx) => spendOnLockedRow(tx, args));
}

/** Step 3: read the row locked, apply the reference rule, store what changed. */
async function spendOnLockedRow(context: QueryContext, args: SpendArgs): Promise<SpendCreditsResult> {
  const credits = await readCredits(context, args.keyId, true);
  if (credits === undefined) return null;
  if (credits === null) return { spent: true, remaining: null };
  const { result, next } = spendFromCredits(credits, args.cost, args.now.getTime());
  if (next !== null)
    await context.db.updateTable(KEYS).set(creditsToColumns(next)).where('id', '=', args.keyId).execute();
  return result;
}

/** A key's credits by id: `undefined` for no such key, `null` when it is unlimited. */
async function readCredits(
  context: QueryContext,
  keyId: string,
  lock: boolean,
): Promise<KeyCredits | null | undefined> {
  let query = context.db
    .selectFrom(KEYS)
    .select([
      'credits_remaining',
      'credits_refill_amount',
      'credits_refill_interval_ms',
      'credits_refilled_at',
    ])
    .where('id', '=', keyId);
  if (lock && context.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : columnsToCredits(row);
}

/**
 * Step 1: apply a due refill and take `cost` in one statement, when the balance holds it.
 * Every expression reads the row as it was before the statement (standard `UPDATE` semantics on
 * both dialects). Parameters are cast to `bigint` so that SQLite computes in integers (its
 * driver binds numbers as reals) and PostgreSQL knows their type.
 */
async function spendInOneStatement(context: QueryContext, args: SpendArgs): Promise<SpendCreditsResult> {
  const now = sql`cast(${args.now.getTime()} as bigint)`;
  const cost = sql`cast(${args.cost} as bigint)`;
  const { due, balance, refilledAt } = refillExpressions(now);
  const result = await sql<{ credits_remaining: number | string }>`
    update ${sql.table(KEYS)}
    set credits_remaining = ${balance} - ${cost},
        credits_refilled_at = case when ${due} then ${refilledAt} else credits_refilled_at end
    where id = ${args.keyId} and credits_remaining is not null and ${balance} >= ${cost}
    returning credits_remaining
  `.execute(context.db);
  const row = result.rows[0];
  return row === undefined ? null : { spent: true, remaining: Number(row.credits_remaining) };
}

/**
 * The refill rule in SQL over the row's own columns, the twin of `withDueRefill`: whether a refill
 * is due at `now`, the balance after it, and `refilledAt` moved forward by whole intervals.
 */
function refillExpressions(now: RawBuilder<unknown>): {
  readonly due: RawBuilder<unknown>;
  readonly balance: RawBuilder<unknown>;
  readonly refilledAt: RawBuilder<unknown>;
} {
  const due = sql`(credits_refill_amount is not null and credits_refill_interval_ms is not null
    and credits_refilled_at is not null and ${now} - credits_refilled_at >= credits_refill_interval_ms)`;
  return {
    due,
    balance: sql`(case when ${due} then credits_refill_amount else credits_remaining end)`,
    refilledAt: sql`(credits_refilled_at
      + ((${now} - credits_refilled_at) / credits_refill_interval_ms) * credits_refill_interval_ms)`,
  };
}
