import { type CompiledQuery, sql } from 'kysely';
import type { KeyWithAccount } from '../../src/storage/storage-adapter.js';
import { findKeyForVerification, keyWithAccountOf, verificationSelection } from './api-key-queries.js';
import type { QueryContext } from './query-context.js';
import { toStorageError } from './storage-error.js';
import type { ApiKeyRow } from './tables.js';

/** Ids sent in one statement at most; past it the batch is sent at once and a new one starts. */
export const MAX_VERIFICATION_BATCH = 100;

type VerificationRow = ApiKeyRow & Record<string, unknown>;

interface Waiter {
  readonly keyId: string;
  resolve(found: KeyWithAccount | null): void;
  reject(error: unknown): void;
}

/**
 * PostgreSQL's request-path read, batched: the `findKeyForVerification` calls made in the same
 * event-loop turn (32 requests in flight resume together when their reads come back) are sent as
 * ONE statement, `... where k.id = any($1)`, at the end of the turn (`setImmediate`), and each
 * caller gets the row of its own id. The server and the driver then handle one round trip, not
 * one per request: pg's protocol handling, about 170 µs of Node CPU per query, dominated.
 *
 * A batch of one request runs the single-id statement, so a lone request costs what it did (plus one
 * turn of the loop). At most `maxBatch` distinct ids go in a statement. A failure of the
 * statement rejects every waiter of its batch with the same mapped `KeywardError`. Only for
 * reads outside a transaction: a transaction's reads go on its own connection, unbatched.
 *
 * @internal
 */
export function batchedVerificationReads(
  context: QueryContext,
  maxBatch = MAX_VERIFICATION_BATCH,
): (args: { readonly keyId: string }) => Promise<KeyWithAccount | null> {
  let pending: Waiter[] = [];
  let distinct = new Set<string>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    const ids = [...distinct];
    pending = [];
    distinct = new Set();
    if (batch.length > 0) void runBatch(context, ids, batch);
  };
  return ({ keyId }) =>
    new Promise<KeyWithAccount | null>((resolve, reject) => {
      if (!distinct.has(keyId) && distinct.size >= maxBatch) flush();
      pending.push({ keyId, resolve, reject });
      distinct.add(keyId);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/** Reads `ids` (one statement) and settles every waiter; never rejects itself. */
async function runBatch(
  context: QueryContext,
  ids: readonly string[],
  batch: readonly Waiter[],
): Promise<void> {
  try {
    const [lone] = batch;
    if (batch.length === 1 && lone !== undefined) {
      lone.resolve(await findKeyForVerification(context, { keyId: lone.keyId }));
      return;
    }
    const result = await context.db.executeQuery<VerificationRow>({
      ...batchQuery(context.db),
      parameters: [ids],
    });
    const rows = new Map<string, VerificationRow>();
    for (const row of result.rows) rows.set(row.id, row);
    for (const waiter of batch) {
      const row = rows.get(waiter.keyId);
      // Converted per waiter: two requests for one id never share (and so never alter) one object.
      waiter.resolve(row === undefined ? null : keyWithAccountOf(row));
    }
  } catch (error) {
    const mapped = toStorageError(error);
    for (const waiter of batch) waiter.reject(mapped);
  }
}

/** The batched statement, compiled once per Kysely instance; only its one array parameter changes. */
const compiledBatches = new WeakMap<object, CompiledQuery>();

function batchQuery(db: QueryContext['db']): CompiledQuery {
  let compiled = compiledBatches.get(db);
  if (compiled === undefined) {
    compiled = verificationSelection(db)
      .where(sql<boolean>`${sql.ref('k.id')} = any(${sql.val<string[]>([])})`)
      .compile();
    compiledBatches.set(db, compiled);
  }
  return compiled;
}

/**
 * The request-path read of `context`: batched on PostgreSQL outside a transaction
 * ({@link batchedVerificationReads}), one statement per call everywhere else.
 *
 * @internal
 */
export function verificationReads(
  context: QueryContext,
): (args: { readonly keyId: string }) => Promise<KeyWithAccount | null> {
  if (context.dialect === 'postgres' && !context.inTransaction) return batchedVerificationReads(context);
  return (args) => findKeyForVerification(context, args);
}
