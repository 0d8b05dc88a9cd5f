import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { PageAfter } from '../../src/storage/storage-adapter.js';
import type { MemoryTables } from './memory-tables.js';
import type { MemoryView } from './memory-view.js';
import { filterLazily, mergeOrdered } from './ordered-merge.js';
import { comparePosition, isAfter, isBefore } from './record-order.js';

/**
 * A transaction's working copy: its writes (and deletions, as `null`) sit here over the
 * committed tables, reads see both, and nothing reaches the tables until {@link commit}.
 * Readers outside the transaction keep seeing committed state only. Discarding the overlay
 * is the rollback.
 *
 * @internal
 */
export class TransactionOverlay implements MemoryView {
  readonly #base: MemoryTables;
  readonly #accounts = new Map<string, ServiceAccount | null>();
  readonly #keys = new Map<string, ApiKey | null>();
  readonly #events: AuditEvent[] = [];
  readonly #eventIds = new Set<string>();

  constructor(base: MemoryTables) {
    this.#base = base;
  }

  account(id: string): ServiceAccount | undefined {
    const own = this.#accounts.get(id);
    return own === undefined ? this.#base.account(id) : (own ?? undefined);
  }

  key(id: string): ApiKey | undefined {
    const own = this.#keys.get(id);
    return own === undefined ? this.#base.key(id) : (own ?? undefined);
  }

  hasEvent(id: string): boolean {
    return this.#eventIds.has(id) || this.#base.hasEvent(id);
  }

  accountsOf(tenantId: string, after: PageAfter | undefined): Iterable<ServiceAccount> {
    const own = presentRecords(this.#accounts).filter(
      (account) => account.tenantId === tenantId && isAfter(account, after),
    );
    const committed = filterLazily(
      this.#base.accountsOf(tenantId, after),
      (account) => !this.#accounts.has(account.id),
    );
    return mergeOrdered(committed, own.sort(comparePosition), comparePosition);
  }

  keysOf(serviceAccountId: string, after: PageAfter | undefined): Iterable<ApiKey> {
    const own = presentRecords(this.#keys).filter(
      (key) => key.serviceAccountId === serviceAccountId && isAfter(key, after),
    );
    const committed = filterLazily(
      this.#base.keysOf(serviceAccountId, after),
      (key) => !this.#keys.has(key.id),
    );
    return mergeOrdered(committed, own.sort(comparePosition), comparePosition);
  }

  eventsOf(tenantId: string, before: PageAfter | undefined): Iterable<AuditEvent> {
    const newestFirst = (a: AuditEvent, b: AuditEvent): number => comparePosition(b, a);
    const own = this.#events.filter((event) => event.tenantId === tenantId && isBefore(event, before));
    return mergeOrdered(this.#base.eventsOf(tenantId, before), own.sort(newestFirst), newestFirst);
  }

  putAccount(account: ServiceAccount): void {
    this.#accounts.set(account.id, account);
  }

  removeAccount(id: string): void {
    this.#accounts.set(id, null);
  }

  putKey(key: ApiKey): void {
    this.#keys.set(key.id, key);
  }

  removeKey(id: string): void {
    this.#keys.set(id, null);
  }

  addEvent(event: AuditEvent): void {
    this.#events.push(event);
    this.#eventIds.add(event.id);
  }

  /** Applies every write to the committed tables, synchronously (so atomically for readers). */
  commit(): void {
    const base = this.#base;
    for (const [id, account] of this.#accounts) {
      if (account === null) base.removeAccount(id);
      else base.putAccount(account);
    }
    for (const [id, key] of this.#keys) {
      if (key === null) base.removeKey(id);
      else base.putKey(key);
    }
    for (const event of this.#events) base.addEvent(event);
  }
}

/** The records of an overlay map that are not deletions. */
function presentRecords<T>(records: Map<string, T | null>): T[] {
  const present: T[] = [];
  for (const record of records.values()) {
    if (record !== null) present.push(record);
  }
  return present;
}
