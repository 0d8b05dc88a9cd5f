import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';

const adminUrl = inject('databaseUrl');
const CHANNEL = 'keyward_changes';

/**
 * A raw pg client listening to the channel. `settle()` sends a marker notice from another
 * connection and resolves with every payload received before it: notices are delivered in
 * commit order, so that is everything committed before the call.
 */
interface NoticeListener {
  settle(): Promise<string[]>;
  close(): Promise<void>;
}

async function listen(url: string, sender: Kysely<KeywardDatabase>): Promise<NoticeListener> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`listen ${CHANNEL}`);
  let received: string[] = [];
  const markers = new Map<string, () => void>();
  client.on('notification', (message) => {
    const payload = message.payload ?? '';
    const marker = markers.get(payload);
    if (marker === undefined) received.push(payload);
    else marker();
  });
  let count = 0;
  return {
    async settle() {
      const marker = `marker:${++count}`;
      const arrived = new Promise<void>((resolve) => markers.set(marker, resolve));
      await sql`select pg_notify(${CHANNEL}, ${marker})`.execute(sender);
      await arrived;
      const payloads = received;
      received = [];
      return payloads;
    },
    close: () => client.end(),
  };
}

const NOW = new Date('2025-03-14T15:09:26.535Z');

// Skipped only when the global setup found no PostgreSQL (it warns loudly; CI makes that fatal).
describe.runIf(adminUrl !== null)('PostgreSQL change notices from the Kysely adapter', () => {
  let database: PostgresTestDatabase | undefined;
  let db: Kysely<KeywardDatabase>;
  let storage: StorageAdapter;
  let notices: NoticeListener;

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'change_notices');
    db = openPostgres(database.url, 4);
    await migrateToLatest(db);
    storage = kyselyAdapter(db, { dialect: 'postgres' });
    notices = await listen(database.url, db);
  });
  afterAll(async () => {
    await notices?.close();
    await db?.destroy();
    await database?.drop();
  });
  beforeEach(async () => {
    await notices.settle(); // nothing left over from the previous test
  });

  async function storedAccountWithKey() {
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    const key = buildApiKeyFor(account);
    await storage.insertKeyIfUnderLimit({ key, limit: 10, now: NOW });
    await notices.settle();
    return { account, key };
  }

  it('insertServiceAccount notifies a:<id>; a taken id notifies nothing', async () => {
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    expect(await notices.settle()).toEqual([`a:${account.id}`]);
    await expect(storage.insertServiceAccount({ account })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await notices.settle()).toEqual([]);
  });

  it('updateServiceAccount notifies a:<id> when it stores; a stale version or a missing account notifies nothing', async () => {
    const { account } = await storedAccountWithKey();
    const next = { ...account, roles: ['writer'], version: 2 };
    await storage.updateServiceAccount({ account: next, expectedVersion: 1 });
    expect(await notices.settle()).toEqual([`a:${account.id}`]);
    await expect(storage.updateServiceAccount({ account: next, expectedVersion: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const missing = buildServiceAccount();
    expect(await storage.updateServiceAccount({ account: missing, expectedVersion: 1 })).toBeNull();
    expect(await notices.settle()).toEqual([]);
  });

  it('deleteServiceAccount notifies a:<id> once; deleting nothing notifies nothing', async () => {
    const { account } = await storedAccountWithKey();
    expect(await storage.deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(true);
    expect(await notices.settle()).toEqual([`a:${account.id}`]);
    expect(await storage.deleteServiceAccount({ tenantId: account.tenantId, id: account.id })).toBe(false);
    expect(await notices.settle()).toEqual([]);
  });

  it('insertKeyIfUnderLimit notifies k:<id> for a created key, nothing when the limit refuses it', async () => {
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    await notices.settle();
    const key = buildApiKeyFor(account);
    expect(await storage.insertKeyIfUnderLimit({ key, limit: 1, now: NOW })).toEqual({ inserted: true });
    expect(await notices.settle()).toEqual([`k:${key.id}`]);
    const refused = buildApiKeyFor(account);
    expect(await storage.insertKeyIfUnderLimit({ key: refused, limit: 1, now: NOW })).toEqual({
      inserted: false,
      activeKeys: 1,
    });
    expect(await notices.settle()).toEqual([]);
  });

  it('updateKey notifies k:<id>; a revoked key (CONFLICT) or a missing one notifies nothing', async () => {
    const { account, key } = await storedAccountWithKey();
    const revoked = { ...key, status: 'revoked' as const, revokedAt: NOW };
    await storage.updateKey({ key: revoked });
    expect(await notices.settle()).toEqual([`k:${key.id}`]);
    await expect(storage.updateKey({ key: revoked })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await storage.updateKey({ key: buildApiKeyFor(account) })).toBeNull();
    expect(await notices.settle()).toEqual([]);
  });

  it('setKeyCredits notifies k:<id>; a missing key notifies nothing', async () => {
    const { account, key } = await storedAccountWithKey();
    const credits = { remaining: 5, refill: null, refilledAt: null };
    await storage.setKeyCredits({ tenantId: account.tenantId, keyId: key.id, credits });
    expect(await notices.settle()).toEqual([`k:${key.id}`]);
    expect(await storage.setKeyCredits({ tenantId: account.tenantId, keyId: 'missing', credits })).toBeNull();
    expect(await notices.settle()).toEqual([]);
  });

  it('touchKeys and spendCredits notify nothing (the verification path decides on neither)', async () => {
    const { account, key } = await storedAccountWithKey();
    const credits = { remaining: 5, refill: null, refilledAt: null };
    await storage.setKeyCredits({ tenantId: account.tenantId, keyId: key.id, credits });
    await notices.settle();
    await storage.touchKeys({ entries: [{ keyId: key.id, lastUsedAt: NOW }] });
    expect(await storage.spendCredits({ keyId: key.id, cost: 1, now: NOW })).toEqual({
      spent: true,
      remaining: 4,
    });
    expect(await notices.settle()).toEqual([]);
  });

  it('inside a transaction the notices arrive only on commit, each write once', async () => {
    const { account, key } = await storedAccountWithKey();
    let midway: string[] = [];
    await storage.transaction(async (tx) => {
      await tx.updateKey({ key: { ...key, name: 'renamed' } });
      await tx.updateServiceAccount({
        account: { ...account, name: 'renamed', version: 2 },
        expectedVersion: 1,
      });
      midway = await notices.settle(); // from another connection: the transaction is still open
    });
    expect(midway).toEqual([]);
    expect(await notices.settle()).toEqual([`k:${key.id}`, `a:${account.id}`]);
  });

  it('a rolled-back transaction notifies nothing', async () => {
    const { account, key } = await storedAccountWithKey();
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
    expect(await notices.settle()).toEqual([]);
    expect((await storage.findKeyForVerification({ keyId: key.id }))?.key.status).toBe('active');
  });
});
