import { CompiledQuery, type Kysely, type LogEvent, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKeyToRow } from '../../adapters/kysely/api-key-row.js';
import { auditEventToRow } from '../../adapters/kysely/audit-event-row.js';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { serviceAccountToRow } from '../../adapters/kysely/service-account-row.js';
import type { ApiKey } from '../../src/entities/api-key.js';
import type { AuditAction } from '../../src/entities/audit-event.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import {
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  fixtureTime,
} from '../../src/testing/index.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const TENANTS = 4;
const ACCOUNTS_PER_TENANT = 1000;
const ACTIONS: readonly AuditAction[] = ['service_account.create', 'api_key.issue', 'api_key.revoke'];
const DAY_MS = 86_400_000;
const YEAR_MS = 365 * DAY_MS;
/** The bound of the sweeps: few seeded keys expire or were last used before it. */
const SOON = fixtureTime(DAY_MS);

interface Seeded {
  readonly tenantId: string;
  readonly accountId: string;
  readonly keyId: string;
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(rows.length / size) }, (_, index) =>
    rows.slice(index * size, (index + 1) * size),
  );
}

/**
 * The `key`-th key of the `index`-th account of a tenant. As in a real fleet, the keys a sweep
 * looks for are few: 1 in 100 expires soon (before `SOON`), 1 in 100 was never used and 1 in 100
 * not since `SOON`; every other key expires in a year and was used lately.
 */
function seededKey(account: ServiceAccount, index: number, key: number): ApiKey {
  const rare = key === 0 ? index % 50 : -1;
  return buildApiKeyFor(account, {
    createdAt: fixtureTime(key),
    environment: index % 3 === 0 ? 'test' : 'live',
    expiresAt: fixtureTime(rare === 0 ? 1_000 + index : YEAR_MS + index),
    lastUsedAt: rare === 1 ? null : fixtureTime(rare === 2 ? 500 : 30 * DAY_MS + index),
  });
}

/** 4,000 accounts over 4 tenants and 4 workspaces, 8,000 keys, 8,000 audit events; then ANALYZE. */
async function seed(db: Kysely<KeywardDatabase>): Promise<Seeded> {
  const accounts = [];
  const keys = [];
  const events = [];
  for (let tenant = 0; tenant < TENANTS; tenant += 1) {
    const tenantId = `tenant-plan-${tenant}`;
    for (let index = 0; index < ACCOUNTS_PER_TENANT; index += 1) {
      const workspaceId = `ws-${index % 4}`;
      const account = buildServiceAccount({ tenantId, workspaceId, createdAt: fixtureTime(index) });
      accounts.push(serviceAccountToRow(account));
      for (let key = 0; key < 2; key += 1) keys.push(apiKeyToRow(seededKey(account, index, key)));
      for (let event = 0; event < 2; event += 1) {
        const action = ACTIONS[(index + event) % ACTIONS.length] as AuditAction;
        const target = { type: 'service_account' as const, id: account.id };
        events.push(
          auditEventToRow(
            buildAuditEvent({ tenantId, workspaceId, action, target, createdAt: fixtureTime(index) }),
          ),
        );
      }
    }
  }
  for (const rows of chunks(accounts, 200))
    await db.insertInto('keyward_service_accounts').values(rows).execute();
  for (const rows of chunks(keys, 200)) await db.insertInto('keyward_api_keys').values(rows).execute();
  for (const rows of chunks(events, 200)) await db.insertInto('keyward_audit_events').values(rows).execute();
  await sql`analyze`.execute(db);
  const sample = accounts[ACCOUNTS_PER_TENANT * 2 + 3];
  const sampleKey = keys.find((key) => key.service_account_id === sample?.id);
  return {
    tenantId: sample?.tenant_id as string,
    accountId: sample?.id as string,
    keyId: sampleKey?.id as string,
  };
}

