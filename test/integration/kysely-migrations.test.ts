import Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { apiKeyToRow } from '../../adapters/kysely/api-key-row.js';
import { auditEventToRow } from '../../adapters/kysely/audit-event-row.js';
import {
  type KeywardDatabase,
  keywardMigrator,
  kyselyAdapter,
  migrateDown,
  migrateToLatest,
} from '../../adapters/kysely/index.js';
import { serviceAccountToRow } from '../../adapters/kysely/service-account-row.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import {
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  fixtureTime,
} from '../../src/testing/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { rejection } from '../support/rejection.js';
import { describeEachSqlTarget, postgresTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const KEYWARD_TABLES = ['keyward_api_keys', 'keyward_audit_events', 'keyward_service_accounts'];

async function keywardTables(db: Kysely<KeywardDatabase>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .map((table) => table.name)
    .filter((name) => KEYWARD_TABLES.includes(name))
    .sort();
}

async function columnsOf(db: Kysely<KeywardDatabase>, table: string): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return (tables.find((found) => found.name === table)?.columns ?? []).map((column) => column.name);
}

const auditColumns = (db: Kysely<KeywardDatabase>) => columnsOf(db, 'keyward_audit_events');
const keyColumns = (db: Kysely<KeywardDatabase>) => columnsOf(db, 'keyward_api_keys');

const ALL_MIGRATIONS = [
  '0001-initial',
  '0002-audit-request-and-filters',
  '0003-key-regenerated-by',
  '0004-audit-follow-order',
];

/** A rich account: every nullable field set, JSON with unicode, dataset grants, metadata. */
function richAccount(): ServiceAccount {
  return buildServiceAccount({
    description: 'Nightly ingest — ünïcödé ✓',
    contactEmail: 'ops@example.com',
    roles: ['reader', 'ingest'],
    readOnly: true,
    datasetAccess: { mode: 'selected', datasetIds: ['ds-1', 'ds:2'] },
    status: 'disabled',
    metadata: { team: 'data', tier: 2, pager: false, note: null },
    version: 3,
  });
}

describeEachSqlTarget('migrations', (target) => {
  let database: SqlDatabase;
  let db: Kysely<KeywardDatabase>;
  beforeEach(async () => {
    database = await target.create('migrations');
    db = database.connect(2);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('up from empty, down to empty, and up again, with the adapter working at the end', async () => {
    expect(await keywardTables(db)).toEqual([]);
    const up = await migrateToLatest(db);
    expect(up.map((result) => [result.migrationName, result.status])).toEqual(
      ALL_MIGRATIONS.map((name) => [name, 'Success']),
    );
    expect(await keywardTables(db)).toEqual(KEYWARD_TABLES);
    expect(await keyColumns(db)).toContain('regenerated_by');
    expect(await migrateToLatest(db)).toEqual([]); // nothing left to run
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual([
      '0004-audit-follow-order',
    ]);
    expect(await auditColumns(db)).not.toContain('seq');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual([
      '0003-key-regenerated-by',
    ]);
    expect(await keyColumns(db)).not.toContain('regenerated_by');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual([
      '0002-audit-request-and-filters',
    ]);
    expect(await auditColumns(db)).not.toContain('request');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0001-initial']);
    expect(await keywardTables(db)).toEqual([]);
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = richAccount();
    await storage.insertServiceAccount({ account });
    expect(await storage.findServiceAccount(account)).toEqual(account);
  });

  it('a database at the previous version (0001) keeps every row when migrated to the latest', async () => {
    await keywardMigrator(db).migrateTo('0001-initial');
    expect(await auditColumns(db)).not.toContain('request');
    const account = richAccount();
    const key = buildApiKeyFor(account, {
      scopes: ['datasets:read'],
      expiresAt: fixtureTime(86_400_000),
      lastUsedAt: fixtureTime(5),
      previousHash: 'b'.repeat(64),
      previousHashVersion: 1,
      previousPepperId: 'pepper-1',
      previousHashExpiresAt: fixtureTime(60_000),
    });
    const event = buildAuditEvent({
      tenantId: account.tenantId,
      target: { type: 'service_account', id: account.id },
    });
    // Rows exactly as version 0001 stored them: no audit request or key regenerator column yet.
    const { request: _request, ...oldEventRow } = auditEventToRow(event);
    const { regenerated_by: _regeneratedBy, ...oldKeyRow } = apiKeyToRow(key);
    await db.insertInto('keyward_service_accounts').values(serviceAccountToRow(account)).execute();
    await db
      .insertInto('keyward_api_keys')
      .values(oldKeyRow as ReturnType<typeof apiKeyToRow>)
      .execute();
    await db
      .insertInto('keyward_audit_events')
      .values(oldEventRow as ReturnType<typeof auditEventToRow>)
      .execute();

    const applied = await migrateToLatest(db);
    expect(applied.map((result) => result.migrationName)).toEqual(ALL_MIGRATIONS.slice(1));
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    // The key's regeneratedBy reads as null, as buildApiKeyFor made it: no one regenerated it.
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account });
    expect(await storage.listAuditEvents({ tenantId: account.tenantId, limit: 10 })).toEqual([
      { ...event, request: {} },
    ]);
    const withRequest = buildAuditEvent({
      tenantId: account.tenantId,
      request: { ip: '203.0.113.9' },
      createdAt: fixtureTime(1),
    });
    await storage.insertAuditEvent({ event: withRequest });
    expect((await storage.listAuditEvents({ tenantId: account.tenantId, limit: 1 }))[0]).toEqual(withRequest);
  });

  it('migrating down to 0002 keeps accounts, keys and events; only who regenerated a key is lost', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = richAccount();
    const key = buildApiKeyFor(account, { regeneratedBy: { type: 'user', id: 'user-2' } });
    const event = buildAuditEvent({ tenantId: account.tenantId, request: { requestId: 'req-1' } });
    await storage.insertServiceAccount({ account });
    await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    await storage.insertAuditEvent({ event });
    await keywardMigrator(db).migrateTo('0002-audit-request-and-filters');
    await migrateToLatest(db);
    // The regenerator lived in the dropped column: it is the one thing this downgrade loses.
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({
      key: { ...key, regeneratedBy: null },
      account,
    });
    expect(await storage.listAuditEvents({ tenantId: account.tenantId, limit: 10 })).toEqual([event]);
  });

  it('migrating down to 0001 and up again keeps every row; the request context is lost too', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = richAccount();
    const key = buildApiKeyFor(account);
    const event = buildAuditEvent({ tenantId: account.tenantId, request: { requestId: 'req-1' } });
    await storage.insertServiceAccount({ account });
    await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    await storage.insertAuditEvent({ event });
    await keywardMigrator(db).migrateTo('0001-initial');
    await migrateToLatest(db);
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account });
    expect(await storage.listAuditEvents({ tenantId: account.tenantId, limit: 10 })).toEqual([
      { ...event, request: {} },
    ]);
  });
});

