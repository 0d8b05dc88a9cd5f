import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { StorageAdapter, StorageTransaction } from '../../src/storage/storage-adapter.js';
import { asyncOperations, asyncTransaction, type OperationRunner, runNow } from './async-operations.js';
import { memoryOperations, touchKeys } from './memory-operations.js';
import { MemoryTables } from './memory-tables.js';
import { SerialQueue } from './serial-queue.js';
import { TransactionOverlay } from './transaction-overlay.js';

/**
 * A {@link StorageAdapter} that keeps everything in process memory: for tests, demos and
 * single-process apps that can lose their data on restart.
 *
 * - Transactions are real: they run one at a time (a queue), write to a working copy that is
 *   applied on commit and dropped on a throw, and see their own writes. Readers outside a
 *   transaction see committed data only.
 * - Writes outside a transaction wait in the same queue, so the key limit and versions hold
 *   under concurrent callers.
 * - The audit trail's follow order (`listAuditEventsSince`) is commit order: an event gets its
 *   position when its transaction commits.
 * - Stored records are deep-frozen copies (dates included) and reads return them as stored,
 *   without copying: treat them as read-only.
 *
 * Inside `transaction(fn)`, use only `tx`: a write on the adapter itself waits for the
 * transaction to end, so awaiting it inside `fn` never completes.
 *
 * @example
 * ```ts
 * import { memoryAdapter } from 'keyward/adapters/memory';
 * const kw = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', ... });
 * ```
 */
export function memoryAdapter(): StorageAdapter {
  const tables = new MemoryTables();
  const queue = new SerialQueue();
  const runWrite: OperationRunner = (operation) => queue.run(operation);
  const committed = memoryOperations(tables);
  return {
    name: 'memory',
    ...asyncOperations(committed, runNow, runWrite),
    // The request path: two map lookups that cannot throw, so no wrapper around them.
    findKeyForVerification: (args) => Promise.resolve(committed.findKeyForVerification(args)),
    // Committed events only: a transaction's events reach the tables when it commits.
    listAuditEventsSince: ({ tenantId, after, limit }) =>
      runNow(() => tables.eventsSince(tenantId, after, limit)),
    transaction: (fn) => queue.run(() => runTransaction(tables, fn)),
    touchKeys: ({ entries }) => runWrite(() => touchKeys(tables, entries)),
  };
}

/** Runs `fn` over a fresh overlay, commits it when `fn` resolves, and closes `tx` either way. */
async function runTransaction<T>(
  tables: MemoryTables,
  fn: (tx: StorageTransaction) => Promise<T>,
): Promise<T> {
  const overlay = new TransactionOverlay(tables);
  let open = true;
  const runWhileOpen: OperationRunner = (operation) =>
    runNow(() => {
      if (!open) throw new KeywardError(ERROR_CODES.INTERNAL, 'The transaction has already ended');
      return operation();
    });
  const tx = asyncTransaction(memoryOperations(overlay), runWhileOpen);
  try {
    const result = await fn(tx);
    overlay.commit();
    return result;
  } finally {
    open = false;
  }
}
