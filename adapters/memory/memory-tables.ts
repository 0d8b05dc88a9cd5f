import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { AuditPosition, FollowedAuditEvent } from '../../src/storage/storage-adapter.js';

/**
 * The committed records of a memory adapter: maps by id, keys grouped by account, and the audit
 * trail in commit order. Only a committing {@link MemoryDraft} changes them, in one synchronous
 * step, so a reader sees all of a transaction's writes or none of them.
 *
 * @internal
 */
export class MemoryTables {
  /** Accounts by id. */
  readonly accounts = new Map<string, ServiceAccount>();
  /** Keys by id: the request path's index. */
  readonly keys = new Map<string, ApiKey>();
  /** Keys by account id, then key id: what the key limit counts and `listKeys` reads. */
  readonly keysByAccount = new Map<string, Map<string, ApiKey>>();
  /** Every audit event in commit order: the one at index `i` has position `(0, i + 1)`. */
  readonly events: FollowedAuditEvent[] = [];
  /** Ids of every audit event, to refuse duplicates. */
  readonly eventIds = new Set<string>();

  putKey(key: ApiKey): void {
    this.removeKey(key.id);
    this.keys.set(key.id, key);
    const ofAccount = this.keysByAccount.get(key.serviceAccountId);
    if (ofAccount === undefined) this.keysByAccount.set(key.serviceAccountId, new Map([[key.id, key]]));
    else ofAccount.set(key.id, key);
  }

  removeKey(id: string): void {
    const key = this.keys.get(id);
    if (key === undefined) return;
    this.keys.delete(id);
    const ofAccount = this.keysByAccount.get(key.serviceAccountId);
    ofAccount?.delete(id);
    if (ofAccount?.size === 0) this.keysByAccount.delete(key.serviceAccountId);
  }

  /** Appends a committed event at the next position. Events are never removed, so never reused. */
  appendEvent(event: AuditEvent): void {
    const position = Object.freeze({ transaction: 0n, sequence: BigInt(this.events.length + 1) });
    this.events.push(Object.freeze({ event, position }));
    this.eventIds.add(event.id);
  }

  /** Up to `limit` events of a tenant strictly after `after`, in commit order. */
  eventsSince(tenantId: string, after: AuditPosition, limit: number): FollowedAuditEvent[] {
    const page: FollowedAuditEvent[] = [];
    // Every position here is (0, n): none comes after a position with a later transaction.
    if (after.transaction > 0n) return page;
    // The event at index `i` has sequence `i + 1`, so the first one after `after` is at its sequence.
    for (let index = Math.max(0, Number(after.sequence)); index < this.events.length; index++) {
      if (page.length >= limit) break;
      const followed = this.events[index] as FollowedAuditEvent;
      if (followed.event.tenantId === tenantId) page.push(followed);
    }
    return page;
  }
}