describeEachSqlTarget('query plans on a few thousand rows', (target) => {
  let database: SqlDatabase;
  let db: Kysely<KeywardDatabase>;
  let storage: StorageAdapter;
  let seeded: Seeded;
  const captured: CompiledQuery[] = [];
  const log = (event: LogEvent) => {
    if (event.level === 'query') captured.push(event.query);
  };

  beforeAll(async () => {
    database = await target.create('plans');
    db = database.connect(1, log);
    await migrateToLatest(db);
    seeded = await seed(db);
    storage = kyselyAdapter(db, { dialect: target.dialect });
  }, 120_000);
  afterAll(async () => {
    await database?.dispose();
  });

  let statementsOfLastCall = 0;

  /** Runs `call`, then EXPLAINs the last statement it sent, with its own parameters. */
  async function planOf(call: () => Promise<unknown>): Promise<string> {
    captured.length = 0;
    await call();
    statementsOfLastCall = captured.length;
    const query = captured.at(-1) as CompiledQuery;
    const prefix = target.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await db.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(prefix + query.sql, [...query.parameters]),
    );
    const plan = result.rows.map((row) => String(row.detail ?? row['QUERY PLAN'])).join('\n');
    if (process.env.SHOW_PLANS) console.log(`${query.sql}\n${plan}`);
    return plan;
  }

  function expectIndexed(plan: string, index: RegExp, ordered: boolean): void {
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/Seq Scan|^SCAN keyward_/m); // no full table scan
    if (ordered) expect(plan).not.toMatch(/Sort|TEMP B-TREE/); // the index yields the page order
  }

  const pkey = (table: string) =>
    target.dialect === 'sqlite'
      ? new RegExp(`USING INDEX sqlite_autoindex_${table}_1 \\(id=\\?\\)`)
      : new RegExp(`Index Scan using ${table}_pkey`);
  const pageIndex = (name: string) => new RegExp(`(USING INDEX|Index Scan( Backward)? using) ${name}\\b`);
  /** A search on one of the indexes, possibly as a bitmap (PostgreSQL) or one per OR term (SQLite). */
  const anyIndex = (names: string) =>
    new RegExp(`(USING INDEX|Index Scan using|Bitmap Index Scan on) (${names})\\b`);

  it('the request-path read finds the key and its account by primary key, in one statement', async () => {
    const plan = await planOf(() => storage.findKeyForVerification({ keyId: seeded.keyId }));
    expect(statementsOfLastCall).toBe(1);
    expectIndexed(plan, pkey('keyward_api_keys'), false);
    expectIndexed(plan, pkey('keyward_service_accounts'), false);
  });

  it('single-record reads use the primary keys', async () => {
    expectIndexed(
      await planOf(() => storage.findKey({ tenantId: seeded.tenantId, keyId: seeded.keyId })),
      pkey('keyward_api_keys'),
      false,
    );
    const account = await planOf(() =>
      storage.findServiceAccount({ tenantId: seeded.tenantId, id: seeded.accountId }),
    );
    expectIndexed(account, pkey('keyward_service_accounts'), false);
  });

  it('spending credits is one update of the key by primary key; an unlimited key adds one read by primary key', async () => {
    const { tenantId, keyId } = seeded;
    const credits = {
      remaining: 1_000_000,
      refill: { amount: 1_000_000, intervalMs: DAY_MS },
      refilledAt: SOON,
    };
    await storage.setKeyCredits({ tenantId, keyId, credits });
    try {
      const spend = await planOf(() => storage.spendCredits({ keyId, cost: 1, now: SOON }));
      expect(statementsOfLastCall).toBe(1);
      expectIndexed(spend, pkey('keyward_api_keys'), false);
      await storage.setKeyCredits({ tenantId, keyId, credits: null });
      const unlimited = await planOf(() => storage.spendCredits({ keyId, cost: 1, now: SOON }));
      expect(statementsOfLastCall).toBe(2);
      expectIndexed(unlimited, pkey('keyward_api_keys'), false);
    } finally {
      await storage.setKeyCredits({ tenantId, keyId, credits: null });
    }
  });

  it('account pages (whole tenant, one workspace, after a cursor) come in order from an index', async () => {
    const { tenantId } = seeded;
    const after = { createdAt: fixtureTime(40), id: 'sa_' };
    const tenantPage = await planOf(() => storage.listServiceAccounts({ tenantId, limit: 50 }));
    expectIndexed(tenantPage, pageIndex('keyward_service_accounts_tenant_page'), true);
    const workspacePage = await planOf(() =>
      storage.listServiceAccounts({ tenantId, workspaceId: 'ws-1', limit: 50, after }),
    );
    expectIndexed(workspacePage, pageIndex('keyward_service_accounts_workspace_page'), true);
  });

  it('key pages of an account come from an index (a handful of rows: the planner may sort them)', async () => {
    const plan = await planOf(() =>
      storage.listKeys({ tenantId: seeded.tenantId, serviceAccountId: seeded.accountId, limit: 50 }),
    );
    expectIndexed(
      plan,
      /(USING INDEX|Index Scan on|Index Scan using) keyward_api_keys_account_page\b/,
      false,
    );
  });

  it('tenant-wide key pages (whole tenant, or one workspace with filters and a cursor) come in order from an index', async () => {
    const { tenantId } = seeded;
    const now = fixtureTime(2 * DAY_MS);
    const after = { createdAt: fixtureTime(0), id: 'k' };
    const tenantPage = await planOf(() => storage.queryKeys({ tenantId, now, limit: 50 }));
    expectIndexed(tenantPage, pageIndex('keyward_api_keys_tenant_page'), true);
    const filtered = await planOf(() =>
      storage.queryKeys({ tenantId, status: 'active', environment: 'live', now, limit: 50, after }),
    );
    expectIndexed(filtered, pageIndex('keyward_api_keys_tenant_page'), true);
    const workspacePage = await planOf(() =>
      storage.queryKeys({ tenantId, workspaceId: 'ws-1', environment: 'test', now, limit: 50, after }),
    );
    expectIndexed(workspacePage, pageIndex('keyward_api_keys_workspace_page'), true);
    // No seeded key is disabled: PostgreSQL expects next to no rows and may sort what it finds.
    const disabled = await planOf(() =>
      storage.queryKeys({ tenantId, workspaceId: 'ws-1', status: 'disabled', now, limit: 50, after }),
    );
    expectIndexed(disabled, anyIndex('keyward_api_keys_workspace_page'), false);
  });

  it('key sweeps (expiring before, unused since) read only the few matching keys, from their own index', async () => {
    const { tenantId } = seeded;
    const now = fixtureTime(2 * DAY_MS);
    const expiring = await planOf(() => storage.queryKeys({ tenantId, expiresBefore: SOON, now, limit: 50 }));
    expectIndexed(expiring, anyIndex('keyward_api_keys_tenant_expiry'), false);
    const unused = await planOf(() => storage.queryKeys({ tenantId, unusedSince: SOON, now, limit: 50 }));
    expectIndexed(unused, anyIndex('keyward_api_keys_tenant_last_use'), false);
    // The CIS sweep: active live keys unused since the bound, a page after a cursor. PostgreSQL
    // reads the last-use index; SQLite, which keeps no histograms, may take the tenant's page index
    // (its range on the cursor and on created_at looks selective to it): either way a tenant range.
    const cis = await planOf(() =>
      storage.queryKeys({
        tenantId,
        status: 'active',
        environment: 'live',
        unusedSince: SOON,
        now,
        limit: 50,
        after: { createdAt: fixtureTime(0), id: 'k' },
      }),
    );
    expectIndexed(
      cis,
      target.dialect === 'postgres'
        ? anyIndex('keyward_api_keys_tenant_last_use')
        : anyIndex('keyward_api_keys_tenant_last_use|keyward_api_keys_tenant_page'),
      false,
    );
  });

  it('audit pages, unfiltered and by workspace, target or action, come newest first from an index', async () => {
    const { tenantId } = seeded;
    const before = { createdAt: fixtureTime(60), id: 'ev_z' };
    const cases = [
      [{}, 'keyward_audit_events_tenant_page'],
      [{ workspaceId: 'ws-2' }, 'keyward_audit_events_workspace_page'],
      [{ targetId: seeded.accountId }, 'keyward_audit_events_target_page'],
      [{ action: 'api_key.issue' as const }, 'keyward_audit_events_action_page'],
    ] as const;
    for (const [filter, index] of cases) {
      const plan = await planOf(() => storage.listAuditEvents({ tenantId, limit: 50, before, ...filter }));
      expectIndexed(plan, pageIndex(index), true);
    }
  });
});
