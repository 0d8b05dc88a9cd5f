import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { pruneSqliteChanges } from '../../adapters/kysely/sqlite-change-log.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';

const NOW = new Date('2025-03-14T15:09:26.535Z');

let removeDir: () => Promise<void>;
let file: string;
let db: Kysely<KeywardDatabase>;
let storage: StorageAdapter;

beforeEach(async () => {
  const dir = await tempSqliteDirectory();
  removeDir = dir.remove;
  file = dir.file('changes.db');
  db = openSqlite(file, { wal: true, statementCache: true });
  await migrateToLatest(db);
  storage = kyselyAdapter(db, { dialect: 'sqlite' });
});
afterEach(async () => {
  await db.destroy();
  await removeDir();
});

/** The log's rows from `after` on, as `k:<id>` / `a:<id>`. */
async function logAfter(after: number): Promise<string[]> {
  const rows = await db
    .selectFrom('keyward_changes')
    .select(['kind', 'id'])
    .where('seq', '>', after)
    .orderBy('seq')
    .execute();
  return rows.map((row) => `${row.kind}:${row.id}`);
}

/** The log's last `seq` (0 when empty). */
async function lastSeq(): Promise<number> {
  const row = await db
    .selectFrom('keyward_changes')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** What each call appends to the log: run `write`, answer the rows it added. */
async function appendedBy(write: () => Promise<unknown>): Promise<string[]> {
  const before = await lastSeq();
  await write();
  return logAfter(before);
}

async function storedAccountWithKey() {
  const account = buildServiceAccount();
  await storage.insertServiceAccount({ account });
  const key = buildApiKeyFor(account);
  await storage.insertKeyIfUnderLimit({ key, limit: 10, now: NOW });
  return { account, key };
}

describe('SQLite change log: each write that changes what verification reads appends its rows', () => {
  it('insertServiceAccount appends a:<id>; a taken id appends nothing', async () => {
    const account = buildServiceAccount();
    expect(await appendedBy(() => storage.insertServiceAccount({ account }))).toEqual([`a:${account.id}`]);
    expect(
      await appendedBy(() =>
        expect(storage.insertServiceAccount({ account })).rejects.toMatchObject({ code: 'CONFLICT' }),
      ),
    ).toEqual([]);
  });

  it('updateServiceAccount appends a:<id> when it stores; a stale version or a missing account appends nothing', async () => {
    const { account } = await storedAccountWithKey();
    const next = { ...account, roles: ['writer'], version: 2 };
    expect(
      await appendedBy(() => storage.updateServiceAccount({ account: next, expectedVersion: 1 })),
    ).toEqual([`a:${account.id}`]);
    const stale = () =>
      expect(storage.updateServiceAccount({ account: next, expectedVersion: 1 })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    expect(await appendedBy(stale)).toEqual([]);
    const missing = buildServiceAccount();
    expect(
      await appendedBy(() => storage.updateServiceAccount({ account: missing, expectedVersion: 1 })),
    ).toEqual([]);
  });

  it('deleteServiceAccount appends a:<id> once; deleting nothing appends nothing', async () => {
    const { account } = await storedAccountWithKey();
    const remove = () => storage.deleteServiceAccount({ tenantId: account.tenantId, id: account.id });
    expect(await appendedBy(remove)).toEqual([`a:${account.id}`]);
    expect(await appendedBy(remove)).toEqual([]);
  });

  it('insertKeyIfUnderLimit appends k:<id> for a created key (a cached "unknown" must go), nothing when refused', async () => {
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    const key = buildApiKeyFor(account);
    expect(await appendedBy(() => storage.insertKeyIfUnderLimit({ key, limit: 1, now: NOW }))).toEqual([
      `k:${key.id}`,
    ]);
    const refused = buildApiKeyFor(account);
    expect(
      await appendedBy(() => storage.insertKeyIfUnderLimit({ key: refused, limit: 1, now: NOW })),
    ).toEqual([]);
  });

  it('updateKey appends k:<id>; a revoked key (CONFLICT) or a missing one appends nothing', async () => {
    const { account, key } = await storedAccountWithKey();
    const revoked = { ...key, status: 'revoked' as const, revokedAt: NOW };
    expect(await appendedBy(() => storage.updateKey({ key: revoked }))).toEqual([`k:${key.id}`]);
    const again = () =>
      expect(storage.updateKey({ key: revoked })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await appendedBy(again)).toEqual([]);
    expect(await appendedBy(() => storage.updateKey({ key: buildApiKeyFor(account) }))).toEqual([]);
  });

  it('setKeyCredits appends k:<id>; a missing key appends nothing', async () => {
    const { account, key } = await storedAccountWithKey();
    const credits = { remaining: 5, refill: null, refilledAt: null };
    const set = (keyId: string) => () =>
      storage.setKeyCredits({ tenantId: account.tenantId, keyId, credits });
    expect(await appendedBy(set(key.id))).toEqual([`k:${key.id}`]);
    expect(await appendedBy(set('missing'))).toEqual([]);
  });

  it('touchKeys, spendCredits and audit events append nothing (the verification path decides on none)', async () => {
    const { account, key } = await storedAccountWithKey();
    const credits = { remaining: 5, refill: null, refilledAt: null };
    await storage.setKeyCredits({ tenantId: account.tenantId, keyId: key.id, credits });
    const quiet = async () => {
      await storage.touchKeys({ entries: [{ keyId: key.id, lastUsedAt: NOW }] });
      expect(await storage.spendCredits({ keyId: key.id, cost: 1, now: NOW })).toEqual({
        spent: true,
        remaining: 4,
      });
    };
    expect(await appendedBy(quiet)).toEqual([]);
  });

  it('a write outside a transaction and its row are one unit: when the row cannot be written, nothing is', async () => {
    const { key } = await storedAccountWithKey();
    await sql`alter table keyward_changes rename to keyward_changes_aside`.execute(db);
    const revoked = { ...key, status: 'revoked' as const, revokedAt: NOW };
    await expect(storage.updateKey({ key: revoked })).rejects.toMatchObject({ code: 'STORAGE_SCHEMA' });
    expect((await storage.findKeyForVerification({ keyId: key.id }))?.key.status).toBe('active');
    const account = buildServiceAccount();
    await expect(storage.insertServiceAccount({ account })).rejects.toMatchObject({ code: 'STORAGE_SCHEMA' });
    expect(await storage.findServiceAccount(account)).toBeNull();
    await sql`alter table keyward_changes_aside rename to keyward_changes`.execute(db);
  });

  it('inside a transaction the rows commit with it, each write once, in order', async () => {
    const { account, key } = await storedAccountWithKey();
    const before = await lastSeq();
    const other = new Database(file, { readonly: true });
    let midway: unknown[] = [];
    try {
      await storage.transaction(async (tx) => {
        await tx.updateKey({ key: { ...key, name: 'renamed' } });
        await tx.updateServiceAccount({
          account: { ...account, name: 'renamed', version: 2 },
          expectedVersion: 1,
        });
        midway = other.prepare('SELECT seq FROM keyward_changes WHERE seq > ?').all(before);
      });
    } finally {
      other.close();
    }
    expect(midway).toEqual([]); // another connection sees nothing before the commit
    expect(await logAfter(before)).toEqual([`k:${key.id}`, `a:${account.id}`]);
  });

  it('a rolled-back transaction leaves no row', async () => {
    const { account, key } = await storedAccountWithKey();
    const before = await lastSeq();
    const failure = new Error('the host changed its mind');
    await expect(
      storage.transaction(async (tx) => {
        await tx.updateKey({ key: { ...key, status: 'revoked', revokedAt: NOW } });
        await tx.deleteServiceAccount({ tenantId: account.tenantId, id: account.id });
        await tx
          .insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 10, now: NOW })
          .catch(() => null);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await logAfter(before)).toEqual([]);
    expect(await lastSeq()).toBe(before);
  });
});

describe('SQLite change log pruning', () => {
  /** Appends `count` rows written at `at`, straight into the table. */
  async function rowsAt(count: number, at: number): Promise<void> {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
      insert into keyward_changes (kind, id, at) select 'k', 'old-' || i, ${at} from n`.execute(db);
  }

  it('deletes only rows older than the cutoff, always a prefix, at most 1000 per prune', async () => {
    const now = Date.now();
    await rowsAt(1500, now - 700_000);
    await rowsAt(3, now);
    const ctx = { db, dialect: 'sqlite' as const, inTransaction: false, busyTimeoutMs: 0 };
    expect(await pruneSqliteChanges(ctx, now - 600_000)).toBe(1000);
    expect(await pruneSqliteChanges(ctx, now - 600_000)).toBe(500);
    expect(await pruneSqliteChanges(ctx, now - 600_000)).toBe(0);
    const left = await db.selectFrom('keyward_changes').select('seq').orderBy('seq').execute();
    expect(left.map((row) => row.seq)).toEqual([1501, 1502, 1503]);
  });

  it('the write whose row gets a seq that is a multiple of 1000 prunes rows older than 10 minutes', async () => {
    await rowsAt(998, Date.now() - 700_000);
    const { account, key } = await storedAccountWithKey(); // seq 999 (account), then 1000 (key): a prune
    const left = await db
      .selectFrom('keyward_changes')
      .select(['seq', 'kind', 'id'])
      .orderBy('seq')
      .execute();
    expect(left).toEqual([
      { seq: 999, kind: 'a', id: account.id },
      { seq: 1000, kind: 'k', id: key.id },
    ]);
  });
});
