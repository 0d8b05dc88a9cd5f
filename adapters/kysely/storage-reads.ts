import type { StorageReads } from '../../src/storage/storage-adapter.js';
import { findKey, listKeys, updateKey } from './api-key-queries.js';
import { insertAuditEvent, listAuditEvents } from './audit-event-queries.js';
import { setKeyCredits } from './key-credits.js';
import { insertKeyIfUnderLimit } from './key-limit.js';
import { queryKeys } from './key-query.js';
import type { QueryContext } from './query-context.js';
import {
  deleteServiceAccount,
  findServiceAccount,
  insertServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from './service-account-queries.js';
import { isSqliteBusy, retryAfterBusy } from './sqlite-busy-retry.js';
import { guarded, toStorageError } from './storage-error.js';
import { verificationReads } from './verification-batch.js';

/**
 * The `StorageReads` half of the contract over one executor (the host's instance or an open
 * transaction). Every method turns driver errors into `KeywardError`s.
 *
 * On SQLite outside a transaction, a method that meets a busy database is run again after a
 * pause, for up to `busyTimeoutMs` (`retryAfterBusy`). That is safe because a busy failure
 * leaves nothing applied in each of them: every method is one statement in autocommit mode, or
 * reads only after its one write changed nothing (`updateServiceAccount`, `updateKey`,
 * `setKeyCredits`, the SQLite key limit), or runs its own transaction, which is rolled back before the error gets
 * here (`deleteServiceAccount`). Inside a transaction nothing is retried.
 *
 * @internal
 */
export function storageReads(context: QueryContext): StorageReads {
  const call = callerOf(context);
  const readForVerification = verificationReads(context);
  return {
    findServiceAccount: (args) => call(() => findServiceAccount(context, args)),
    listServiceAccounts: (args) => call(() => listServiceAccounts(context, args)),
    findKey: (args) => call(() => findKey(context, args)),
    findKeyForVerification: (args) => call(() => readForVerification(args)),
    listKeys: (args) => call(() => listKeys(context, args)),
    queryKeys: (query) => call(() => queryKeys(context, query)),
    listAuditEvents: (args) => call(() => listAuditEvents(context, args)),
    insertServiceAccount: (args) => call(() => insertServiceAccount(context, args)),
    updateServiceAccount: (args) => call(() => updateServiceAccount(context, args)),
    deleteServiceAccount: (args) => call(() => deleteServiceAccount(context, args)),
    insertKeyIfUnderLimit: (args) => call(() => insertKeyIfUnderLimit(context, args)),
    updateKey: (args) => call(() => updateKey(context, args)),
    setKeyCredits: (args) => call(() => setKeyCredits(context, args)),
    insertAuditEvent: (args) => call(() => insertAuditEvent(context, args)),
  };
}

/** How the context's methods run: guarded, and on SQLite outside a transaction retried while busy. @internal */
export function callerOf(context: QueryContext): <T>(operation: () => Promise<T>) => Promise<T> {
  if (context.dialect !== 'sqlite' || context.inTransaction) return guarded;
  const { busyTimeoutMs } = context;
  // One frame on the request path; the retry loop only when the first attempt met a busy database.
  return async (operation) => {
    try {
      return await operation();
    } catch (error) {
      if (!isSqliteBusy(error)) throw toStorageError(error);
      return guarded(() => retryAfterBusy(operation, busyTimeoutMs, error));
    }
  };
}
