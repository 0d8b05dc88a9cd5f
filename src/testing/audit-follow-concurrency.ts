import type { AuditEvent } from '../entities/audit-event.js';
import type { AuditPosition, FollowedAuditEvent, StorageAdapter } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, assertLength } from './assertions.js';
import { FOLLOW_START, readSince } from './audit-follower.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildAuditEvent, fixtureTime } from './fixtures.js';

/** How long the late transaction stays open after writing its event. */
const HOLD_MS = 150;
/** Concurrent writers per adapter in the randomized test, and transactions each. */
const WRITERS = 4;
const TRANSACTIONS_PER_WRITER = 5;
/** How long a follower keeps polling for committed events before the test fails. */
const SETTLE_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A follower as an exporter runs it: polls, keeps the position of the last event it got. */
class Follower {
  readonly received: FollowedAuditEvent[] = [];
  readonly #storage: () => StorageAdapter;
  readonly #tenantId: string;
  #after: AuditPosition = FOLLOW_START;

  constructor(storage: () => StorageAdapter, tenantId: string) {
    this.#storage = storage;
    this.#tenantId = tenantId;
  }

  async poll(): Promise<void> {
    const page = await readSince(this.#storage(), this.#tenantId, this.#after, 5);
    this.received.push(...page);
    const last = page[page.length - 1];
    if (last !== undefined) this.#after = last.position;
  }

  /** Polls until `count` events arrived (or more: a duplicate fails the caller's assertion). */
  async pollUntil(count: number): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (this.received.length < count && Date.now() < deadline) {
      await this.poll();
      if (this.received.length < count) await sleep(5);
    }
  }

  ids(): string[] {
    return this.received.map((entry) => entry.event.id);
  }
}

/**
 * Following the audit trail while transactions commit out of order, on two connections (the
 * peer adapter): an event whose transaction commits after a later-started one is never skipped,
 * and a follower polling throughout receives every committed event exactly once, each
 * transaction's events together.
 *
 * @internal
 */
export function describeAuditFollowConcurrency({ adapter, peer, describe, it }: ConformanceContext): void {
  describe('audit trail, followed under concurrent writers', () => {
    it('an event whose transaction commits late is handed out, before the later one, never skipped', async () => {
      const tenantId = testTenantId();
      // The late event is stamped first and committed last: a newest-first reader polling down to
      // the newest createdAt it saw would miss it.
      const late = buildAuditEvent({ tenantId, createdAt: fixtureTime(0) });
      const early = buildAuditEvent({ tenantId, createdAt: fixtureTime(10) });
      const follower = new Follower(adapter, tenantId);
      let written!: () => void;
      const lateWritten = new Promise<void>((resolve) => {
        written = resolve;
      });
      const holding = peer().transaction(async (tx) => {
        await tx.insertAuditEvent({ event: late });
        written();
        await sleep(HOLD_MS);
      });
      await lateWritten;
      // PostgreSQL commits this one while the late transaction is open; SQLite and memory queue it.
      await adapter().transaction((tx) => tx.insertAuditEvent({ event: early }));
      await follower.poll();
      await holding;
      await follower.pollUntil(2);
      await follower.poll();
      assertDeepEqual(follower.ids(), [late.id, early.id]);
    });

    it(`${WRITERS * 2} writers on two connections, slow transactions interleaving: every event comes once, each transaction's together`, async () => {
      const tenantId = testTenantId();
      const follower = new Follower(adapter, tenantId);
      const committed: AuditEvent[][] = [];
      const writer = async (storage: () => StorageAdapter): Promise<void> => {
        for (let round = 0; round < TRANSACTIONS_PER_WRITER; round++) {
          const pair = [buildAuditEvent({ tenantId }), buildAuditEvent({ tenantId })];
          await storage().transaction(async (tx) => {
            await tx.insertAuditEvent({ event: pair[0] as AuditEvent });
            await sleep(Math.floor(Math.random() * 10));
            await tx.insertAuditEvent({ event: pair[1] as AuditEvent });
          });
          committed.push(pair);
        }
      };
      let writing = true;
      const writers = Promise.all(
        Array.from({ length: WRITERS }, () => [writer(adapter), writer(peer)]).flat(),
      ).finally(() => {
        writing = false;
      });
      const following = (async () => {
        while (writing) {
          await follower.poll();
          await sleep(2);
        }
      })();
      await writers;
      await following;
      const expected = committed.length * 2;
      await follower.pollUntil(expected);
      await follower.poll();
      const received = follower.ids();
      assertLength(received, expected);
      assertDeepEqual(new Set(received), new Set(committed.flat().map((event) => event.id)));
      for (const [first, second] of committed) {
        const at = received.indexOf((first as AuditEvent).id);
        assertEqual(
          received[at + 1],
          (second as AuditEvent).id,
          'the events of one transaction come together, in order',
        );
      }
    });
  });
}
