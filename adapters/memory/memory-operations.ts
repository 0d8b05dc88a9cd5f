import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type {
  InsertKeyResult,
  KeyWithAccount,
  StorageReads,
  StorageTransaction,
} from '../../src/storage/storage-adapter.js';
import { freezeRecord } from './immutable-record.js';
import type { MemoryView } from './memory-view.js';

/**
 * The storage operations over one view, run synchronously: every call completes in one turn of
 * the event loop, so it is atomic for anyone else reading the same view. Writes validate before
 * they change anything, so a throw leaves the view as it was. Records are frozen on the way in
 * and handed out as stored.
 *
 * @internal
 */
export interface MemoryOperations {
  findServiceAccount(args: Parameters<StorageReads['findServiceAccount']>[0]): ServiceAccount | null;
  listServiceAccounts(args: Parameters<StorageReads['listServiceAccounts']>[0]): ServiceAccount[];
  findKey(args: Parameters<StorageReads['findKey']>[0]): ApiKey | null;
  findKeyForVerification(args: Parameters<StorageReads['findKeyForVerification']>[0]): KeyWithAccount | null;
  /** A key and its account, both in this tenant: what a transaction's `lockKey` reads. */
  findKeyWithAccount(args: Parameters<StorageTransaction['lockKey']>[0]): KeyWithAccount | null;
  listKeys(args: Parameters<StorageReads['listKeys']>[0]): ApiKey[];
  listAuditEvents(args: Parameters<StorageReads['listAuditEvents']>[0]): AuditEvent[];
  insertServiceAccount(args: Parameters<StorageReads['insertServiceAccount']>[0]): void;
  updateServiceAccount(args: Parameters<StorageReads['updateServiceAccount']>[0]): ServiceAccount | null;
  deleteServiceAccount(args: Parameters<StorageReads['deleteServiceAccount']>[0]): boolean;
  insertKeyIfUnderLimit(args: Parameters<StorageReads['insertKeyIfUnderLimit']>[0]): InsertKeyResult;
  updateKey(args: Parameters<StorageReads['updateKey']>[0]): ApiKey | null;
  insertAuditEvent(args: Parameters<StorageReads['insertAuditEvent']>[0]): void;
}

/**
 * Builds the operations over `view`.
 *
 * @internal
 */
export function memoryOperations(view: MemoryView): MemoryOperations {
  return {
    findServiceAccount: ({ tenantId, id }) => inTenant(view.account(id), tenantId),
    listServiceAccounts: ({ tenantId, workspaceId, status, limit, after }) =>
      take(
        view.accountsOf(tenantId, after),
        limit,
        (account) =>
          (workspaceId === undefined || account.workspaceId === workspaceId) &&
          (status === undefined || account.status === status),
      ),
    findKey: ({ tenantId, keyId }) => inTenant(view.key(keyId), tenantId),
    findKeyForVerification: ({ keyId }) => {
      const key = view.key(keyId);
      const account = key === undefined ? undefined : view.account(key.serviceAccountId);
      return key === undefined || account === undefined ? null : { key, account };
    },
    findKeyWithAccount: ({ tenantId, keyId }) => {
      const key = inTenant(view.key(keyId), tenantId);
      const account = key === null ? null : inTenant(view.account(key.serviceAccountId), tenantId);
      return key === null || account === null ? null : { key, account };
    },
    listKeys: ({ tenantId, serviceAccountId, limit, after }) =>
      take(view.keysOf(serviceAccountId, after), limit, (key) => key.tenantId === tenantId),
    listAuditEvents: ({ tenantId, workspaceId, targetId, action, limit, before }) =>
      take(
        view.eventsOf(tenantId, before),
        limit,
        (event) =>
          (workspaceId === undefined || event.workspaceId === workspaceId) &&
          (targetId === undefined || event.target.id === targetId) &&
          (action === undefined || event.action === action),
      ),
    insertServiceAccount: ({ account }) => {
      if (view.account(account.id) !== undefined)
        throw conflict(`Service account ${account.id} already exists`);
      view.putAccount(freezeRecord(account));
    },
    updateServiceAccount: ({ account, expectedVersion }) => {
      const stored = inTenant(view.account(account.id), account.tenantId);
      if (stored === null) return null;
      if (stored.version !== expectedVersion)
        throw conflict(`Service account ${account.id} was changed concurrently`);
      const next = freezeRecord(account);
      view.putAccount(next);
      return next;
    },
    deleteServiceAccount: ({ tenantId, id }) => {
      if (inTenant(view.account(id), tenantId) === null) return false;
      for (const key of [...view.keysOf(id, undefined)]) view.removeKey(key.id);
      view.removeAccount(id);
      return true;
    },
    insertKeyIfUnderLimit: ({ key, limit, now }) => insertKeyIfUnderLimit(view, key, limit, now),
    updateKey: ({ key }) => {
      const stored = inTenant(view.key(key.id), key.tenantId);
      if (stored === null) return null;
      if (stored.status === 'revoked') throw conflict(`Key ${key.id} is revoked`);
      // Only touchKeys moves lastUsedAt: a use recorded since the caller read the key stays.
      const next = freezeRecord({ ...key, lastUsedAt: stored.lastUsedAt });
      view.putKey(next);
      return next;
    },
    insertAuditEvent: ({ event }) => {
      if (view.hasEvent(event.id)) throw conflict(`Audit event ${event.id} already exists`);
      view.addEvent(freezeRecord(event));
    },
  };
}

/** Counts the account's active, unexpired keys and inserts `key` while under `limit`. */
function insertKeyIfUnderLimit(view: MemoryView, key: ApiKey, limit: number, now: Date): InsertKeyResult {
  if (view.key(key.id) !== undefined) throw conflict(`Key ${key.id} already exists`);
  if (inTenant(view.account(key.serviceAccountId), key.tenantId) === null) {
    throw conflict(`Service account ${key.serviceAccountId} does not exist`);
  }
  const nowMs = now.getTime();
  let activeKeys = 0;
  for (const held of view.keysOf(key.serviceAccountId, undefined)) {
    if (held.status === 'active' && (held.expiresAt === null || held.expiresAt.getTime() > nowMs))
      activeKeys++;
  }
  if (activeKeys >= limit) return { inserted: false, activeKeys };
  view.putKey(freezeRecord(key));
  return { inserted: true };
}

/** `record` when it exists and belongs to `tenantId`, else `null`. */
function inTenant<T extends { readonly tenantId: string }>(
  record: T | undefined,
  tenantId: string,
): T | null {
  return record !== undefined && record.tenantId === tenantId ? record : null;
}

/** Up to `limit` items of `source` that pass `keep`, in order. */
function take<T>(source: Iterable<T>, limit: number, keep: (item: T) => boolean): T[] {
  const page: T[] = [];
  if (limit <= 0) return page;
  for (const item of source) {
    if (!keep(item)) continue;
    page.push(item);
    if (page.length >= limit) break;
  }
  return page;
}

function conflict(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.CONFLICT, message);
}

/**
 * Moves `lastUsedAt` of known keys forward; older timestamps and unknown keys are ignored.
 *
 * @internal
 */
export function touchKeys(
  view: MemoryView,
  entries: readonly { readonly keyId: string; readonly lastUsedAt: Date }[],
): void {
  for (const { keyId, lastUsedAt } of entries) {
    const key = view.key(keyId);
    if (key === undefined) continue;
    if (key.lastUsedAt !== null && key.lastUsedAt.getTime() >= lastUsedAt.getTime()) continue;
    view.putKey(freezeRecord({ ...key, lastUsedAt }));
  }
}
