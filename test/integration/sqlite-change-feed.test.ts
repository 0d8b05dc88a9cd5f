import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type KeywardDatabase,
  keywardMigrator,
  kyselyAdapter,
  migrateToLatest,
  type SqliteChangeFeedDatabase,
  type SqliteChangeFeedStatement,
  sqliteChangeFeed,
} from '../../adapters/kysely/index.js';
import type { ChangeFeed, ChangeFeedListener, StorageChange } from '../../src/storage/change-feed.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';

const NOW = new Date('2025-03-14T15:09:26.535Z');

/** What the feed told its listener, in order: change batches and gaps. */
interface Recorded {
  readonly events: (readonly StorageChange[] | 'gap')[];
  readonly listener: ChangeFeedListener;
  /** The events since the last call. */
  take(): (readonly StorageChange[] | 'gap')[];
}

function recorder(): Recorded {
  const events: (readonly StorageChange[] | 'gap')[] = [];
  let taken = 0;
  return {
    events,
    listener: { changed: (changes) => events.push(changes), gap: () => events.push('gap') },
    take() {
      const fresh = events.slice(taken);
      taken = events.length;
      return fresh;
    },
  };
}

/**
 * The real handle, counting how often each statement runs (by its SQL): the feed's reads are
 * observed, not replaced.
 */
function counting(database: Database.Database): {
  database: SqliteChangeFeedDatabase;
  runs: Map<string, number>;
} {
  const runs = new Map<string, number>();
  const wrap = (source: string, statement: SqliteChangeFeedStatement): SqliteChangeFeedStatement => {
    const count = () => runs.set(source, (runs.get(source) ?? 0) + 1);
    const wrapped: SqliteChangeFeedStatement = {
      get(...params) {
        count();
        return statement.get(...params);
      },
      all(...params) {
        count();
        return statement.all(...params);
      },
      pluck(toggle) {
        if (toggle === undefined) statement.pluck();
        else statement.pluck(toggle);
        return wrapped;
      },
    };
    return wrapped;
  };
  return {
    runs,
    database: {
      prepare: (source) => wrap(source, database.prepare(source)),
      get inTransaction() {
        return database.inTransaction;
      },
    },
  };
}

/** The ids of every change in `events` (a gap fails the test). */
function changedIds(events: readonly (readonly StorageChange[] | 'gap')[]): string[] {
  return events.flatMap((event) => {
    if (event === 'gap') throw new Error('unexpected gap');
    return event.map((change) => change.id);
  });
}

/** How often the feed ran the statement whose SQL contains `fragment`. */
function runsOf(runs: Map<string, number>, fragment: string): number {
  let total = 0;
  for (const [source, count] of runs) if (source.includes(fragment)) total += count;
  return total;
}

let removeDir: () => Promise<void>;
let file: string;
let db: Kysely<KeywardDatabase>;
let storage: StorageAdapter;
const opened: { close(): unknown }[] = [];
const feeds: ChangeFeed[] = [];

beforeEach(async () => {
  const dir = await tempSqliteDirectory();
  removeDir = dir.remove;
  file = dir.file('feed.db');
  db = openSqlite(file, { wal: true });
  await migrateToLatest(db);
  storage = kyselyAdapter(db, { dialect: 'sqlite' });
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) await feed.stop();
  for (const handle of opened.splice(0)) handle.close();
  await db.destroy();
  await removeDir();
});

/** A second connection to the file (another process, as far as SQLite can tell). */
function otherHandle(): Database.Database {
  const handle = new Database(file, { timeout: 5 });
  opened.push(handle);
  return handle;
}

async function startedFeed(
  database: SqliteChangeFeedDatabase,
  pollIntervalMs = 60_000,
): Promise<{ feed: ChangeFeed; recorded: Recorded }> {
  const feed = sqliteChangeFeed({ database, pollIntervalMs });
  feeds.push(feed);
  const recorded = recorder();
  await feed.start(recorded.listener);
  return { feed, recorded };
}

async function storedAccountWithKey() {
  const account = buildServiceAccount();
  await storage.insertServiceAccount({ account });
  const key = buildApiKeyFor(account);
  await storage.insertKeyIfUnderLimit({ key, limit: 10, now: NOW });
  return { account, key };
}

