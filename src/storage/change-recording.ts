import type { StorageChange } from './change-feed.js';
import type { StorageTransaction } from './storage-adapter.js';

/**
 * The same transaction, noting in `changes` every write that changes what the request path reads
 * (an account or a key created, changed or deleted), for a storage that tells its change feed once
 * the transaction committed. `touchKeys` and credit spends are not such writes.
 *
 * @internal
 */
export function withChangeRecording(tx: StorageTransaction, changes: StorageChange[]): StorageTransaction {
  return {
    ...tx,
    async insertServiceAccount(args) {
      await tx.insertServiceAccount(args);
      changes.push({ kind: 'account', id: args.account.id });
    },
    async updateServiceAccount(args) {
      const stored = await tx.updateServiceAccount(args);
      if (stored !== null) changes.push({ kind: 'account', id: args.account.id });
      return stored;
    },
    async deleteServiceAccount(args) {
      const deleted = await tx.deleteServiceAccount(args);
      if (deleted) changes.push({ kind: 'account', id: args.id });
      return deleted;
    },
    async insertKeyIfUnderLimit(args) {
      const result = await tx.insertKeyIfUnderLimit(args);
      if (result.inserted) changes.push({ kind: 'key', id: args.key.id });
      return result;
    },
    async updateKey(args) {
      const stored = await tx.updateKey(args);
      if (stored !== null) changes.push({ kind: 'key', id: args.key.id });
      return stored;
    },
    async setKeyCredits(args) {
      const stored = await tx.setKeyCredits(args);
      if (stored !== null) changes.push({ kind: 'key', id: args.keyId });
      return stored;
    },
  };
}
