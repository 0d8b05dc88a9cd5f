import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
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
import type { ApiKey } from '../../src/entities/api-key.js';
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

const KEYWARD_TABLES = [
  'keyward_api_keys',
  'keyward_audit_events',
  'keyward_rate_limits',
  'keyward_service_accounts',
];

/** The change log (migration 0009) is SQLite's only: PostgreSQL sends NOTIFY instead. */
const CHANGE_LOG_TABLE = 'keyward_changes';
const keywardTablesOf = (dialect: 'sqlite' | 'postgres') =>
  dialect === 'sqlite' ? [...KEYWARD_TABLES, CHANGE_LOG_TABLE].sort() : KEYWARD_TABLES;

async function keywardTables(db: Kysely<KeywardDatabase>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .map((table) => table.name)
    .filter((name) => KEYWARD_TABLES.includes(name) || name === CHANGE_LOG_TABLE)
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
  '0005-key-lifecycle',
  '0006-personal-accounts',
  '0007-request-controls',
  '0008-rate-limits',
  '0009-change-log',
  '0010-key-previous-regenerated-by',
];

/** An account row as versions before 0006 store it: no kind, no owner (nor 0007's columns). */
function oldAccountRow(account: ServiceAccount): ReturnType<typeof serviceAccountToRow> {
  const { kind: _kind, owner_user_id: _owner, ...row } = preRequestControlsAccountRow(account);
  return row as ReturnType<typeof serviceAccountToRow>;
}

/** An account row as versions before 0007 store it: no IP allowlist, no rate limits. */
function preRequestControlsAccountRow(account: ServiceAccount): ReturnType<typeof serviceAccountToRow> {
  const { ip_allowlist: _ip, rate_limits: _limits, ...row } = serviceAccountToRow(account);
  return row as ReturnType<typeof serviceAccountToRow>;
}

/** The key columns migration 0007 adds. */
const REQUEST_CONTROL_KEY_COLUMNS = [
  'ip_allowlist',
  'rate_limits',
  'credits_remaining',
  'credits_refill_amount',
  'credits_refill_interval_ms',
  'credits_refilled_at',
] as const;

/** A key row as versions before 0010 store it: no receiver of the previous secret. */
function prePreviousReceiverKeyRow(key: ApiKey): ReturnType<typeof apiKeyToRow> {
  const { previous_regenerated_by: _previousReceiver, ...row } = apiKeyToRow(key);
  return row as ReturnType<typeof apiKeyToRow>;
}

/** A key row as versions before 0007 store it: no IP allowlist, rate limits or credits (nor 0010's column). */
function preRequestControlsKeyRow(key: ApiKey): ReturnType<typeof apiKeyToRow> {
  const row: Record<string, unknown> = { ...prePreviousReceiverKeyRow(key) };
  for (const column of REQUEST_CONTROL_KEY_COLUMNS) delete row[column];
  return row as ReturnType<typeof apiKeyToRow>;
}

const accountColumns = (db: Kysely<KeywardDatabase>) => columnsOf(db, 'keyward_service_accounts');

/** The key columns and indexes migration 0005 adds. */
const LIFECYCLE_COLUMNS = ['metadata', 'disabled_at', 'expiry_notice_at'];
const LIFECYCLE_INDEXES = [
  'keyward_api_keys_tenant_expiry',
  'keyward_api_keys_tenant_last_use',
  'keyward_api_keys_tenant_page',
  'keyward_api_keys_workspace_page',
];