const adminUrl = inject('databaseUrl');

describe.runIf(adminUrl !== null)('migrations on PostgreSQL from several instances at once', () => {
  it('five concurrent migrateToLatest calls on separate connections apply each migration once', async () => {
    const database = await postgresTarget(adminUrl as string).create('migrate_race');
    try {
      const instances = Array.from({ length: 5 }, () => database.connect(1));
      const results = await Promise.all(instances.map((db) => migrateToLatest(db)));
      const applied = results.flat().map((result) => result.migrationName);
      expect(applied.sort()).toEqual(ALL_MIGRATIONS);
      expect(await keywardTables(instances[0] as Kysely<KeywardDatabase>)).toEqual(KEYWARD_TABLES);
    } finally {
      await database.dispose();
    }
  });
});

/** The names of every keyward migration, as the migrator lists them. */
async function migrationNames(db: Kysely<KeywardDatabase>): Promise<string[]> {
  return (await keywardMigrator(db).getMigrations()).map((migration) => migration.name);
}

describeEachSqlTarget('migrations from several connections at once', (target) => {
  it('five concurrent migrateToLatest calls on separate connections: none fails, each migration runs once', async () => {
    const database = await target.create('migrate_together');
    try {
      const instances = Array.from({ length: 5 }, () => database.connect(1));
      const outcomes = await Promise.allSettled(instances.map((db) => migrateToLatest(db)));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      const applied = outcomes.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? outcome.value.map((result) => result.migrationName) : [],
      );
      const first = instances[0] as Kysely<KeywardDatabase>;
      expect(applied.sort()).toEqual(await migrationNames(first));
      expect(await keywardTables(first)).toEqual(KEYWARD_TABLES);
    } finally {
      await database.dispose();
    }
  });
});

describe('a SQLite migrator facing a write lock held by another connection', () => {
  it('waits for it, and when it is held past busyTimeoutMs reports "Another migration is running", leaving nothing behind', async () => {
    const dir = await tempSqliteDirectory();
    const file = dir.file('locked.db');
    const db = openSqlite(file, { wal: true });
    const holder = new Database(file, { timeout: 5 });
    try {
      holder.exec('begin immediate');
      const released = new Promise((resolve) => setTimeout(resolve, 150)).then(() => holder.exec('commit'));
      // Waits (asynchronously: the timer above fires meanwhile) for the holder, then migrates.
      expect((await migrateToLatest(db, { busyTimeoutMs: 5_000 })).length).toBeGreaterThan(0);
      await released;
      await migrateDown(db);
      holder.exec('begin immediate');
      const startedAt = Date.now();
      const error = await rejection(migrateToLatest(db, { busyTimeoutMs: 100 }));
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.message).toMatch(/^Another migration is running/);
      expect(error.details).toMatchObject({ driverCode: 'SQLITE_BUSY', migration: null });
      holder.exec('rollback');
      expect(
        (await keywardMigrator(db).getMigrations()).filter((m) => m.executedAt === undefined),
      ).toHaveLength(1);
      await migrateToLatest(db);
      expect((await keywardMigrator(db).getMigrations()).filter((m) => m.executedAt === undefined)).toEqual(
        [],
      );
    } finally {
      if (holder.inTransaction) holder.exec('rollback');
      holder.close();
      await db.destroy();
      await dir.remove();
    }
  });

  it('busyTimeoutMs of the migration functions must be a whole number of milliseconds: INVALID_CONFIG', async () => {
    const db = openSqlite(':memory:');
    try {
      for (const busyTimeoutMs of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => keywardMigrator(db, { busyTimeoutMs })).toThrow(/busyTimeoutMs/);
        expect((await rejection(migrateToLatest(db, { busyTimeoutMs }))).code).toBe('INVALID_CONFIG');
      }
    } finally {
      await db.destroy();
    }
  });
});
