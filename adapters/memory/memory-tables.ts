import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { AuditPosition, FollowedAuditEvent, PageAfter } from '../../src/storage/storage-adapter.js';
import { FollowLog } from './follow-log.js';
import type { MemoryView } from './memory-view.js';
import { SortedRecords } from './sorted-records.js';

/**
 * The committed state of a memory adapter: maps by id for O(1) lookups, plus sorted secondary
 * indexes (accounts by tenant, keys by account, events by tenant) for ordered listing, and the
 * audit trail in commit order for followers.
 *
 * @internal
 */
export class MemoryTables implements MemoryView {
  readonly #accounts = new Map<string, ServiceAccount>();
  readonly #keys = new Map<string, ApiKey>();
  readonly #eventIds = new Set<string>();
  readonly #accountsByTenant = new Map<string, SortedRecords<ServiceAccount>>();
  readonly #keysByAccount = new Map<string, SortedRecords<ApiKey>>();
  readonly #eventsByTenant = new Map<string, SortedRecords<AuditEvent>>();
  readonly #followLog = new FollowLog();

  account(id: string): ServiceAccount | undefined {
    return this.#accounts.get(id);
  }

  key(id: string): ApiKey | undefined {
    return this.#keys.get(id);
  }

  hasEvent(id: string): boolean {
    return this.#eventIds.has(id);
  }

  accountsOf(tenantId: string, after: PageAfter | undefined): Iterable<ServiceAccount> {
    return this.#accountsByTenant.get(tenantId)?.ascendingAfter(after) ?? [];
  }

  keysOf(serviceAccountId: string, after: PageAfter | undefined): Iterable<ApiKey> {
    return this.#keysByAccount.get(serviceAccountId)?.ascendingAfter(after) ?? [];
  }

  eventsOf(tenantId: string, before: PageAfter | undefined): Iterable<AuditEvent> {
    return this.#eventsByTenant.get(tenantId)?.descendingBefore(before) ?? [];
  }

  /** Committed events of a tenant after `after`, in commit order (see {@link FollowLog}). */
  eventsSince(tenantId: string, after: AuditPosition, limit: number): FollowedAuditEvent[] {
    return this.#followLog.since(tenantId, after, limit);
  }

  putAccount(account: ServiceAccount): void {
    const previous = this.#accounts.get(account.id);
    this.#accounts.set(account.id, account);
    if (previous !== undefined && previous.tenantId === account.tenantId) {
      indexOf(this.#accountsByTenant, account.tenantId).replace(previous, account);
      return;
    }
    if (previous !== undefined) this.#accountsByTenant.get(previous.tenantId)?.remove(previous);
    indexOf(this.#accountsByTenant, account.tenantId).insert(account);
  }

  removeAccount(id: string): void {
    const previous = this.#accounts.get(id);
    if (previous === undefined) return;
    this.#accounts.delete(id);
    removeFrom(this.#accountsByTenant, previous.tenantId, previous);
  }

  putKey(key: ApiKey): void {
    const previous = this.#keys.get(key.id);
    this.#keys.set(key.id, key);
    if (previous !== undefined && previous.serviceAccountId === key.serviceAccountId) {
      indexOf(this.#keysByAccount, key.serviceAccountId).replace(previous, key);
      return;
    }
    if (previous !== undefined) removeFrom(this.#keysByAccount, previous.serviceAccountId, previous);
    indexOf(this.#keysByAccount, key.serviceAccountId).insert(key);
  }

  removeKey(id: string): void {
    const previous = this.#keys.get(id);
    if (previous === undefined) return;
    this.#keys.delete(id);
    removeFrom(this.#keysByAccount, previous.serviceAccountId, previous);
  }

  addEvent(event: AuditEvent): void {
    this.#eventIds.add(event.id);
    indexOf(this.#eventsByTenant, event.tenantId).insert(event);
    this.#followLog.append(event);
  }
}

/** The sorted index under `group`, created on first use. */
function indexOf<T extends ServiceAccount | ApiKey | AuditEvent>(
  indexes: Map<string, SortedRecords<T>>,
  group: string,
): SortedRecords<T> {
  let index = indexes.get(group);
  if (index === undefined) {
    index = new SortedRecords<T>();
    indexes.set(group, index);
  }
  return index;
}

/** Removes `record` from the index under `group`, dropping the index once empty. */
function removeFrom<T extends ServiceAccount | ApiKey>(
  indexes: Map<string, SortedRecords<T>>,
  group: string,
  record: T,
): void {
  const index = indexes.get(group);
  if (index === undefined) return;
  index.remove(record);
  if (index.size === 0) indexes.delete(group);
}
