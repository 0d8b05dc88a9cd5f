/**
 * Two real processes per store share keys: this one (instance A) changes them, a child (instance
 * B) verifies with its default cache. B must never serve a revoked key from its cache once A's
 * revocation committed and reached it (PostgreSQL NOTIFY, Redis pub/sub) or, on SQLite, at all
 * after the commit; and after its listener's connection is killed, a revocation made during the
 * gap must be refused both during the gap (nothing cached is served) and after the reconnection
 * (everything cached was dropped).
 */
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, migrateToLatest } from '../../adapters/kysely/index.js';
import type { UserActor } from '../../src/index.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres, openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import {
  type FleetInstance,
  type FleetInstanceOptions,
  type FleetStore,
  openFleetInstance,
} from '../support/fleet-instance.js';
import { spawnLineChild } from '../support/line-child.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const admin: UserActor = { type: 'user', id: 'u_admin', tenantId: 't_fleet', permissions: ['*'] };
const LISTENER = 'keyward-fleet-b';

let bundle: WorkerBundle | undefined;
beforeAll(async () => {
  bundle = await bundleWorker(new URL('./fixtures/fleet-child.ts', import.meta.url));
}, 60_000);
afterAll(() => bundle?.remove());

/** Instance B, in a child process. */
interface ChildInstance {
  ask<T>(command: Record<string, unknown>): Promise<T>;
  verify(token: string): Promise<string>;
  stop(): Promise<void>;
}

async function startChild(store: FleetStore, options: FleetInstanceOptions): Promise<ChildInstance> {
  const child = spawnLineChild(
    (bundle as WorkerBundle).file,
    [JSON.stringify(store), JSON.stringify(options)],
    {
      cwd: ROOT,
      label: 'instance B',
    },
  );
  await child.line(); // started
  const ask = async <T>(command: Record<string, unknown>): Promise<T> => {
    child.send(JSON.stringify(command));
    return JSON.parse(await child.line()) as T;
  };
  return {
    ask,
    verify: async (token) => (await ask<{ code: string }>({ verify: token })).code,
    stop: () => child.stop(),
  };
}

/** Asks until `check` holds, at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** Two keys of one account, issued on instance A. */
async function twoKeys(a: FleetInstance): Promise<{ keyId: string; token: string }[]> {
  const { account } = await a.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_fleet',
    name: 'fleet',
    roles: ['viewer'],
  });
  const keys = [];
  for (const name of ['one', 'two']) {
    const issued = await a.kw.keys.issue(admin, { serviceAccountId: account.id, key: { name } });
    keys.push({ keyId: issued.key.id, token: issued.token });
  }
  return keys;
}

describe('a fleet over one SQLite file', () => {
  let dir: Awaited<ReturnType<typeof tempSqliteDirectory>>;
  let a: FleetInstance;
  let b: ChildInstance;

  beforeAll(async () => {
    dir = await tempSqliteDirectory();
    const migrating = openSqlite(dir.file('fleet.sqlite'));
    await migrateToLatest(migrating, { dialect: 'sqlite' });
    await migrating.destroy();
    const store: FleetStore = { kind: 'sqlite', path: dir.file('fleet.sqlite') };
    a = await openFleetInstance(store);
    b = await startChild(store, {});
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.close();
    await dir?.remove();
  });

  it('never serves a revoked key from the other instance cache after the commit, nor an unknown id once created', async () => {
    for (let round = 0; round < 10; round++) {
      const [key] = await twoKeys(a);
      if (key === undefined) throw new Error('no key');
      expect([await b.verify(key.token), await b.verify(key.token)]).toEqual(['ok', 'ok']);
      await a.kw.keys.revoke(admin, { keyId: key.keyId });
      expect(await b.verify(key.token)).toBe('key_revoked');
    }
  });
});

