import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type KeywardDatabase,
  type KyselyAdapterOptions,
  kyselyAdapter,
  migrateToLatest,
} from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../src/index.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from '../../src/testing/index.js';
import { bundleWorker, type WorkerBundle } from '../integration/fixtures/worker-bundle.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { admin, dataset, TENANT } from '../support/keyward-fixture.js';
import { rejection } from '../support/rejection.js';
import { type SqliteChild, startSqliteChild } from './fixtures/sqlite-child-process.js';

/**
 * The longest the event loop may stand still while another process holds the lock: the handle's
 * busy timeout (5 ms, as documented) plus generous room for a loaded test machine. Before the
 * asynchronous retries a single wait stood still for the whole 5 s busy timeout.
 */
const MAX_LOOP_DELAY_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const request = { action: 'datasets:read' as const, resource: dataset('d_1') };
/** A user without management rights: refused, and the refusal audited outside any transaction. */
const outsider: UserActor = { type: 'user', id: 'u_outsider', tenantId: TENANT, permissions: [] };

/** What `body` returned and the longest event-loop stall (ms) while it ran. */
async function withLoopDelay<T>(body: () => Promise<T>): Promise<{ value: T; maxDelayMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const value = await body();
    return { value, maxDelayMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** Tracks whether a promise settled yet. */
function tracked<T>(promise: Promise<T>): { readonly promise: Promise<T>; settled(): boolean } {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => {}); // observed by the test, later
  return { promise: watched, settled: () => settled };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A SQLite file shared with another process, keyward over it, and one key to verify. */
async function sharedFile(options: { wal: boolean; busyTimeoutMs?: number }) {
  const dir = await tempSqliteDirectory();
  const file = dir.file('shared.db');
  const db = openSqlite(file, { wal: options.wal, statementCache: true });
  cleanups.push(async () => {
    await db.destroy();
    await dir.remove();
  });
  await migrateToLatest(db);
  const adapterOptions: KyselyAdapterOptions = { dialect: 'sqlite', busyTimeoutMs: options.busyTimeoutMs };
  const storage = kyselyAdapter(db, adapterOptions);
  const backgroundErrors: unknown[] = [];
  const kw = createKeyward({
    storage,
    tokenPrefix: 'acme',
    lastUsedIntervalMs: 0,
    onBackgroundError: (error) => backgroundErrors.push(error),
  });
  const created = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles: ['analyst'],
    firstKey: { name: 'k' },
  });
  const key = created.key as NonNullable<typeof created.key>;
  return { file, db, storage, kw, token: key.token, keyId: key.key.id, backgroundErrors };
}

let holderBundle: WorkerBundle;
beforeAll(async () => {
  holderBundle = await bundleWorker(new URL('./fixtures/sqlite-lock-holder.ts', import.meta.url));
});
afterAll(async () => {
  await holderBundle?.remove();
});

/** Another process holding `begin <mode>` on the file until released or killed. */
async function lockHeldByAnotherProcess(
  file: string,
  mode: 'immediate' | 'exclusive' | 'shared',
): Promise<SqliteChild> {
  const holder = startSqliteChild(holderBundle.file, [file, mode]);
  cleanups.push(() => holder.kill());
  await holder.line('locked');
  return holder;
}

async function release(holder: SqliteChild): Promise<void> {
  holder.send('release');
  await holder.line('released');
}

function createAccount(kw: Keyward, name: string, actor: UserActor = admin) {
  return kw.serviceAccounts.create(actor, { workspaceId: 'w_sales', name, roles: ['viewer'] });
}