describe('sqliteChangeFeed', () => {
  it('start() is live at once and delivers nothing written before it', async () => {
    await storedAccountWithKey();
    const { feed, recorded } = await startedFeed(otherHandle());
    expect(feed.name).toBe('sqlite');
    expect(feed.live).toBe(true);
    feed.sync?.();
    expect(recorded.events).toEqual([]);
  });

  it('sync() delivers, before it returns, what another connection committed, once', async () => {
    const { feed, recorded } = await startedFeed(otherHandle());
    const { account, key } = await storedAccountWithKey();
    feed.sync?.();
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: account.id },
        { kind: 'key', id: key.id },
      ],
    ]);
    await storage.updateKey({ key: { ...key, status: 'revoked', revokedAt: NOW } });
    feed.sync?.();
    expect(recorded.take()).toEqual([[{ kind: 'key', id: key.id }]]);
    feed.sync?.();
    expect(recorded.take()).toEqual([]);
  });

  it('sync() runs only PRAGMA data_version while no other connection committed, and reads the log only when it moved', async () => {
    const { database, runs } = counting(otherHandle());
    const { feed, recorded } = await startedFeed(database);
    runs.clear();
    for (let i = 0; i < 100; i++) feed.sync?.();
    expect([...runs.keys()]).toEqual(['PRAGMA data_version']);
    expect(runsOf(runs, 'data_version')).toBe(100);
    // A commit that changes nothing verification reads moves data_version, not the log.
    const { key } = await storedAccountWithKey();
    feed.sync?.();
    expect(recorded.take()).toHaveLength(1);
    runs.clear();
    await storage.touchKeys({ entries: [{ keyId: key.id, lastUsedAt: NOW }] });
    feed.sync?.();
    expect(runsOf(runs, 'max(seq)')).toBe(1);
    expect(runsOf(runs, 'WHERE seq >')).toBe(0);
    expect(recorded.take()).toEqual([]);
  });

  it('a handle that reads safe integers (bigint) delivers the same, without a gap', async () => {
    const handle = otherHandle();
    handle.defaultSafeIntegers(true);
    const { feed, recorded } = await startedFeed(handle);
    const { key } = await storedAccountWithKey();
    await storage.updateKey({ key: { ...key, name: 'renamed' } });
    feed.sync?.();
    expect(changedIds(recorded.take())).toEqual([key.serviceAccountId, key.id, key.id]);
    feed.sync?.();
    expect(recorded.take()).toEqual([]);
  });

  it("the feed's own handle: its own commits do not move data_version (keyward evicts those itself)", async () => {
    const handle = otherHandle();
    const { feed, recorded } = await startedFeed(handle);
    const own = kyselyAdapter(kyselyOn(handle), { dialect: 'sqlite' });
    const account = buildServiceAccount();
    await own.insertServiceAccount({ account });
    feed.sync?.();
    expect(recorded.take()).toEqual([]);
    const { key } = await storedAccountWithKey(); // another connection: delivered, with the own row before it
    feed.sync?.();
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: account.id },
        { kind: 'account', id: key.serviceAccountId },
        { kind: 'key', id: key.id },
      ],
    ]);
  });

  it("the poll takes its own handle's committed rows as read, so pruning them later is no gap", async () => {
    const handle = otherHandle();
    const { feed, recorded } = await startedFeed(handle, 5);
    // 998 rows of this handle's own, old enough to be pruned: data_version does not move.
    handle.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 998)
      INSERT INTO keyward_changes (kind, id, at) SELECT 'k', 'own-' || i, 0 FROM n`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a few polls
    const { key } = await storedAccountWithKey(); // seq 999, 1000: the write at 1000 prunes 1 to 998
    feed.sync?.();
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: key.serviceAccountId },
        { kind: 'key', id: key.id },
      ],
    ]);
  });

  it('inside a transaction on its handle, rows are delivered but read again after it: a rolled-back seq reused is not missed', async () => {
    const handle = otherHandle();
    const { feed, recorded } = await startedFeed(handle);
    const { key } = await storedAccountWithKey(); // seq 1, 2 from the other connection
    handle.exec('BEGIN IMMEDIATE');
    handle.prepare("INSERT INTO keyward_changes (kind, id, at) VALUES ('k', 'uncommitted', 0)").run(); // seq 3
    feed.sync?.();
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: key.serviceAccountId },
        { kind: 'key', id: key.id },
        { kind: 'key', id: 'uncommitted' },
      ],
    ]);
    handle.exec('ROLLBACK');
    await storage.updateKey({ key: { ...key, name: 'renamed' } }); // seq 3 again
    feed.sync?.();
    expect(changedIds(recorded.take())).toEqual([key.serviceAccountId, key.id, key.id]);
    expect(feed.live).toBe(true);
  });

  it('delivers without traffic through its poll', async () => {
    const { recorded } = await startedFeed(otherHandle(), 10);
    const { key } = await storedAccountWithKey();
    const deadline = Date.now() + 2_000;
    while (recorded.events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: key.serviceAccountId },
        { kind: 'key', id: key.id },
      ],
    ]);
  });

  it('a reader behind pruned rows gets gap() instead of changes, and stays live after it', async () => {
    const { feed, recorded } = await startedFeed(otherHandle());
    const { key } = await storedAccountWithKey(); // seq 1, 2: not read yet
    // 1000 old rows, and the write that reaches seq 1000 prunes them (with seq 1 and 2).
    await sql`update keyward_changes set at = 0`.execute(db);
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 997)
      insert into keyward_changes (kind, id, at) select 'k', 'old-' || i, 0 from n`.execute(db);
    await storage.updateKey({ key: { ...key, name: 'renamed' } }); // seq 1000
    expect(await db.selectFrom('keyward_changes').select('seq').execute()).toEqual([{ seq: 1000 }]);
    feed.sync?.();
    expect(recorded.take()).toEqual(['gap']);
    expect(feed.live).toBe(true);
    await storage.updateKey({ key: { ...key, name: 'renamed again' } });
    feed.sync?.();
    expect(recorded.take()).toEqual([[{ kind: 'key', id: key.id }]]);
  });

  it('a failed read turns it not live; the next good read calls gap() first, then it is live again', async () => {
    const { feed, recorded } = await startedFeed(otherHandle());
    await keywardMigrator(db).migrateTo('0008-rate-limits'); // drops keyward_changes (0009)
    feed.sync?.();
    expect(feed.live).toBe(false);
    feed.sync?.();
    expect(feed.live).toBe(false);
    await migrateToLatest(db);
    feed.sync?.();
    expect(recorded.take()).toEqual(['gap']);
    expect(feed.live).toBe(true);
    const { key } = await storedAccountWithKey();
    feed.sync?.();
    expect(recorded.take()).toEqual([
      [
        { kind: 'account', id: key.serviceAccountId },
        { kind: 'key', id: key.id },
      ],
    ]);
  });

  it('stop() ends delivery and leaves the host handle open', async () => {
    const handle = otherHandle();
    const { feed, recorded } = await startedFeed(handle, 5);
    await feed.stop();
    expect(feed.live).toBe(false);
    await storedAccountWithKey();
    await new Promise((resolve) => setTimeout(resolve, 30));
    feed.sync?.();
    expect(recorded.events).toEqual([]);
    expect(handle.open).toBe(true);
  });

  it('start() on a database without migration 0009 rejects STORAGE_SCHEMA; a bad pollIntervalMs is INVALID_CONFIG', async () => {
    const bare = new Database(':memory:');
    opened.push(bare);
    await expect(sqliteChangeFeed({ database: bare }).start(recorder().listener)).rejects.toMatchObject({
      code: 'STORAGE_SCHEMA',
    });
    for (const pollIntervalMs of [0, -1, 1.5, Number.NaN, 60_001]) {
      expect(() => sqliteChangeFeed({ database: bare, pollIntervalMs })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
    }
  });
});

/** A Kysely instance over an already open handle (the test closes the handle, not Kysely). */
function kyselyOn(handle: Database.Database): Kysely<KeywardDatabase> {
  return new Kysely<KeywardDatabase>({ dialect: new SqliteDialect({ database: handle }) });
}
