import type { StorageTransaction } from '../../src/storage/storage-adapter.js';
import type { QueryContext } from './query-context.js';
import { lockKey, lockServiceAccount } from './row-locks.js';
import { guarded } from './storage-error.js';
import { storageReads } from './storage-reads.js';

/**
 * The `StorageTransaction` surface over an open transaction: every `StorageReads` method plus
 * the locking reads. Every method turns driver errors into `KeywardError`s.
 *
 * @internal
 */
export function storageTransaction(context: QueryContext): StorageTransaction {
  return {
    ...storageReads(context),
    lockServiceAccount: (args) => guarded(() => lockServiceAccount(context, args)),
    lockKey: (args) => guarded(() => lockKey(context, args)),
  };
}
