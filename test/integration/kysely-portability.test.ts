import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type KeywardDatabase,
  type KyselyDialectName,
  kyselyAdapter,
  migrateToLatest,
} from '../../adapters/kysely/index.js';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditEvent } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import {
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  fixtureTime,
} from '../../src/testing/index.js';
import { postgresTarget, type SqlDatabase, sqliteFileTarget } from './fixtures/sql-targets.js';

const TABLES = ['keyward_service_accounts', 'keyward_api_keys', 'keyward_audit_events'] as const;

interface Records {
  readonly account: ServiceAccount;
  readonly key: ApiKey;
  readonly event: AuditEvent;
}

function records(): Records {
  const account = buildServiceAccount({
    description: 'Ünïcödé "quoted" \\ backslash ✓ 🚀',
    contactEmail: 'ops@example.com',
    roles: ['reader', 'writer'],
    readOnly: true,
    datasetAccess: { mode: 'selected', datasetIds: ['ds-1', 'ds.2', 'DS:3'] },
    metadata: { big: 9_007_199_254_740_991, float: 0.1, flag: true, empty: '', none: null },
    createdAt: new Date('1999-12-31T23:59:59.999Z'),
    updatedAt: new Date('2038-01-19T03:14:08.001Z'),
  });
  const key = buildApiKeyFor(account, {
    scopes: ['datasets:read', '*:read'],
    expiresAt: new Date('2100-01-01T00:00:00.000Z'),
    lastUsedAt: fixtureTime(123),
    revokedAt: fixtureTime(456),
    status: 'revoked',
  });
  const event = buildAuditEvent({
    tenantId: account.tenantId,
    actor: { type: 'key', id: key.id, serviceAccountId: account.id },
    before: { nested: { list: [1, 'two', null], deep: { ok: true } } },
    after: null,
    request: { ip: '2001:db8::1', userAgent: 'curl/8 «ü»', requestId: 'req-1' },
  });
  return { account, key, event };
}

async function write(
  db: Kysely<KeywardDatabase>,
  dialect: KyselyDialectName,
  { account, key, event }: Records,
) {
  const storage = kyselyAdapter(db, { dialect });
  await storage.insertServiceAccount({ account });
  await storage.insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
  await storage.insertAuditEvent({ event });
}

async function read(db: Kysely<KeywardDatabase>, dialect: KyselyDialectName, { account, key }: Records) {
  const storage = kyselyAdapter(db, { dialect });
  return {
    found: await storage.findKeyForVerification({ keyId: key.id }),
    events: await storage.listAuditEvents({ tenantId: account.tenantId, limit: 10 }),
  };
}

/**
 * The audit trail's follow positions (migration 0004): each database assigns its own (SQLite a
 * commit-order sequence, PostgreSQL the writing transaction's id and a sequence), so a copy
 * leaves them out and gets new ones where it lands.
 */
const POSITION_COLUMNS = new Set(['seq', 'xact_id']);

/**
 * Copies one tenant's rows as stored, column for column (epoch columns read as numbers), but for
 * the audit follow positions.
 */
async function copyTenant(from: Kysely<KeywardDatabase>, to: Kysely<KeywardDatabase>, tenantId: string) {
  for (const table of TABLES) {
    const rows = await from.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).execute();
    const copies = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row)
          .filter(([column]) => !POSITION_COLUMNS.has(column))
          .map(([column, value]) => [
            column,
            column.endsWith('_at') && value !== null ? Number(value) : value,
          ]),
      ),
    );
    if (copies.length > 0)
      await to
        .insertInto(table)
        .values(copies as never)
        .execute();
  }
}

const adminUrl = inject('databaseUrl');

describe.runIf(adminUrl !== null)('rows are portable between SQLite and PostgreSQL', () => {
  let sqlite: SqlDatabase;
  let postgres: SqlDatabase;
  let sqliteDb: Kysely<KeywardDatabase>;
  let postgresDb: Kysely<KeywardDatabase>;
  beforeAll(async () => {
    sqlite = await sqliteFileTarget.create('portability');
    postgres = await postgresTarget(adminUrl as string).create('portability');
    sqliteDb = sqlite.connect();
    postgresDb = postgres.connect(2);
    await migrateToLatest(sqliteDb);
    await migrateToLatest(postgresDb);
  });
  afterAll(async () => {
    await sqlite?.dispose();
    await postgres?.dispose();
  });

  it('timestamps are stored as UTC epoch milliseconds in both dialects', async () => {
    const written = records();
    await write(sqliteDb, 'sqlite', written);
    await write(postgresDb, 'postgres', written);
    for (const db of [sqliteDb, postgresDb]) {
      const row = await db
        .selectFrom('keyward_service_accounts')
        .select(['created_at', 'updated_at'])
        .where('id', '=', written.account.id)
        .executeTakeFirstOrThrow();
      expect([Number(row.created_at), Number(row.updated_at)]).toEqual([946_684_799_999, 2_147_483_648_001]);
    }
  });

  it('rows written through SQLite read back identically through PostgreSQL, and the other way', async () => {
    const fromSqlite = records();
    await write(sqliteDb, 'sqlite', fromSqlite);
    const fromPostgres = records();
    await write(postgresDb, 'postgres', fromPostgres);
    await copyTenant(sqliteDb, postgresDb, fromSqlite.account.tenantId);
    await copyTenant(postgresDb, sqliteDb, fromPostgres.account.tenantId);
    for (const [db, dialect, written] of [
      [postgresDb, 'postgres', fromSqlite],
      [sqliteDb, 'sqlite', fromPostgres],
    ] as const) {
      const { found, events } = await read(db, dialect, written);
      expect(found).toEqual({ key: written.key, account: written.account });
      expect(events).toEqual([written.event]);
    }
  });
});
