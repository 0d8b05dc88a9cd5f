/**
 * Two keyward instances in one process whose `sqliteChangeFeed` reads the same better-sqlite3
 * handle their Kysely instance writes through (the handle docs/fleet.md shows in its SQLite
 * example). A commit on a handle does not move its own `data_version`, so the feeds of one handle
 * tell each other: a revocation committed by instance A stops the key on instance B at once, as
 * the memory adapter and every other feed do.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import {
  type KeywardDatabase,
  kyselyAdapter,
  migrateToLatest,
  sqliteChangeFeed,
  sqliteStatementCache,
} from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward } from '../../src/index.js';
import { tempSqliteDirectory } from '../setup/sql-databases.js';
import { admin, dataset } from '../support/keyward-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

it('a key revoked through one instance is refused at once by another instance on the same SQLite handle', async () => {
  const dir = await tempSqliteDirectory();
  const sqlite = new Database(dir.file('keyward.db'), { timeout: 5 });
  sqlite.pragma('journal_mode = WAL');
  const db = new Kysely<KeywardDatabase>({
    dialect: new SqliteDialect({ database: sqliteStatementCache(sqlite) }),
  });
  await migrateToLatest(db);
  const open = (): Keyward =>
    createKeyward({
      storage: kyselyAdapter(db, { dialect: 'sqlite' }),
      tokenPrefix: 'acme',
      changes: sqliteChangeFeed({ database: sqlite }),
    });
  const a = open();
  const b = open();
  cleanups.push(async () => {
    await a.close();
    await b.close();
    await db.destroy();
    await dir.remove();
  });

  const { key } = await a.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles: ['analyst'],
    firstKey: { name: 'first' },
  });
  const token = key?.token as string;
  const request = { action: 'datasets:read', resource: dataset('d_1') } as const;
  expect((await b.verify(token, request)).ok).toBe(true); // B caches the key

  await a.keys.revoke(admin, { keyId: key?.key.id as string });

  expect(await a.verify(token, request)).toMatchObject({ ok: false, code: 'key_revoked' });
  expect(await b.verify(token, request)).toMatchObject({ ok: false, code: 'key_revoked' });
});
