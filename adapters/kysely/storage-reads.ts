import type { StorageReads } from '../../src/storage/storage-adapter.js';
import { findKey, findKeyForVerification, listKeys, updateKey } from './api-key-queries.js';
import { insertAuditEvent, listAuditEvents } from './audit-event-queries.js';
import { insertKeyIfUnderLimit } from './key-limit.js';
import type { QueryContext } from './query-context.js';
import {
  deleteServiceAccount,
  findServiceAccount,
  insertServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from './service-account-queries.js';
import { guarded } from './storage-error.js';

/**
 * The `StorageReads` half of the contract over one executor (the host's instance or an open
 * transaction). Every method turns driver errors into `KeywardError`s.
 *
 * @internal
 */
export function storageReads(context: QueryContext): StorageReads {
  return {
    findServiceAccount: (args) => guarded(() => findServiceAccount(context, args)),
    listServiceAccounts: (args) => guarded(() => listServiceAccounts(context, args)),
    findKey: (args) => guarded(() => findKey(context, args)),
    findKeyForVerification: (args) => guarded(() => findKeyForVerification(context, args)),
    listKeys: (args) => guarded(() => listKeys(context, args)),
    listAuditEvents: (args) => guarded(() => listAuditEvents(context, args)),
    insertServiceAccount: (args) => guarded(() => insertServiceAccount(context, args)),
    updateServiceAccount: (args) => guarded(() => updateServiceAccount(context, args)),
    deleteServiceAccount: (args) => guarded(() => deleteServiceAccount(context, args)),
    insertKeyIfUnderLimit: (args) => guarded(() => insertKeyIfUnderLimit(context, args)),
    updateKey: (args) => guarded(() => updateKey(context, args)),
    insertAuditEvent: (args) => guarded(() => insertAuditEvent(context, args)),
  };
}
