import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { AuditPosition, FollowedAuditEvent } from '../../src/storage/storage-adapter.js';

/**
 * The audit trail in commit order, per tenant: each committed event gets the next sequence
 * (transaction `0n`). Only committed events enter it (a transaction's own events are added when
 * its overlay is applied), and transactions commit one at a time, so a sequence is never
 * overtaken by a later commit. Sequences are never reused.
 *
 * @internal
 */
export class FollowLog {
  #lastSequence = 0n;
  readonly #byTenant = new Map<string, FollowedAuditEvent[]>();

  /** Appends a committed event at the next position. */
  append(event: AuditEvent): void {
    this.#lastSequence += 1n;
    const followed = Object.freeze({
      event,
      position: Object.freeze({ transaction: 0n, sequence: this.#lastSequence }),
    });
    const log = this.#byTenant.get(event.tenantId);
    if (log === undefined) this.#byTenant.set(event.tenantId, [followed]);
    else log.push(followed);
  }

  /** Up to `limit` events of a tenant strictly after `after`, in position order. */
  since(tenantId: string, after: AuditPosition, limit: number): FollowedAuditEvent[] {
    const log = this.#byTenant.get(tenantId);
    // Every position here is (0, n): none comes after a position of a later transaction.
    if (log === undefined || limit <= 0 || after.transaction > 0n) return [];
    const start = firstAfter(log, after.sequence);
    return log.slice(start, start + limit);
  }
}

/** Index of the first entry whose sequence exceeds `sequence` (entries ascend). */
function firstAfter(log: readonly FollowedAuditEvent[], sequence: bigint): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((log[middle] as FollowedAuditEvent).position.sequence <= sequence) low = middle + 1;
    else high = middle;
  }
  return low;
}
