import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { MemoryTables } from './memory-tables.js';

/**
 * A transaction's working copy: the records it wrote (`null` for a deletion) and the events it
 * appended, over the committed tables. Reads see both; {@link commit} applies the writes in one
 * synchronous step, and dropping the draft is the rollback. Outside a transaction, reads go
 * through a draft that is never written, so they see the committed records as they are.
 *
 * @internal
 */
export class MemoryDraft {
  readonly #tables: MemoryTables;
  readonly #accounts = new Map<string, ServiceAccount | null>();
  readonly #keys = new Map<string, ApiKey | null>();
  readonly #events: AuditEvent[] = [];

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  account(id: string): ServiceAccount | undefined {
    const own = this.#accounts.get(id);
    return own === undefined ? this.#tables.accounts.get(id) : (own ?? undefined);
  }

  key(id: string): ApiKey | undefined {
    const own = this.#keys.get(id);
    return own === undefined ? this.#tables.keys.get(id) : (own ?? undefined);
  }

  hasEvent(id: string): boolean {
    return this.#tables.eventIds.has(id) || this.#events.some((event) => event.id === id);
  }

  /** Every account, unordered. */
  accounts(): ServiceAccount[] {
    return current(this.#tables.accounts.values(), this.#accounts);
  }

  /** Every key, unordered. */
  keys(): ApiKey[] {
    return current(this.#tables.keys.values(), this.#keys);
  }

  /** The keys of one account, unordered. */
  keysOf(serviceAccountId: string): ApiKey[] {
    const committed = this.#tables.keysByAccount.get(serviceAccountId)?.values() ?? [];
    return current(committed, this.#keys).filter((key) => key.serviceAccountId === serviceAccountId);
  }

  /** The audit events of one tenant, unordered. */
  eventsOf(tenantId: string): AuditEvent[] {
    const events: AuditEvent[] = [];
    for (const { event } of this.#tables.events) if (event.tenantId === tenantId) events.push(event);
    for (const event of this.#events) if (event.tenantId === tenantId) events.push(event);
    return events;
  }

  putAccount(account: ServiceAccount): void {
    this.#accounts.set(account.id, account);
  }

  deleteAccount(id: string): void {
    this.#accounts.set(id, null);
  }

  putKey(key: ApiKey): void {
    this.#keys.set(key.id, key);
  }

  deleteKey(id: string): void {
    this.#keys.set(id, null);
  }

  addEvent(event: AuditEvent): void {
    this.#events.push(event);
  }

  /** Applies every write to the tables in one synchronous step (atomic for every reader). */
  commit(): void {
    const tables = this.#tables;
    for (const [id, account] of this.#accounts) {
      if (account === null) tables.accounts.delete(id);
      else tables.accounts.set(id, account);
    }
    for (const [id, key] of this.#keys) {
      if (key === null) tables.removeKey(id);
      else tables.putKey(key);
    }
    for (const event of this.#events) tables.appendEvent(event);
  }
}

/** The committed records not written in the draft, then the draft's records (not deletions). */
function current<T extends { readonly id: string }>(committed: Iterable<T>, own: Map<string, T | null>): T[] {
  const records: T[] = [];
  for (const record of committed) if (!own.has(record.id)) records.push(record);
  for (const record of own.values()) if (record !== null) records.push(record);
  return records;
}
