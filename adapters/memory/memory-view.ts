import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { PageAfter } from '../../src/storage/storage-adapter.js';

/**
 * What the storage operations read and write: the committed tables, or a transaction's overlay
 * over them. Records passed in are already frozen; records handed out are the stored ones.
 *
 * @internal
 */
export interface MemoryView {
  /** The account with this id in any tenant. */
  account(id: string): ServiceAccount | undefined;
  /** The key with this id in any tenant. */
  key(id: string): ApiKey | undefined;
  /** True when an audit event with this id exists. */
  hasEvent(id: string): boolean;
  /** Accounts of a tenant strictly after `after`, ascending. */
  accountsOf(tenantId: string, after: PageAfter | undefined): Iterable<ServiceAccount>;
  /** Keys of an account strictly after `after`, ascending. */
  keysOf(serviceAccountId: string, after: PageAfter | undefined): Iterable<ApiKey>;
  /** Audit events of a tenant strictly before `before`, newest first. */
  eventsOf(tenantId: string, before: PageAfter | undefined): Iterable<AuditEvent>;
  /** Inserts or replaces an account. */
  putAccount(account: ServiceAccount): void;
  /** Removes an account (its keys are removed separately). */
  removeAccount(id: string): void;
  /** Inserts or replaces a key. */
  putKey(key: ApiKey): void;
  /** Removes a key. */
  removeKey(id: string): void;
  /** Appends an audit event. */
  addEvent(event: AuditEvent): void;
}