describe('SQLite: a write lock held by another process', () => {
  it('WAL, released after 400 ms: management calls and the lastUsedAt write wait without stalling the loop, verify answers meanwhile, then all succeed', async () => {
    const { file, kw, storage, token, keyId, backgroundErrors } = await sharedFile({ wal: true });
    const holder = await lockHeldByAnotherProcess(file, 'immediate');
    const { value, maxDelayMs } = await withLoopDelay(async () => {
      const created = tracked(createAccount(kw, 'during-lock'));
      const refused = tracked(rejection(createAccount(kw, 'refused', outsider)));
      const verified = [];
      for (let i = 0; i < 5; i++) verified.push(await kw.verify(token, request)); // each use is written at once
      await sleep(400);
      const waiting = !created.settled() && !refused.settled();
      await release(holder);
      return { verified, waiting, created: await created.promise, refused: await refused.promise };
    });
    expect(value.verified.map((result) => result.ok)).toEqual([true, true, true, true, true]);
    expect(value.waiting).toBe(true);
    expect(value.created.account.name).toBe('during-lock');
    expect(value.refused.code).toBe('FORBIDDEN'); // its audit event was written once the lock was free
    const denied = (await kw.audit.list(admin)).items.filter((event) => event.outcome === 'denied');
    expect(denied).toHaveLength(1);
    await kw.flush();
    expect((await storage.findKey({ tenantId: TENANT, keyId }))?.lastUsedAt).not.toBeNull();
    expect(backgroundErrors).toEqual([]);
    expect(maxDelayMs).toBeLessThan(MAX_LOOP_DELAY_MS);
  });

  it('WAL, held by a stuck process: the waiting management call fails with STORAGE_UNAVAILABLE after busyTimeoutMs, verify keeps answering, the loop never stalls', async () => {
    const { file, kw, token } = await sharedFile({ wal: true, busyTimeoutMs: 300 });
    const holder = await lockHeldByAnotherProcess(file, 'immediate');
    const { value, maxDelayMs } = await withLoopDelay(async () => {
      const startedAt = Date.now();
      const failed = rejection(createAccount(kw, 'never'));
      const verified = await kw.verify(token, request);
      const error = await failed;
      return { verified, error, waitedMs: Date.now() - startedAt };
    });
    expect(value.verified.ok).toBe(true);
    expect(value.error.code).toBe('STORAGE_UNAVAILABLE');
    expect(value.error.details).toEqual({ driverCode: 'SQLITE_BUSY' });
    expect(value.waitedMs).toBeGreaterThanOrEqual(300);
    expect(value.waitedMs).toBeLessThan(2_000);
    expect(maxDelayMs).toBeLessThan(MAX_LOOP_DELAY_MS);
    await holder.kill(); // the stuck process goes away, and its lock with it
    expect((await createAccount(kw, 'after')).account.name).toBe('after');
  });

  it('rollback journal, an exclusive lock held for 300 ms: verify and management calls wait for it without stalling the loop, then succeed', async () => {
    const { file, kw, token } = await sharedFile({ wal: false });
    const holder = await lockHeldByAnotherProcess(file, 'exclusive');
    const { value, maxDelayMs } = await withLoopDelay(async () => {
      const verified = tracked(kw.verify(token, request)); // a reader: locked out by the exclusive lock
      const created = tracked(createAccount(kw, 'during-lock'));
      await sleep(300);
      const waiting = !verified.settled() && !created.settled();
      await release(holder);
      return { waiting, verified: await verified.promise, created: await created.promise };
    });
    expect(value.waiting).toBe(true);
    expect(value.verified.ok).toBe(true);
    expect(value.created.account.name).toBe('during-lock');
    expect(maxDelayMs).toBeLessThan(MAX_LOOP_DELAY_MS);
  });
});

describe('SQLite: a read transaction held by another process (rollback journal)', () => {
  it('a management call commits once the reader is done: COMMIT waits for it without stalling the loop', async () => {
    const { file, kw } = await sharedFile({ wal: false });
    const holder = await lockHeldByAnotherProcess(file, 'shared');
    const { value, maxDelayMs } = await withLoopDelay(async () => {
      const created = tracked(createAccount(kw, 'during-read'));
      await sleep(300);
      const waiting = !created.settled();
      await release(holder);
      return { waiting, created: await created.promise };
    });
    expect(value.waiting).toBe(true);
    expect(value.created.account.name).toBe('during-read');
    expect((await kw.serviceAccounts.list(admin)).items.map((account) => account.name)).toContain(
      'during-read',
    );
    expect(maxDelayMs).toBeLessThan(MAX_LOOP_DELAY_MS);
  });
});

