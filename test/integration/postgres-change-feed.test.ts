import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type KeywardDatabase,
  kyselyAdapter,
  type ListeningPostgresClient,
  migrateToLatest,
  postgresChangeFeed,
} from '../../adapters/kysely/index.js';
import { CLIENT_END_TIMEOUT_MS } from '../../adapters/kysely/postgres-change-feed.js';
import type { ChangeFeed } from '../../src/storage/change-feed.js';
import type { StorageAdapter } from '../../src/storage/storage-adapter.js';
import { buildApiKeyFor, buildServiceAccount } from '../../src/testing/fixtures.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';
import { type ChangeFeedRecorder, recordChangeFeed } from '../support/change-feed-recorder.js';

const adminUrl = inject('databaseUrl');
const NOW = new Date('2025-03-14T15:09:26.535Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The clients a feed asked for, and a way to make the next ones fail or wait. */
interface ClientFactory {
  readonly connect: () => Promise<ListeningPostgresClient>;
  readonly clients: pg.Client[];
  /** The next `count` clients point at a database that does not exist (connecting fails). */
  failNext(count: number): void;
  /** The next client is handed out only once `release()` is called. */
  holdNext(): { release(): void };
}

function clientFactory(url: string): ClientFactory {
  const clients: pg.Client[] = [];
  let failing = 0;
  let hold: Promise<void> | undefined;
  const missing = new URL(url);
  missing.pathname = '/kw_no_such_database';
  return {
    clients,
    async connect() {
      if (hold !== undefined) {
        const waiting = hold;
        hold = undefined;
        await waiting;
      }
      const target = failing > 0 ? missing.toString() : url;
      failing = Math.max(0, failing - 1);
      const client = new pg.Client({ connectionString: target });
      clients.push(client);
      return client;
    },
    failNext(count) {
      failing = count;
    },
    holdNext() {
      let release = () => {};
      hold = new Promise((resolve) => {
        release = resolve;
      });
      return { release: () => release() };
    },
  };
}

// Skipped only when the global setup found no PostgreSQL (it warns loudly; CI makes that fatal).
describe.runIf(adminUrl !== null)('postgresChangeFeed', () => {
  let database: PostgresTestDatabase | undefined;
  let db: Kysely<KeywardDatabase>;
  let storage: StorageAdapter;
  const feeds: ChangeFeed[] = [];

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'change_feed');
    db = openPostgres(database.url, 4);
    await migrateToLatest(db);
    storage = kyselyAdapter(db, { dialect: 'postgres' });
  });
  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  async function startFeed(
    factory = clientFactory((database as PostgresTestDatabase).url),
    heartbeatMs?: number,
  ): Promise<{ feed: ChangeFeed; seen: ChangeFeedRecorder; factory: ClientFactory }> {
    const feed = postgresChangeFeed({
      connect: factory.connect,
      reconnect: { initialMs: 20, maxMs: 200 },
      ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    });
    feeds.push(feed);
    const seen = recordChangeFeed(() => feed);
    await feed.start(seen);
    return { feed, seen, factory };
  }

  async function storedKey() {
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    const key = buildApiKeyFor(account);
    await storage.insertKeyIfUnderLimit({ key, limit: 10, now: NOW });
    return { account, key };
  }

  /** Ends the feed's connection from the server side, as a failover or an admin would. */
  async function terminate(client: pg.Client): Promise<void> {
    const pid = (client as unknown as { processID: number }).processID;
    const result = await sql<{ ended: boolean }>`select pg_terminate_backend(${pid}) as ended`.execute(db);
    expect(result.rows[0]?.ended).toBe(true);
  }

  it('is live once started and delivers committed changes, those of one commit in one batch', async () => {
    const { feed, seen } = await startFeed();
    expect(feed.live).toBe(true);
    expect(feed.name).toBe('postgres');
    const { account, key } = await storedKey();
    await seen.until(() => seen.changes().some((change) => change.id === key.id), 'the new key');
    expect(seen.changes()).toEqual([
      { kind: 'account', id: account.id },
      { kind: 'key', id: key.id },
    ]);
    const before = seen.events.length;
    await storage.transaction(async (tx) => {
      await tx.updateKey({ key: { ...key, name: 'renamed' } });
      await tx.updateServiceAccount({
        account: { ...account, name: 'renamed', version: 2 },
        expectedVersion: 1,
      });
    });
    await seen.until(() => seen.events.length > before, 'the transaction');
    await sleep(20);
    expect(seen.events.slice(before)).toEqual([
      {
        type: 'changed',
        changes: [
          { kind: 'key', id: key.id },
          { kind: 'account', id: account.id },
        ],
        at: expect.any(Number),
      },
    ]);
    expect(seen.events.some((event) => event.type === 'gap')).toBe(false);
  });

  it('a payload it cannot read is a gap (never trusted), and the feed stays live', async () => {
    const { feed, seen } = await startFeed();
    await sql`select pg_notify('keyward_changes', 'x:unknown')`.execute(db);
    await seen.until(() => seen.events.length === 1, 'the gap');
    expect(seen.events[0]).toMatchObject({ type: 'gap', live: true });
    expect(feed.live).toBe(true);
  });

  it('a terminated connection: not live, gap, reconnect, gap again, live, and later changes arrive', async () => {
    const { feed, seen, factory } = await startFeed();
    await terminate(factory.clients[0] as pg.Client);
    await seen.until(() => seen.events.length >= 1, 'the first gap');
    expect(seen.events[0]).toMatchObject({ type: 'gap', live: false });
    await seen.until(() => feed.live, 'live again');
    expect(seen.events.map((event) => event.type)).toEqual(['gap', 'gap']);
    expect(seen.events[1]).toMatchObject({ type: 'gap', live: false }); // before live turned true
    expect(factory.clients).toHaveLength(2);
    const { key } = await storedKey();
    await seen.until(
      () => seen.changes().some((change) => change.id === key.id),
      'a change after reconnecting',
    );
  });

  it('a change committed during the outage is covered by the gap that precedes live', async () => {
    const { feed, seen, factory } = await startFeed();
    const { key } = await storedKey();
    await seen.until(() => seen.changes().some((change) => change.id === key.id), 'the key');
    const held = factory.holdNext();
    await terminate(factory.clients[0] as pg.Client);
    await seen.until(() => seen.events.filter((event) => event.type === 'gap').length === 1, 'the first gap');
    await storage.updateKey({ key: { ...key, status: 'revoked', revokedAt: NOW } }); // nobody listens now
    const revokedAt = performance.now();
    expect(feed.live).toBe(false);
    held.release();
    await seen.until(() => feed.live, 'live again');
    const gaps = seen.events.filter((event) => event.type === 'gap');
    expect(gaps).toHaveLength(2);
    expect(gaps[1]?.at).toBeGreaterThan(revokedAt);
  });

  it('reconnects with backoff while connecting fails, then goes live after one more gap', async () => {
    const { feed, seen, factory } = await startFeed();
    factory.failNext(3);
    await terminate(factory.clients[0] as pg.Client);
    await seen.until(() => !feed.live, 'not live');
    await seen.until(() => feed.live, 'live again', 10_000);
    expect(factory.clients).toHaveLength(5); // the first, three refused, the one that listens
    expect(seen.events.map((event) => event.type)).toEqual(['gap', 'gap']);
  });

  it('a connection that stops answering its heartbeat counts as lost', async () => {
    const url = (database as PostgresTestDatabase).url;
    let frozen = false;
    const real = clientFactory(url);
    const freezing: ClientFactory = {
      ...real,
      async connect() {
        const client = (await real.connect()) as pg.Client;
        const query = client.query.bind(client) as (text: string) => Promise<unknown>;
        // A network that drops packets silently: the heartbeat is never answered.
        return Object.assign(client, {
          query: (text: string) => (frozen && text === 'select 1' ? new Promise(() => {}) : query(text)),
        }) as ListeningPostgresClient;
      },
    };
    const { feed, seen } = await startFeed(freezing, 100);
    frozen = true;
    await seen.until(() => seen.events.length >= 1, 'the first gap', 2_000);
    expect(seen.events[0]).toMatchObject({ type: 'gap', live: false });
    frozen = false;
    await seen.until(() => feed.live, 'live again');
    expect(real.clients).toHaveLength(2);
  });

  it('stop() ends its connection and never reconnects', async () => {
    const { feed, factory } = await startFeed();
    const client = factory.clients[0] as pg.Client;
    const pid = (client as unknown as { processID: number }).processID;
    await feed.stop();
    expect(feed.live).toBe(false);
    const rows = await sql<{
      n: string;
    }>`select count(*) as n from pg_stat_activity where pid = ${pid}`.execute(db);
    expect(Number(rows.rows[0]?.n)).toBe(0);
    await sleep(150);
    expect(factory.clients).toHaveLength(1);
  });

  it('stop() during an outage stops the reconnection attempts', async () => {
    const { feed, seen, factory } = await startFeed();
    factory.failNext(1_000);
    await terminate(factory.clients[0] as pg.Client);
    await seen.until(() => factory.clients.length >= 3, 'two failed attempts');
    await feed.stop();
    const attempts = factory.clients.length;
    await sleep(400);
    expect(factory.clients.length).toBe(attempts);
    expect(feed.live).toBe(false);
  });

  it('stop() while a reconnection is connecting returns at once (pg never settles that connect)', async () => {
    const real = clientFactory((database as PostgresTestDatabase).url);
    let stopping: Promise<void> | undefined;
    let feed: ChangeFeed | undefined;
    let created = 0;
    const factory: ClientFactory = {
      ...real,
      async connect() {
        const client = (await real.connect()) as pg.Client;
        created += 1;
        if (created === 2) {
          // The reconnection's client: stop the feed just after its connect() went out.
          const connect = client.connect.bind(client);
          client.connect = (() => {
            const connecting = connect();
            stopping = feed?.stop();
            return connecting;
          }) as pg.Client['connect'];
        }
        return client;
      },
    };
    const started = await startFeed(factory);
    feed = started.feed;
    await terminate(factory.clients[0] as pg.Client);
    await started.seen.until(() => stopping !== undefined, 'the reconnection connecting');
    const before = performance.now();
    await stopping;
    expect(performance.now() - before).toBeLessThan(1_000);
    expect(feed.live).toBe(false);
  });

  it("stop() returns even when a client's end() never settles (pg, after a failed connect)", async () => {
    const real = clientFactory((database as PostgresTestDatabase).url);
    const factory: ClientFactory = {
      ...real,
      async connect() {
        const client = (await real.connect()) as pg.Client;
        const end = client.end.bind(client);
        // The connection closes, but the promise end() returns never settles.
        client.end = (() => {
          void end();
          return new Promise<void>(() => {});
        }) as pg.Client['end'];
        return client;
      },
    };
    const { feed } = await startFeed(factory);
    const started = performance.now();
    await feed.stop();
    expect(performance.now() - started).toBeLessThan(CLIENT_END_TIMEOUT_MS + 1_000);
    expect(feed.live).toBe(false);
  });

  it('start() rejects STORAGE_UNAVAILABLE, without the connection settings, when it cannot listen', async () => {
    const url = new URL((database as PostgresTestDatabase).url);
    url.password = 'not-the-password-s3cr3t';
    url.pathname = '/kw_no_such_database';
    const feed = postgresChangeFeed({ connect: () => new pg.Client({ connectionString: url.toString() }) });
    const failure = await feed.start(recordChangeFeed(() => feed)).then(
      () => undefined,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('STORAGE_UNAVAILABLE');
    expect(failure?.message).not.toContain('s3cr3t');
    expect(failure?.message).not.toContain(url.hostname === 'localhost' ? url.toString() : url.hostname);
    expect(feed.live).toBe(false);
  });

  it('one listener per feed: a second start() rejects INVALID_CONFIG', async () => {
    const { feed, seen } = await startFeed();
    await expect(feed.start(seen)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(feed.live).toBe(true);
  });
});
