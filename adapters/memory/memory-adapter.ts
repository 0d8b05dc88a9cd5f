import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { StorageChange } from '../../src/storage/change-feed.js';
import { withChangeRecording } from '../../src/storage/change-recording.js';
import type { StorageAdapter, StorageTransaction } from '../../src/storage/storage-adapter.js';
import { MemoryChangeFeed } from './memory-change-feed.js';
import { hasCredits, spendCredits } from './memory-credits.js';
import { MemoryDraft } from './memory-draft.js';
import { keyWithAccount, memoryOperations, touchKeys } from './memory-operations.js';
import { MemoryTables } from './memory-tables.js';

/**
 * A {@link StorageAdapter} that keeps everything in process memory: for tests, demos and
 * single-process apps that can lose their data on restart.
 *
 * - Transactions are real: they run one at a time (a queue), write to a working copy that is
 *   applied on commit and dropped on a throw, and see their own writes. Readers outside a
 *   transaction see committed data only.
 * - Writes outside a transaction wait in the same queue, so the key limit, versions and credit
 *   balances hold under concurrent callers (a spend that writes nothing, for an unknown or
 *   unlimited key, does not wait).
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
  // Never written, so its reads are the committed records.
  const committedView = new MemoryDraft(tables);
  const committed = memoryOperations(() => committedView);
  let queueTail: Promise<unknown> = Promise.resolve();
  const changes = new MemoryChangeFeed();
  /**
   * Runs `change` over a fresh draft once every earlier one has ended, commits it, and tells the
   * change feed what it changed.
   */
  const inTurn = <T>(change: (tx: StorageTransaction, draft: MemoryDraft) => Promise<T>): Promise<T> => {
    const result = queueTail.then(async () => {
      const changed: StorageChange[] = [];
      const value = await runTransaction(tables, (tx, draft) =>
        change(withChangeRecording(tx, changed), draft),
      );
      changes.committed(changed);
      return value;
    });
    queueTail = result.catch(() => undefined);
    return result;
  };
  return {
    name: 'memory',
    changes,
    findServiceAccount: committed.findServiceAccount,
    listServiceAccounts: committed.listServiceAccounts,
    findKey: committed.findKey,
    // The request path: two map lookups that cannot throw, so no async function around them.
    findKeyForVerification: ({ keyId }) => Promise.resolve(keyWithAccount(committedView, keyId, null)),
    listKeys: committed.listKeys,
    queryKeys: committed.queryKeys,
    listAuditEvents: committed.listAuditEvents,
    // A write outside a transaction is a transaction of one write.
    insertServiceAccount: (args) => inTurn((tx) => tx.insertServiceAccount(args)),
    updateServiceAccount: (args) => inTurn((tx) => tx.updateServiceAccount(args)),
    deleteServiceAccount: (args) => inTurn((tx) => tx.deleteServiceAccount(args)),
    insertKeyIfUnderLimit: (args) => inTurn((tx) => tx.insertKeyIfUnderLimit(args)),
    updateKey: (args) => inTurn((tx) => tx.updateKey(args)),
    setKeyCredits: (args) => inTurn((tx) => tx.setKeyCredits(args)),
    insertAuditEvent: (args) => inTurn((tx) => tx.insertAuditEvent(args)),
    touchKeys: ({ entries }) => inTurn(async (_tx, draft) => touchKeys(draft, entries)),
    // An unknown or unlimited key writes nothing: answered from the committed records at once.
    spendCredits: (args) =>
      hasCredits(committedView, args.keyId)
        ? inTurn(async (_tx, draft) => spendCredits(draft, args))
        : Promise.resolve(spendCredits(committedView, args)),
    transaction: (fn) => inTurn((tx) => fn(tx)),
    listAuditEventsSince: async ({ tenantId, after, limit }) => tables.eventsSince(tenantId, after, limit),
  };
}

/** Runs `fn` over a fresh draft, commits it when `fn` resolves, and closes `tx` either way. */
async function runTransaction<T>(
  tables: MemoryTables,
  fn: (tx: StorageTransaction, draft: MemoryDraft) => Promise<T>,
): Promise<T> {
  const draft = new MemoryDraft(tables);
  let open = true;
  const tx = memoryOperations(() => {
    if (!open) throw new KeywardError(ERROR_CODES.INTERNAL, 'The transaction has already ended');
    return draft;
  });
  try {
    const result = await fn(tx, draft);
    draft.commit();
    return result;
  } finally {
    open = false;
  }
}
