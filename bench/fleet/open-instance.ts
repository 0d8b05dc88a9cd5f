import Database from 'better-sqlite3';
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
import { createKeyward, type Keyward } from '../../src/index.js';

/** Where the instances of the fleet bench keep their data: one SQLite file, or one PostgreSQL database. */
export type FleetStore =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The token prefix of the fleet bench. */
export const FLEET_PREFIX = 'fleet';

/**
 * One keyward instance of the fleet, as an app server would open it: its own connection(s) to the
 * shared store, the store's change feed, and the default cache.
 */
export async function openInstance(store: FleetStore): Promise<{ kw: Keyward; close(): Promise<void> }> {
  if (store.kind === 'sqlite') {
    const database = new Database(store.path, { timeout: 5 });
    database.pragma('journal_mode = WAL');
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: sqliteStatementCache(database) }),
    });
    const kw = createKeyward({
      storage: kyselyAdapter(db, { dialect: 'sqlite' }),
      tokenPrefix: FLEET_PREFIX,
      hasher: nodeHasher,
      maxKeysPerAccount: 100,
      changes: sqliteChangeFeed({ database }),
    });
    return {
      kw,
      async close() {
        await kw.close();
        await db.destroy();
      },
    };
  }
  const pool = postgresPreparedStatements(new pg.Pool({ connectionString: store.url, max: 8 }));
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const kw = createKeyward({
    storage: kyselyAdapter(db, { dialect: 'postgres' }),
    tokenPrefix: FLEET_PREFIX,
    hasher: nodeHasher,
    maxKeysPerAccount: 100,
    changes: postgresChangeFeed({ connect: () => new pg.Client({ connectionString: store.url }) }),
  });
  return {
    kw,
    async close() {
      await kw.close();
      await db.destroy();
    },
  };
}

/** Wall-clock time with sub-millisecond resolution, comparable between processes of one machine. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}