describe('SQLite touchKeys under a foreign lock', () => {
  const KEYS = 250;

  async function keysOnFile(busyTimeoutMs: number) {
    const dir = await tempSqliteDirectory();
    const file = dir.file('touch.db');
    const statements: string[] = [];
    let onCommit: (() => void) | undefined;
    const db = openSqlite(file, {
      wal: true,
      log: (event) => {
        if (event.level !== 'query') return;
        statements.push(event.query.sql);
        if (event.query.sql === 'commit') onCommit?.();
      },
    });
    cleanups.push(async () => {
      await db.destroy();
      await dir.remove();
    });
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: 'sqlite', busyTimeoutMs });
    const account = buildServiceAccount({ tenantId: TENANT });
    const keys = Array.from({ length: KEYS }, () => buildApiKeyFor(account));
    await storage.transaction(async (tx) => {
      await tx.insertServiceAccount({ account });
      for (const key of keys) await tx.insertKeyIfUnderLimit({ key, limit: KEYS, now: fixtureTime() });
    });
    statements.length = 0;
    return { file, db, storage, keys, statements, afterCommit: (fn: () => void) => (onCommit = fn) };
  }

  async function touchedAt(db: Kysely<KeywardDatabase>, at: Date): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from keyward_api_keys where last_used_at = ${at.getTime()}
    `.execute(db);
    return Number(rows[0]?.n);
  }

  /** The number of updates in each transaction, in order. */
  function transactionSizes(statements: readonly string[]): number[] {
    const sizes: number[] = [];
    for (const statement of statements) {
      if (statement === 'begin immediate') sizes.push(0);
      else if (statement.startsWith('update')) sizes[sizes.length - 1] = (sizes.at(-1) ?? 0) + 1;
    }
    return sizes;
  }

  it('writes at most 100 keys per transaction; a batch that cannot get the lock fails whole, earlier batches stay, and sending the same entries again writes the rest', async () => {
    const { file, db, storage, keys, statements, afterCommit } = await keysOnFile(200);
    const at = fixtureTime(60_000);
    const entries = keys.map((key) => ({ keyId: key.id, lastUsedAt: at }));
    const other = new Database(file, { timeout: 5 });
    cleanups.push(async () => {
      if (other.inTransaction) other.exec('rollback');
      other.close();
    });
    // Another connection takes the write lock the moment the first batch commits.
    afterCommit(() => {
      afterCommit(() => {});
      other.exec('begin immediate');
    });
    const error = await rejection(storage.touchKeys({ entries }));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.details).toEqual({ driverCode: 'SQLITE_BUSY' });
    expect(await touchedAt(db, at)).toBe(100);
    other.exec('rollback');

    statements.length = 0;
    await storage.touchKeys({ entries });
    expect(await touchedAt(db, at)).toBe(KEYS);
    expect(transactionSizes(statements)).toEqual([100, 100, 50]);
  });
});

describe('the busyTimeoutMs option', () => {
  it('must be a whole number of milliseconds from 0: anything else is INVALID_CONFIG when the adapter is built', () => {
    const db = openSqlite(':memory:');
    cleanups.push(() => db.destroy());
    for (const busyTimeoutMs of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number]) {
      expect(() => kyselyAdapter(db, { dialect: 'sqlite', busyTimeoutMs })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
    }
    const adapter: StorageAdapter = kyselyAdapter(db, { dialect: 'sqlite', busyTimeoutMs: 0 });
    expect(adapter.name).toBe('sqlite');
  });
});
