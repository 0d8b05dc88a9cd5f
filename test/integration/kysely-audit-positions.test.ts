import { CompiledQuery, type Kysely, type LogEvent, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { auditEventToRow } from '../../adapters/kysely/audit-event-row.js';
import {
  type KeywardDatabase,
  keywardMigrator,
  kyselyAdapter,
  migrateToLatest,
} from '../../adapters/kysely/index.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { FollowedAuditEvent } from '../../src/storage/storage-adapter.js';
import { awaitFollowed, comparePositions } from '../../src/testing/audit-follower.js';
import { buildAuditEvent, fixtureTime } from '../../src/testing/index.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

/**
 * Events seeded for the plan test: enough for PostgreSQL's planner to prefer an index, over
 * enough tenants that a rowid range (SQLite's other ordered plan) is not the cheaper read.
 */
const PLAN_TENANTS = 20;
const PLAN_EVENTS_PER_TENANT = 500;

const ids = (followed: readonly FollowedAuditEvent[]): string[] => followed.map((entry) => entry.event.id);

describeEachSqlTarget('audit follow positions (migration 0004)', (target) => {
  let database: SqlDatabase;
  let db: Kysely<KeywardDatabase>;
  beforeEach(async () => {
    database = await target.create('audit_positions');
    db = database.connect(2);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('events stored before 0004 get positions in (createdAt, id) order, before every later event', async () => {
    await keywardMigrator(db).migrateTo('0003-key-regenerated-by');
    const tenantId = 'tenant-positions';
    const old = [20, 0, 10, 10].map((offset) =>
      buildAuditEvent({ tenantId, createdAt: fixtureTime(offset) }),
    );
    for (const event of old)
      await db.insertInto('keyward_audit_events').values(auditEventToRow(event)).execute();
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const later = buildAuditEvent({ tenantId, createdAt: fixtureTime(-1000) });
    await storage.insertAuditEvent({ event: later });
    const followed = await awaitFollowed(storage, tenantId, 5);
    const byCreation = [...old].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    expect(ids(followed)).toEqual([...byCreation, later].map((event) => event.id));
    expect(followed.map((entry) => entry.event)).toEqual([...byCreation, later]);
  });

  it('going down to 0003 keeps every event, and up again gives them positions anew', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const tenantId = 'tenant-down';
    const events = [5, 1, 3].map((offset) => buildAuditEvent({ tenantId, createdAt: fixtureTime(offset) }));
    for (const event of events) await storage.insertAuditEvent({ event });
    await keywardMigrator(db).migrateTo('0003-key-regenerated-by');
    expect(await storage.listAuditEvents({ tenantId, limit: 10 })).toHaveLength(3);
    await migrateToLatest(db);
    const followed = await awaitFollowed(storage, tenantId, 3);
    expect(ids(followed).sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('positions are never reused, even after the newest events are deleted', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const tenantId = 'tenant-retention';
    const first: AuditEvent[] = [buildAuditEvent({ tenantId }), buildAuditEvent({ tenantId })];
    for (const event of first) await storage.insertAuditEvent({ event });
    const seen = await awaitFollowed(storage, tenantId, 2);
    // A host's retention job empties the trail.
    await db.deleteFrom('keyward_audit_events').execute();
    const next = buildAuditEvent({ tenantId });
    await storage.insertAuditEvent({ event: next });
    const [followed] = await awaitFollowed(storage, tenantId, 1);
    expect(followed?.event.id).toBe(next.id);
    expect(comparePositions((seen[1] as FollowedAuditEvent).position, followed!.position)).toBeLessThan(0);
  });

  it('the follow read is an ordered range scan of the follow index, not a scan and sort', async () => {
    const captured: CompiledQuery[] = [];
    const log = (event: LogEvent) => {
      if (event.level === 'query') captured.push(event.query);
    };
    const logged = database.connect(1, log);
    await migrateToLatest(logged);
    for (let tenant = 0; tenant < PLAN_TENANTS; tenant++) {
      const rows = Array.from({ length: PLAN_EVENTS_PER_TENANT }, () =>
        auditEventToRow(buildAuditEvent({ tenantId: `tenant-plan-${tenant}` })),
      );
      for (let start = 0; start < rows.length; start += 250) {
        await logged
          .insertInto('keyward_audit_events')
          .values(rows.slice(start, start + 250))
          .execute();
      }
    }
    await sql`analyze`.execute(logged);
    const storage = kyselyAdapter(logged, { dialect: target.dialect });
    const [, middle] = await awaitFollowed(storage, 'tenant-plan-1', 2);
    captured.length = 0;
    await storage.listAuditEventsSince({ tenantId: 'tenant-plan-1', after: middle!.position, limit: 100 });
    const query = captured.at(-1) as CompiledQuery;
    const prefix = target.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await logged.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
    );
    const plan = result.rows.map((row) => String(row.detail ?? row['QUERY PLAN'])).join('\n');
    expect(plan).toMatch(/(USING (COVERING )?INDEX|Index Scan using) keyward_audit_events_follow\b/);
    expect(plan).not.toMatch(/Seq Scan|^SCAN keyward_|Sort|TEMP B-TREE/m);
  });
});