describe.skipIf(inject('databaseUrl') === null)('a fleet over one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let adminDb: Kysely<KeywardDatabase>;
  let a: FleetInstance;
  let b: ChildInstance;

  beforeAll(async () => {
    database = await createPostgresDatabase(inject('databaseUrl') as string, 'fleet_cache');
    adminDb = openPostgres(database.url, 2);
    await migrateToLatest(adminDb, { dialect: 'postgres' });
    const store: FleetStore = { kind: 'postgres', url: database.url };
    a = await openFleetInstance(store);
    // A slow reconnection holds the gap open long enough to revoke inside it.
    b = await startChild(store, { listenerName: LISTENER, reconnectMs: 1_500 });
    expect(await eventually(async () => (await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.close();
    await adminDb?.destroy();
    await database?.drop();
  });

  it('refuses a revoked key on the other instance within moments of the commit', async () => {
    for (let round = 0; round < 10; round++) {
      const [key] = await twoKeys(a);
      if (key === undefined) throw new Error('no key');
      expect([await b.verify(key.token), await b.verify(key.token)]).toEqual(['ok', 'ok']);
      await a.kw.keys.revoke(admin, { keyId: key.keyId });
      expect(await eventually(async () => (await b.verify(key.token)) === 'key_revoked')).toBe(true);
    }
  });

  it('never allows a key revoked while its listener was down: not during the gap, not after it', async () => {
    const [revoked, kept] = await twoKeys(a);
    if (revoked === undefined || kept === undefined) throw new Error('no keys');
    for (const key of [revoked, kept])
      expect([await b.verify(key.token), await b.verify(key.token)]).toEqual(['ok', 'ok']);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${LISTENER}`.execute(
      adminDb,
    );
    expect(await eventually(async () => !(await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
    // The listener is down (it waits 1.5 s to reconnect): no notice of this reaches B.
    await a.kw.keys.revoke(admin, { keyId: revoked.keyId });
    expect(await b.verify(revoked.token)).toBe('key_revoked');
    expect(await b.verify(kept.token)).toBe('ok');
    expect(await eventually(async () => (await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
    expect(await b.verify(revoked.token)).toBe('key_revoked');
    expect(await b.verify(kept.token)).toBe('ok');
  });
});

describe.skipIf(inject('databaseUrl') === null || inject('redisUrl') === null)(
  'a fleet over PostgreSQL hearing of changes through Redis',
  () => {
    let database: PostgresTestDatabase;
    let a: FleetInstance;
    let b: ChildInstance;
    let redis: Redis;

    beforeAll(async () => {
      database = await createPostgresDatabase(inject('databaseUrl') as string, 'fleet_redis');
      const migrating = openPostgres(database.url, 1);
      await migrateToLatest(migrating, { dialect: 'postgres' });
      await migrating.destroy();
      const store: FleetStore = {
        kind: 'postgres',
        url: database.url,
        redisUrl: inject('redisUrl') as string,
      };
      redis = new Redis(inject('redisUrl') as string);
      a = await openFleetInstance(store);
      b = await startChild(store, { listenerName: `${LISTENER}-${process.pid}`, reconnectMs: 1_500 });
      expect(await eventually(async () => (await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
    }, 60_000);
    afterAll(async () => {
      await b?.stop();
      await a?.close();
      redis?.disconnect();
      await database?.drop();
    });

    it('refuses a revoked key on the other instance, and never allows one revoked while its subscriber was down', async () => {
      const [revoked, kept, third] = [...(await twoKeys(a)), ...(await twoKeys(a))];
      if (revoked === undefined || kept === undefined || third === undefined) throw new Error('no keys');
      expect([await b.verify(third.token), await b.verify(third.token)]).toEqual(['ok', 'ok']);
      await a.kw.keys.revoke(admin, { keyId: third.keyId });
      expect(await eventually(async () => (await b.verify(third.token)) === 'key_revoked')).toBe(true);

      for (const key of [revoked, kept])
        expect([await b.verify(key.token), await b.verify(key.token)]).toEqual(['ok', 'ok']);
      const clients = String(await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const ids = clients
        .split('\n')
        .filter((line) => line.includes(`name=${LISTENER}-${process.pid}`))
        .map((line) => /id=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => id !== undefined);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) await redis.call('CLIENT', 'KILL', 'ID', id);
      expect(await eventually(async () => !(await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
      await a.kw.keys.revoke(admin, { keyId: revoked.keyId });
      expect(await b.verify(revoked.token)).toBe('key_revoked');
      expect(await eventually(async () => (await b.ask<{ live: boolean }>({ live: true })).live)).toBe(true);
      expect(await b.verify(revoked.token)).toBe('key_revoked');
      expect(await b.verify(kept.token)).toBe('ok');
    });
  },
);
