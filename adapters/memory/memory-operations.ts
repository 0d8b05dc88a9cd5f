import type { ApiKey } from '../../src/entities/api-key.js';
import { accountKind, type ServiceAccount } from '../../src/entities/service-account.js';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import type { KeyWithAccount, PageAfter, StorageTransaction } from '../../src/storage/storage-adapter.js';
import { freezeRecord } from './immutable-record.js';
import { matchesKeyQuery } from './key-query-match.js';
import type { MemoryDraft } from './memory-draft.js';

/**
 * The storage operations over a draft. Each one first calls `draft` (which throws once its
 * transaction has ended), then runs in one synchronous step and checks before it writes, so a
 * rejected call changes nothing. Records are frozen on the way in and handed out as stored.
 * The locking reads are plain reads: transactions already run one at a time.
 *
 * @internal
 */
export function memoryOperations(draft: () => MemoryDraft): StorageTransaction {
  const findAccount = (tenantId: string, id: string) => inTenant(draft().account(id), tenantId);
  return {
    findServiceAccount: async ({ tenantId, id }) => findAccount(tenantId, id),
    lockServiceAccount: async ({ tenantId, id }) => findAccount(tenantId, id),
    listServiceAccounts: async ({ tenantId, kind, ownerUserId, workspaceId, status, limit, after }) => {
      const accounts = draft()
        .accounts()
        .filter(
          (account) =>
            account.tenantId === tenantId &&
            accountKind(account) === (kind ?? 'service') &&
            (ownerUserId === undefined || account.ownerUserId === ownerUserId) &&
            (workspaceId === undefined || account.workspaceId === workspaceId) &&
            (status === undefined || account.status === status),
        );
      return page(accounts, 'ascending', after, limit);
    },
    findKey: async ({ tenantId, keyId }) => inTenant(draft().key(keyId), tenantId),
    findKeyForVerification: async ({ keyId }) => keyWithAccount(draft(), keyId, null),
    lockKey: async ({ tenantId, keyId }) => keyWithAccount(draft(), keyId, tenantId),
    listKeys: async ({ tenantId, serviceAccountId, limit, after }) => {
      const keys = draft()
        .keysOf(serviceAccountId)
        .filter((key) => key.tenantId === tenantId);
      return page(keys, 'ascending', after, limit);
    },
    queryKeys: async (query) => {
      const keys = draft()
        .keys()
        .filter((key) => matchesKeyQuery(key, query))
        .filter(
          (key) => query.accountKind === undefined || accountKindOf(draft(), key) === query.accountKind,
        );
      return page(keys, 'ascending', query.after, query.limit);
    },
    listAuditEvents: async ({ tenantId, workspaceId, targetId, action, limit, before }) => {
      const events = draft()
        .eventsOf(tenantId)
        .filter(
          (event) =>
            (workspaceId === undefined || event.workspaceId === workspaceId) &&
            (targetId === undefined || event.target.id === targetId) &&
            (action === undefined || event.action === action),
        );
      return page(events, 'descending', before, limit);
    },
    insertServiceAccount: async ({ account }) => {
      const view = draft();
      if (view.account(account.id) !== undefined)
        throw conflict(`Service account ${account.id} already exists`);
      if (
        account.ownerUserId !== undefined &&
        view.accounts().some((held) => samePersonalAccount(held, account))
      )
        throw conflict(
          `A personal account of ${account.ownerUserId} already exists in ${account.workspaceId}`,
        );
      view.putAccount(freezeRecord(account));
    },
    updateServiceAccount: async ({ account, expectedVersion }) => {
      const view = draft();
      const stored = inTenant(view.account(account.id), account.tenantId);
      if (stored === null) return null;
      if (stored.version !== expectedVersion)
        throw conflict(`Service account ${account.id} was changed concurrently`);
      const next = freezeRecord(account);
      view.putAccount(next);
      return next;
    },
    deleteServiceAccount: async ({ tenantId, id }) => {
      const view = draft();
      if (inTenant(view.account(id), tenantId) === null) return false;
      for (const key of view.keysOf(id)) view.deleteKey(key.id);
      view.deleteAccount(id);
      return true;
    },
    insertKeyIfUnderLimit: async ({ key, limit, now }) => {
      const view = draft();
      if (view.key(key.id) !== undefined) throw conflict(`Key ${key.id} already exists`);
      if (inTenant(view.account(key.serviceAccountId), key.tenantId) === null)
        throw conflict(`Service account ${key.serviceAccountId} does not exist`);
      const activeKeys = view.keysOf(key.serviceAccountId).filter((held) => isActive(held, now)).length;
      if (activeKeys >= limit) return { inserted: false, activeKeys };
      view.putKey(freezeRecord(key));
      return { inserted: true };
    },
    updateKey: async ({ key }) => {
      const view = draft();
      const stored = inTenant(view.key(key.id), key.tenantId);
      if (stored === null) return null;
      if (stored.status === 'revoked') throw conflict(`Key ${key.id} is revoked`);
      // Only touchKeys moves lastUsedAt, and only setKeyCredits / spendCredits move credits: a
      // use or a spend recorded since the caller read the key stays.
      const next = freezeRecord({ ...key, lastUsedAt: stored.lastUsedAt, credits: stored.credits });
      view.putKey(next);
      return next;
    },
    setKeyCredits: async ({ tenantId, keyId, credits }) => {
      const view = draft();
      const stored = inTenant(view.key(keyId), tenantId);
      if (stored === null) return null;
      if (stored.status === 'revoked') throw conflict(`Key ${keyId} is revoked`);
      const next = freezeRecord({ ...stored, credits });
      view.putKey(next);
      return next;
    },
    insertAuditEvent: async ({ event }) => {
      const view = draft();
      if (view.hasEvent(event.id)) throw conflict(`Audit event ${event.id} already exists`);
      view.addEvent(freezeRecord(event));
    },
  };
}

