import type { AuditEvent } from '../entities/audit-event.js';
import type { FollowedAuditEvent } from '../storage/storage-adapter.js';
import { assert, assertDeepEqual, assertEqual, rejection } from './assertions.js';
import { awaitFollowed, comparePositions, FOLLOW_START, readSince } from './audit-follower.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildAuditEvent, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

/** Beyond every position an adapter can hand out (both parts at 2^63 - 1). */
const LAST_POSITION = { transaction: (1n << 63n) - 1n, sequence: (1n << 63n) - 1n };

class DeliberateFailure extends Error {}

const ids = (followed: readonly FollowedAuditEvent[]): string[] => followed.map((entry) => entry.event.id);

/**
 * Following the audit trail (`listAuditEventsSince`): committed events in the order they were
 * written, strictly after a position, per tenant, paged without repeats or gaps. Transactions
 * racing a follower are in `describeAuditFollowConcurrency`.
 *
 * @internal
 */
export function describeAuditFollow({ adapter, describe, it }: ConformanceContext): void {
  async function insertAll(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) await adapter().insertAuditEvent({ event });
  }

  describe('audit trail, followed', () => {
    it('hands out events in the order they were written, whatever their createdAt, with rising positions', async () => {
      const tenantId = testTenantId();
      const events = [30, 10, 20].map((offset) =>
        buildAuditEvent({ tenantId, createdAt: fixtureTime(offset) }),
      );
      await insertAll(events);
      const followed = await awaitFollowed(adapter(), tenantId, 3);
      assertDeepEqual(
        ids(followed),
        events.map((event) => event.id),
      );
      for (const [index, entry] of followed.entries())
        assertSameRecord(entry.event, events[index] as AuditEvent);
      const positions = [FOLLOW_START, ...followed.map((entry) => entry.position)];
      for (let index = 1; index < positions.length; index++) {
        const rising = comparePositions(positions[index - 1]!, positions[index]!) < 0;
        assert(rising, `position ${index} does not come after position ${index - 1}`);
      }
    });

    it('pages strictly after the last position returned, without repeating or skipping, then returns []', async () => {
      const tenantId = testTenantId();
      const events = Array.from({ length: 23 }, () => buildAuditEvent({ tenantId }));
      await insertAll(events);
      await awaitFollowed(adapter(), tenantId, events.length);
      const seen: string[] = [];
      const pageSizes: number[] = [];
      let after = FOLLOW_START;
      for (let pages = 0; pages < 10; pages++) {
        const page = await adapter().listAuditEventsSince({ tenantId, after, limit: 6 });
        if (page.length === 0) break;
        pageSizes.push(page.length);
        seen.push(...ids(page));
        after = page[page.length - 1]!.position;
      }
      assertDeepEqual(pageSizes, [6, 6, 6, 5]);
      assertDeepEqual(
        seen,
        events.map((event) => event.id),
      );
      assertDeepEqual(await adapter().listAuditEventsSince({ tenantId, after, limit: 6 }), []);
    });

    it('returns [] after the last possible position and for a tenant without events', async () => {
      const event = buildAuditEvent();
      await insertAll([event]);
      await awaitFollowed(adapter(), event.tenantId, 1);
      const tenantId = event.tenantId;
      assertDeepEqual(
        await adapter().listAuditEventsSince({ tenantId, after: LAST_POSITION, limit: 10 }),
        [],
      );
      const empty = { tenantId: testTenantId(), after: FOLLOW_START, limit: 10 };
      assertDeepEqual(await adapter().listAuditEventsSince(empty), []);
    });

    it("follows one tenant: other tenants' events written in between never appear", async () => {
      const tenantId = testTenantId();
      const otherTenantId = testTenantId();
      const events = Array.from({ length: 6 }, (_, index) =>
        buildAuditEvent({ tenantId: index % 2 === 0 ? tenantId : otherTenantId }),
      );
      await insertAll(events);
      const own = await awaitFollowed(adapter(), tenantId, 3);
      assertDeepEqual(
        ids(own),
        events.filter((event) => event.tenantId === tenantId).map((event) => event.id),
      );
      const other = await readSince(adapter(), otherTenantId, own[0]!.position);
      assertEqual(
        other.every((entry) => entry.event.tenantId === otherTenantId),
        true,
      );
    });

    it("hands out a committed transaction's events in the order written, and never a rolled-back one's", async () => {
      const tenantId = testTenantId();
      const [first, inside1, inside2, rolledBack, last] = Array.from({ length: 5 }, () =>
        buildAuditEvent({ tenantId }),
      ) as [AuditEvent, AuditEvent, AuditEvent, AuditEvent, AuditEvent];
      await adapter().insertAuditEvent({ event: first });
      await adapter().transaction(async (tx) => {
        await tx.insertAuditEvent({ event: inside1 });
        await tx.insertAuditEvent({ event: inside2 });
      });
      const failure = new DeliberateFailure('rolled back');
      assertEqual(
        await rejection(
          adapter().transaction(async (tx) => {
            await tx.insertAuditEvent({ event: rolledBack });
            throw failure;
          }),
        ),
        failure,
      );
      await adapter().insertAuditEvent({ event: last });
      const followed = await awaitFollowed(adapter(), tenantId, 4);
      assertDeepEqual(ids(followed), [first.id, inside1.id, inside2.id, last.id]);
    });
  });
}
