import type { AuditEvent } from '../entities/audit-event.js';
import { assertDeepEqual, assertLength } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testAuditEventId, testKeyId, testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildAuditEvent, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';
import { idsInOrder, walkPages } from './record-paging.js';
import { richAuditEvent } from './rich-records.js';

/**
 * The audit trail: append, newest-first order, `before` paging, filters.
 *
 * @internal
 */
export function describeAuditTrail({ adapter, describe, it }: ConformanceContext): void {
  async function insertAll(events: readonly AuditEvent[]): Promise<void> {
    for (const event of events) await adapter().insertAuditEvent({ event });
  }

  const ids = (events: readonly AuditEvent[]): string[] => events.map((event) => event.id);

  describe('audit trail', () => {
    it('round-trips every field, including nested before / after snapshots and request data', async () => {
      const event = richAuditEvent(testTenantId());
      await insertAll([event]);
      const listed = await adapter().listAuditEvents({ tenantId: event.tenantId, limit: 10 });
      assertLength(listed, 1);
      assertSameRecord(listed[0], event);
    });

    it('round-trips a null workspace, reason and snapshots and an empty request', async () => {
      const event = buildAuditEvent({
        workspaceId: null,
        reason: null,
        before: null,
        after: null,
        request: {},
      });
      await insertAll([event]);
      const listed = await adapter().listAuditEvents({ tenantId: event.tenantId, limit: 10 });
      assertSameRecord(listed[0], event);
    });

    it("round-trips keyward itself as the actor, with a leak report's url and source", async () => {
      const event = buildAuditEvent({
        action: 'api_key.leak',
        actor: { type: 'system', id: 'secret_scanning' },
        request: { url: 'https://github.com/octocat/hello/blob/0123abc/.env', source: 'commit' },
      });
      await insertAll([event]);
      const listed = await adapter().listAuditEvents({ tenantId: event.tenantId, limit: 10 });
      assertSameRecord(listed[0], event);
    });

    it('round-trips a counted refusal: the key as actor and target, denied, listed by its action', async () => {
      const keyId = testKeyId();
      const event = buildAuditEvent({
        action: 'api_key.refused',
        actor: { type: 'key', id: keyId, serviceAccountId: testServiceAccountId() },
        target: { type: 'api_key', id: keyId },
        outcome: 'denied',
        reason: 'read_only',
        before: null,
        after: { count: 3, firstAt: '2026-01-01T00:00:00.000Z', lastAt: '2026-01-01T00:00:59.999Z' },
      });
      await insertAll([event, buildAuditEvent({ tenantId: event.tenantId })]);
      const listed = await adapter().listAuditEvents({
        tenantId: event.tenantId,
        action: 'api_key.refused',
        limit: 10,
      });
      assertLength(listed, 1);
      assertSameRecord(listed[0], event);
    });

    it('insertAuditEvent with an existing id throws CONFLICT and keeps the stored event', async () => {
      const event = buildAuditEvent();
      await insertAll([event]);
      await assertConflict(adapter().insertAuditEvent({ event: { ...event, reason: 'copy' } }));
      const listed = await adapter().listAuditEvents({ tenantId: event.tenantId, limit: 10 });
      assertLength(listed, 1);
      assertSameRecord(listed[0], event);
    });

    it('lists newest first, ties on createdAt by id in descending binary order', async () => {
      const tenantId = testTenantId();
      const events = [
        buildAuditEvent({ tenantId, createdAt: fixtureTime(-100) }),
        ...['z', 'A', '9', 'a', 'Z', '0'].map((first) =>
          buildAuditEvent({ tenantId, id: testAuditEventId(first) }),
        ),
        buildAuditEvent({ tenantId, createdAt: fixtureTime(100) }),
      ];
      await insertAll(events);
      const listed = await adapter().listAuditEvents({ tenantId, limit: 100 });
      assertDeepEqual(ids(listed), idsInOrder(events, 'descending'));
      assertDeepEqual(
        listed.slice(1, 7).map((event) => event.id.charAt(3)),
        ['z', 'a', 'Z', 'A', '9', '0'],
      );
      assertDeepEqual(
        ids(await adapter().listAuditEvents({ tenantId, limit: 3 })),
        idsInOrder(events, 'descending').slice(0, 3),
      );
    });

    it('starts strictly before the cursor, which need not be a stored row', async () => {
      const tenantId = testTenantId();
      const events = [0, 10, 10, 20].map((offset) =>
        buildAuditEvent({ tenantId, createdAt: fixtureTime(offset) }),
      );
      await insertAll(events);
      const newestFirst = idsInOrder(events, 'descending');
      const second = events.find((event) => event.id === newestFirst[1]) as AuditEvent;
      assertDeepEqual(
        ids(await adapter().listAuditEvents({ tenantId, limit: 100, before: second })),
        newestFirst.slice(2),
      );
      const between = { createdAt: fixtureTime(15), id: testAuditEventId() };
      assertDeepEqual(
        ids(await adapter().listAuditEvents({ tenantId, limit: 100, before: between })),
        newestFirst.slice(1),
      );
      const oldest = { createdAt: fixtureTime(0), id: 'ev_' };
      assertDeepEqual(await adapter().listAuditEvents({ tenantId, limit: 100, before: oldest }), []);
    });

    it('pages through many events sharing one millisecond without repeating or skipping any', async () => {
      const tenantId = testTenantId();
      const events = Array.from({ length: 23 }, (_, index) =>
        buildAuditEvent({ tenantId, createdAt: fixtureTime(index < 18 ? 9 : index) }),
      );
      await insertAll(events);
      const walked = await walkPages((before) => adapter().listAuditEvents({ tenantId, limit: 6, before }));
      assertDeepEqual(walked.ids, idsInOrder(events, 'descending'));
      assertDeepEqual(walked.pageSizes, [6, 6, 6, 5]);
    });

    it('filters by workspace, target and action, alone and together', async () => {
      const tenantId = testTenantId();
      const targetId = 'sa_TargetTarget0001';
      const events = [
        buildAuditEvent({ tenantId, workspaceId: 'ws-a', createdAt: fixtureTime(1) }),
        buildAuditEvent({
          tenantId,
          workspaceId: 'ws-a',
          target: { type: 'service_account', id: targetId },
          createdAt: fixtureTime(2),
        }),
        buildAuditEvent({
          tenantId,
          workspaceId: 'ws-b',
          action: 'api_key.issue',
          target: { type: 'service_account', id: targetId },
          createdAt: fixtureTime(3),
        }),
        buildAuditEvent({ tenantId, workspaceId: null, action: 'api_key.issue', createdAt: fixtureTime(4) }),
        buildAuditEvent({
          tenantId,
          workspaceId: 'ws-a',
          action: 'api_key.issue',
          createdAt: fixtureTime(5),
        }),
      ];
      await insertAll(events);
      const pick = (...indexes: number[]): string[] =>
        indexes.map((index) => (events[index] as AuditEvent).id);
      const list = async (filter: {
        workspaceId?: string;
        targetId?: string;
        action?: AuditEvent['action'];
      }): Promise<string[]> => ids(await adapter().listAuditEvents({ tenantId, limit: 100, ...filter }));
      assertDeepEqual(await list({ workspaceId: 'ws-a' }), pick(4, 1, 0));
      assertDeepEqual(await list({ targetId }), pick(2, 1));
      assertDeepEqual(await list({ action: 'api_key.issue' }), pick(4, 3, 2));
      assertDeepEqual(await list({ workspaceId: 'ws-a', action: 'api_key.issue' }), pick(4));
      assertDeepEqual(await list({ workspaceId: 'ws-b', targetId, action: 'api_key.issue' }), pick(2));
      assertDeepEqual(await list({ action: 'api_key.revoke' }), []);
    });

    it('returns [] for a tenant without events', async () => {
      assertDeepEqual(await adapter().listAuditEvents({ tenantId: testTenantId(), limit: 10 }), []);
    });
  });
}
