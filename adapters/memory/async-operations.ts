import type { StorageReads, StorageTransaction } from '../../src/storage/storage-adapter.js';
import type { MemoryOperations } from './memory-operations.js';

/**
 * How an operation is run: at once, through the write queue, or after checking that a
 * transaction is still open. Always returns a promise (a throw becomes a rejection).
 *
 * @internal
 */
export type OperationRunner = <T>(operation: () => T) => Promise<T>;

/**
 * The async {@link StorageReads} surface over synchronous operations: reads run through
 * `runRead`, writes through `runWrite`.
 *
 * @internal
 */
export function asyncOperations(
  operations: MemoryOperations,
  runRead: OperationRunner,
  runWrite: OperationRunner,
): StorageReads {
  return {
    findServiceAccount: (args) => runRead(() => operations.findServiceAccount(args)),
    listServiceAccounts: (args) => runRead(() => operations.listServiceAccounts(args)),
    findKey: (args) => runRead(() => operations.findKey(args)),
    findKeyForVerification: (args) => runRead(() => operations.findKeyForVerification(args)),
    listKeys: (args) => runRead(() => operations.listKeys(args)),
    listAuditEvents: (args) => runRead(() => operations.listAuditEvents(args)),
    insertServiceAccount: (args) => runWrite(() => operations.insertServiceAccount(args)),
    updateServiceAccount: (args) => runWrite(() => operations.updateServiceAccount(args)),
    deleteServiceAccount: (args) => runWrite(() => operations.deleteServiceAccount(args)),
    insertKeyIfUnderLimit: (args) => runWrite(() => operations.insertKeyIfUnderLimit(args)),
    updateKey: (args) => runWrite(() => operations.updateKey(args)),
    insertAuditEvent: (args) => runWrite(() => operations.insertAuditEvent(args)),
  };
}

/**
 * The async {@link StorageTransaction} surface over one transaction's operations, every call
 * through `run`. The locking reads are plain reads: transactions already run one at a time, so
 * nothing else can change a row between a transaction's read and its end.
 *
 * @internal
 */
export function asyncTransaction(operations: MemoryOperations, run: OperationRunner): StorageTransaction {
  return {
    ...asyncOperations(operations, run, run),
    lockServiceAccount: (args) => run(() => operations.findServiceAccount(args)),
    lockKey: (args) => run(() => operations.findKeyWithAccount(args)),
  };
}

/**
 * Runs `operation` at once, turning a throw into a rejected promise.
 *
 * @internal
 */
export const runNow: OperationRunner = (operation) => {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
};