/**
 * Moves `lastUsedAt` of known keys forward; older timestamps and unknown keys are ignored.
 *
 * @internal
 */
export function touchKeys(
  draft: MemoryDraft,
  entries: readonly { readonly keyId: string; readonly lastUsedAt: Date }[],
): void {
  for (const { keyId, lastUsedAt } of entries) {
    const key = draft.key(keyId);
    if (key === undefined) continue;
    if (key.lastUsedAt !== null && key.lastUsedAt.getTime() >= lastUsedAt.getTime()) continue;
    draft.putKey(freezeRecord({ ...key, lastUsedAt }));
  }
}

/**
 * A key and its account, both in `tenantId` unless it is `null` (the request path).
 *
 * @internal
 */
export function keyWithAccount(
  draft: MemoryDraft,
  keyId: string,
  tenantId: string | null,
): KeyWithAccount | null {
  const key = draft.key(keyId);
  if (key === undefined || (tenantId !== null && key.tenantId !== tenantId)) return null;
  const account = draft.account(key.serviceAccountId);
  if (account === undefined || (tenantId !== null && account.tenantId !== tenantId)) return null;
  return { key, account };
}

/** Active and unexpired at `now`: what the key limit counts. */
function isActive(key: ApiKey, now: Date): boolean {
  return key.status === 'active' && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}

/**
 * Up to `limit` rows strictly after `cursor` in listing order: `(createdAt, id)` ascending, or
 * descending for the audit trail, ids compared by code unit (binary, as `COLLATE "C"`).
 */
function page<T extends PageAfter>(
  rows: T[],
  order: 'ascending' | 'descending',
  cursor: PageAfter | undefined,
  limit: number,
): T[] {
  const sign = order === 'ascending' ? 1 : -1;
  const compare = (a: PageAfter, b: PageAfter): number =>
    sign * (a.createdAt.getTime() - b.createdAt.getTime() || (a.id === b.id ? 0 : a.id < b.id ? -1 : 1));
  const after = cursor === undefined ? rows : rows.filter((row) => compare(row, cursor) > 0);
  return after.sort(compare).slice(0, Math.max(0, limit));
}

/** `record` when it exists and belongs to `tenantId`, else `null`. */
function inTenant<T extends { readonly tenantId: string }>(
  record: T | undefined,
  tenantId: string,
): T | null {
  return record !== undefined && record.tenantId === tenantId ? record : null;
}

function conflict(message: string): KeywardError {
  return new KeywardError(ERROR_CODES.CONFLICT, message);
}

/** Whether two accounts are personal accounts of the same person, tenant and workspace. */
function samePersonalAccount(held: ServiceAccount, account: ServiceAccount): boolean {
  return (
    held.ownerUserId !== undefined &&
    held.ownerUserId === account.ownerUserId &&
    held.tenantId === account.tenantId &&
    held.workspaceId === account.workspaceId
  );
}

/** The kind of the account a key belongs to (`service` when it is gone). */
function accountKindOf(draft: MemoryDraft, key: ApiKey): string {
  const account = draft.account(key.serviceAccountId);
  return account === undefined ? 'service' : accountKind(account);
}
