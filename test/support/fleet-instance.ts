import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  kyselyAdapter,
  postgresChangeFeed,
  postgresPreparedStatements,
  sqliteChangeFeed,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';
import { nodeHasher } from '../../adapters/node/index.js';
import { redisChangeFeed } from '../../adapters/redis/index.js';
import { createKeyward, type Keyward } from '../../src/index.js';
import type { ChangeFeed } from '../../src/storage/change-feed.js';

/**
 * Where the instances of a fleet keep their data (one SQLite file, or one PostgreSQL database), and
 * how they hear of each other's changes: the store's own feed, or Redis pub/sub.
 */
export type FleetStore =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly redisUrl?: string | undefined };

/** Options of one instance. */
export interface FleetInstanceOptions {
  /** `application_name` of its PostgreSQL listener (so a test can kill that connection). */
  readonly listenerName?: string | undefined;
  /** The first reconnection wait of its listener or subscriber, ms (tests hold a gap open with it). */
  readonly reconnectMs?: number | undefined;
}

/** One keyward instance of a fleet, as an app server opens it. */
export interface FleetInstance {
  readonly kw: Keyward;
  readonly feed: ChangeFeed;
  close(): Promise<void>;
}

/** The token prefix of fleet instances. */
export const FLEET_PREFIX = 'fleet';

/**
 * Opens one instance over the shared store: its own connections, the store's change feed (or
 * Redis's), and the default cache.
 */
export async function openFleetInstance(
  store: FleetStore,
  options: FleetInstanceOptions = {},
): Promise<FleetInstance> {
  const common = { tokenPrefix: FLEET_PREFIX, hasher: nodeHasher, maxKeysPerAccount: 100 } as const;
  if (store.kind === 'sqlite') {
    const database = new Database(store.path, { timeout: 5 });
    database.pragma('journal_mode = WAL');
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: sqliteStatementCache(database) }),
    });
    const feed = sqliteChangeFeed({ database });
    const kw = createKeyward({ ...common, storage: kyselyAdapter(db, { dialect: 'sqlite' }), changes: feed });
    return {
      kw,
      feed,
      async close() {
        await kw.close();
        await db.destroy();
      },
    };
  }
  const pool = postgresPreparedStatements(new pg.Pool({ connectionString: store.url, max: 8 }));
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const redis =
    store.redisUrl === undefined
      ? undefined
      : new Redis(store.redisUrl, {
          retryStrategy: () => options.reconnectMs ?? 50,
          connectionName: options.listenerName,
        });
  const feed =
    redis === undefined
      ? postgresChangeFeed({
          connect: () =>
            new pg.Client({ connectionString: store.url, application_name: options.listenerName }),
          reconnect:
            options.reconnectMs === undefined
              ? undefined
              : { initialMs: options.reconnectMs, maxMs: options.reconnectMs },
        })
      : redisChangeFeed({ client: redis });
  const kw = createKeyward({ ...common, storage: kyselyAdapter(db, { dialect: 'postgres' }), changes: feed });
  return {
    kw,
    feed,
    async close() {
      await kw.close();
      await db.destroy();
      redis?.disconnect();
    },
  };
}
