import type { AuditPosition, FollowedAuditEvent, StorageAdapter } from '../storage/storage-adapter.js';

/** Before every stored event. @internal */
export const FOLLOW_START: AuditPosition = { transaction: 0n, sequence: 0n };

/** How long a follower waits for committed events to be handed out. */
const SETTLE_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 5;

/** Negative when `a` comes first in follow order. @internal */
export function comparePositions(a: AuditPosition, b: AuditPosition): number {
  if (a.transaction !== b.transaction) return a.transaction < b.transaction ? -1 : 1;
  if (a.sequence !== b.sequence) return a.sequence < b.sequence ? -1 : 1;
  return 0;
}

/**
 * Reads every event after `after` that the adapter hands out now, page by page.
 *
 * @internal
 */
export async function readSince(
  storage: StorageAdapter,
  tenantId: string,
  after: AuditPosition,
  pageSize = 50,
): Promise<FollowedAuditEvent[]> {
  const read: FollowedAuditEvent[] = [];
  let position = after;
  for (;;) {
    const page = await storage.listAuditEventsSince({ tenantId, after: position, limit: pageSize });
    read.push(...page);
    const last = page[page.length - 1];
    if (last === undefined || page.length < pageSize) return read;
    position = last.position;
  }
}

/**
 * Polls from the start until at least `count` events of the tenant are handed out, and returns
 * them. Committed events may be withheld for a while (PostgreSQL waits for every older
 * transaction of the server, including other tests' in other databases), never lost.
 *
 * @internal
 */
export async function awaitFollowed(
  storage: StorageAdapter,
  tenantId: string,
  count: number,
): Promise<FollowedAuditEvent[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const read = await readSince(storage, tenantId, FOLLOW_START);
    if (read.length >= count) return read;
    if (Date.now() > deadline) {
      throw new Error(`Only ${read.length} of ${count} committed events were handed out`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