/** Names of the indexes on `keyward_api_keys` (both dialects' catalogs). */
async function keyIndexes(db: Kysely<KeywardDatabase>, dialect: 'sqlite' | 'postgres'): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = 'keyward_api_keys'`
      : sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'keyward_api_keys'`;
  return (await query.execute(db)).rows.map((row) => row.name).sort();
}

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
    expect(await keywardTables(db)).toEqual(keywardTablesOf(target.dialect));
    expect(await keyColumns(db)).toContain('regenerated_by');
    expect(await keyColumns(db)).toContain('previous_regenerated_by');
    expect(await migrateToLatest(db)).toEqual([]); // nothing left to run
    expect(await keyIndexes(db, target.dialect)).toEqual(expect.arrayContaining(LIFECYCLE_INDEXES));
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual([
      '0010-key-previous-regenerated-by',
    ]);
    expect(await keyColumns(db)).not.toContain('previous_regenerated_by');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0009-change-log']);
    expect(await keywardTables(db)).toEqual(KEYWARD_TABLES);
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0008-rate-limits']);
    expect(await keywardTables(db)).not.toContain('keyward_rate_limits');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0007-request-controls']);
    for (const column of REQUEST_CONTROL_KEY_COLUMNS) expect(await keyColumns(db)).not.toContain(column);
    expect(await accountColumns(db)).not.toContain('ip_allowlist');
    expect(await accountColumns(db)).not.toContain('rate_limits');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0006-personal-accounts']);
    expect(await accountColumns(db)).not.toContain('owner_user_id');
    expect(await accountColumns(db)).not.toContain('kind');
    expect((await migrateDown(db)).map((result) => result.migrationName)).toEqual(['0005-key-lifecycle']);
    for (const column of LIFECYCLE_COLUMNS) expect(await keyColumns(db)).not.toContain(column);
    for (const index of LIFECYCLE_INDEXES) expect(await keyIndexes(db, target.dialect)).not.toContain(index);
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
    const {
      regenerated_by: _regeneratedBy,
      metadata: _metadata,
      disabled_at: _disabledAt,
      expiry_notice_at: _expiryNoticeAt,
      ...oldKeyRow
    } = preRequestControlsKeyRow(key);
    await db.insertInto('keyward_service_accounts').values(oldAccountRow(account)).execute();
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
    // The key's regeneratedBy reads as null and its lifecycle fields as their defaults, as
    // buildApiKeyFor made them: no one regenerated or disabled it.
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

  it('a database at 0004 with accounts, keys and events keeps them all at 0005; new key columns read their defaults', async () => {
    await keywardMigrator(db).migrateTo('0004-audit-follow-order');
    expect(await keyColumns(db)).not.toContain('disabled_at');
    const account = richAccount();
    const other = buildServiceAccount({ tenantId: account.tenantId, workspaceId: 'ws-other' });
    const keys = [
      buildApiKeyFor(account, {
        scopes: ['datasets:read'],
        expiresAt: fixtureTime(86_400_000),
        lastUsedAt: fixtureTime(5),
        regeneratedBy: { type: 'user', id: 'user-2' },
      }),
      buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime(9), createdAt: fixtureTime(1) }),
      buildApiKeyFor(other, { environment: 'test', createdAt: fixtureTime(2) }),
    ];
    const events = [0, 1, 2].map((offset) =>
      buildAuditEvent({
        tenantId: account.tenantId,
        request: { requestId: `req-${offset}` },
        target: { type: 'api_key', id: keys[offset]?.id as string },
        createdAt: fixtureTime(offset),
      }),
    );
    // Rows exactly as version 0004 stores them: no lifecycle columns yet.
    const oldKeyRow = (key: (typeof keys)[number]) => {
      const { metadata: _m, disabled_at: _d, expiry_notice_at: _e, ...row } = preRequestControlsKeyRow(key);
      return row as ReturnType<typeof apiKeyToRow>;
    };
    for (const row of [account, other].map(oldAccountRow))
      await db.insertInto('keyward_service_accounts').values(row).execute();
    await db.insertInto('keyward_api_keys').values(keys.map(oldKeyRow)).execute();
    await db.insertInto('keyward_audit_events').values(events.map(auditEventToRow)).execute();
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const followedBefore = await storage.listAuditEventsSince({
      tenantId: account.tenantId,
      after: { transaction: 0n, sequence: 0n },
      limit: 10,
    });

    const applied = await migrateToLatest(db);
    expect(applied.map((result) => result.migrationName)).toEqual([
      '0005-key-lifecycle',
      '0006-personal-accounts',
      '0007-request-controls',
      '0008-rate-limits',
      '0009-change-log',
      '0010-key-previous-regenerated-by',
    ]);
    const raw = await db
      .selectFrom('keyward_api_keys')
      .select(['id', 'metadata', 'disabled_at', 'expiry_notice_at'])
      .orderBy('id')
      .execute();
    expect(raw).toEqual(
      keys
        .map((key) => ({ id: key.id, metadata: '{}', disabled_at: null, expiry_notice_at: null }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    for (const key of keys) {
      const owner = key.serviceAccountId === account.id ? account : other;
      expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account: owner });
    }
    const now = fixtureTime(10);
    const queried = await storage.queryKeys({ tenantId: account.tenantId, now, limit: 10 });
    expect(queried.map((key) => key.id)).toEqual(keys.map((key) => key.id));
    expect(await storage.listAuditEvents({ tenantId: account.tenantId, limit: 10 })).toEqual(
      [...events].reverse(),
    );
    expect(
      await storage.listAuditEventsSince({
        tenantId: account.tenantId,
        after: { transaction: 0n, sequence: 0n },
        limit: 10,
      }),
    ).toEqual(followedBefore);
    // The new columns are written and read like the others.
    const disabled = {
      ...(keys[0] as (typeof keys)[number]),
      metadata: { team: 'data' },
      disabledAt: fixtureTime(11),
      expiryNoticeAt: fixtureTime(12),
    };
    expect(await storage.updateKey({ key: disabled })).toEqual(disabled);
    expect(
      await storage.queryKeys({ tenantId: account.tenantId, status: 'disabled', now, limit: 10 }),
    ).toEqual([disabled]);
  });

  it('a database at 0005 with accounts and keys keeps them all at 0006; existing accounts are service accounts', async () => {
    await keywardMigrator(db).migrateTo('0005-key-lifecycle');
    expect(await accountColumns(db)).not.toContain('kind');
    const account = richAccount();
    const other = buildServiceAccount({ tenantId: account.tenantId, workspaceId: account.workspaceId });
    const keys = [buildApiKeyFor(account, { scopes: ['datasets:read'] }), buildApiKeyFor(other)];
    for (const row of [account, other].map(oldAccountRow))
      await db.insertInto('keyward_service_accounts').values(row).execute();
    await db.insertInto('keyward_api_keys').values(keys.map(preRequestControlsKeyRow)).execute();

    const applied = await migrateToLatest(db);
    expect(applied.map((result) => result.migrationName)).toEqual([
      '0006-personal-accounts',
      '0007-request-controls',
      '0008-rate-limits',
      '0009-change-log',
      '0010-key-previous-regenerated-by',
    ]);
    const raw = await db.selectFrom('keyward_service_accounts').select(['kind', 'owner_user_id']).execute();
    expect(raw).toEqual([
      { kind: 'service', owner_user_id: null },
      { kind: 'service', owner_user_id: null },
    ]);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    for (const key of keys) {
      const owner = key.serviceAccountId === account.id ? account : other;
      expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account: owner });
    }
    const listed = await storage.listServiceAccounts({ tenantId: account.tenantId, limit: 10 });
    expect(listed.map((found) => found.id).sort()).toEqual([account.id, other.id].sort());
    // A personal account is written and read like the others, once per person and workspace.
    const personal = buildServiceAccount({ tenantId: account.tenantId, ownerUserId: 'user-1' });
    await storage.insertServiceAccount({ account: personal });
    expect(await storage.findServiceAccount(personal)).toEqual(personal);
    const twin = buildServiceAccount({ tenantId: account.tenantId, ownerUserId: 'user-1' });
    expect((await rejection(storage.insertServiceAccount({ account: twin }))).code).toBe('CONFLICT');
  });

  it('a database at 0006 keeps every account and key at 0007; they read with no allowlist, no rate limits and unlimited credits', async () => {
    await keywardMigrator(db).migrateTo('0006-personal-accounts');
    expect(await keyColumns(db)).not.toContain('credits_remaining');
    const account = richAccount();
    const keys = [buildApiKeyFor(account, { scopes: ['datasets:read'] }), buildApiKeyFor(account)];
    await db.insertInto('keyward_service_accounts').values(preRequestControlsAccountRow(account)).execute();
    await db.insertInto('keyward_api_keys').values(keys.map(preRequestControlsKeyRow)).execute();

    const applied = await migrateToLatest(db);
    expect(applied.map((result) => result.migrationName)).toContain('0007-request-controls');
    const rawAccount = await db
      .selectFrom('keyward_service_accounts')
      .select(['ip_allowlist', 'rate_limits'])
      .execute();
    expect(rawAccount).toEqual([{ ip_allowlist: null, rate_limits: '[]' }]);
    const rawKeys = await db
      .selectFrom('keyward_api_keys')
      .select([...REQUEST_CONTROL_KEY_COLUMNS])
      .execute();
    const emptyKeyColumns = {
      ip_allowlist: null,
      rate_limits: '[]',
      credits_remaining: null,
      credits_refill_amount: null,
      credits_refill_interval_ms: null,
      credits_refilled_at: null,
    };
    expect(rawKeys).toEqual([emptyKeyColumns, emptyKeyColumns]);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    for (const key of keys)
      expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account });
    // An unlimited key spends nothing; credits set after the migration are spent like any others.
    const [first] = keys as [ApiKey, ApiKey];
    expect(await storage.spendCredits({ keyId: first.id, cost: 1, now: fixtureTime() })).toEqual({
      spent: true,
      remaining: null,
    });
    const credits = { remaining: 2, refill: null, refilledAt: null };
    await storage.setKeyCredits({ tenantId: first.tenantId, keyId: first.id, credits });
    expect(await storage.spendCredits({ keyId: first.id, cost: 2, now: fixtureTime() })).toEqual({
      spent: true,
      remaining: 0,
    });
  });

  it('migrating down to 0006 keeps every account and key; only allowlists, rate limits and credits are lost', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = {
      ...richAccount(),
      ipAllowlist: ['203.0.113.0/24'],
      rateLimits: [{ name: 'default', limit: 100, windowMs: 60_000 }],
    };
    const key = buildApiKeyFor(account, {
      ipAllowlist: ['2001:db8::/32'],
      rateLimits: [{ name: 'burst', limit: 10, windowMs: 1_000 }],
      credits: { remaining: 5, refill: { amount: 10, intervalMs: 60_000 }, refilledAt: fixtureTime() },
    });
    await storage.insertServiceAccount({ account });
    await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key, account });
    await keywardMigrator(db).migrateTo('0006-personal-accounts');
    await migrateToLatest(db);
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({
      key: { ...key, ipAllowlist: null, rateLimits: [], credits: null },
      account: { ...account, ipAllowlist: null, rateLimits: [] },
    });
  });

  it('migrating down to 0004 keeps every key; only its metadata, disable and expiry notice are lost', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = richAccount();
    const key = buildApiKeyFor(account, {
      metadata: { team: 'data' },
      disabledAt: fixtureTime(3),
      expiryNoticeAt: fixtureTime(4),
    });
    await storage.insertServiceAccount({ account });
    await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    await keywardMigrator(db).migrateTo('0004-audit-follow-order');
    await migrateToLatest(db);
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({
      key: { ...key, metadata: {}, disabledAt: null, expiryNoticeAt: null },
      account,
    });
  });

  it('a database at 0009 keeps every key at 0010; a previous secret kept by then reads with an unknown receiver', async () => {
    await keywardMigrator(db).migrateTo('0009-change-log');
    expect(await keyColumns(db)).not.toContain('previous_regenerated_by');
    const account = richAccount();
    const key = buildApiKeyFor(account, {
      previousHash: 'b'.repeat(64),
      previousHashVersion: 1,
      previousPepperId: null,
      previousHashExpiresAt: fixtureTime(60_000),
      regeneratedBy: { type: 'user', id: 'user-2' },
    });
    await db.insertInto('keyward_service_accounts').values(serviceAccountToRow(account)).execute();
    await db.insertInto('keyward_api_keys').values(prePreviousReceiverKeyRow(key)).execute();

    expect((await migrateToLatest(db)).map((result) => result.migrationName)).toEqual([
      '0010-key-previous-regenerated-by',
    ]);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({
      key: { ...key, previousRegeneratedBy: null },
      account,
    });
    // The new column is written and read like the others.
    const known = { ...key, previousRegeneratedBy: { type: 'user' as const, id: 'user-1' } };
    expect(await storage.updateKey({ key: known })).toEqual(known);
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({ key: known, account });
  });

  it('migrating down to 0009 keeps every key; only who received its previous secret is lost', async () => {
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = richAccount();
    const key = buildApiKeyFor(account, {
      previousHash: 'b'.repeat(64),
      previousHashVersion: 1,
      previousHashExpiresAt: fixtureTime(60_000),
      previousRegeneratedBy: { type: 'user', id: 'user-1' },
      regeneratedBy: { type: 'user', id: 'user-2' },
    });
    await storage.insertServiceAccount({ account });
    await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
    await keywardMigrator(db).migrateTo('0009-change-log');
    await migrateToLatest(db);
    expect(await storage.findKeyForVerification({ keyId: key.id })).toEqual({
      key: { ...key, previousRegeneratedBy: null },
      account,
    });
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
      expect(await keywardTables(first)).toEqual(keywardTablesOf(target.dialect));
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
