import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { toStorageError } from '../../adapters/kysely/storage-error.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { buildServiceAccount } from '../../src/testing/index.js';
import { openPostgres, openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { postgresTarget, type SqlDatabase } from './fixtures/sql-targets.js';

/** Words that would mean SQL or a bound value leaked into an error message. */
const LEAK = /select|insert|update|delete|from |where|keyward_|sa_|tenant-/i;

async function failureOf(promise: Promise<unknown>): Promise<KeywardError> {
  const outcome = await promise.then(
    () => new Error('expected a failure'),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(KeywardError);
  const error = outcome as KeywardError;
  expect(error.message).not.toMatch(LEAK);
  return error;
}

function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 1));
    });
  });
}

describe('SQLite driver errors surface as KeywardError', () => {
  it('a database locked past the busy timeout is STORAGE_UNAVAILABLE (SQLITE_BUSY), driver error kept as cause', async () => {
    const dir = await tempSqliteDirectory();
    const file = dir.file('busy.db');
    const db = openSqlite(file, { busyTimeoutMs: 50 });
    const holder = new Database(file);
    try {
      await migrateToLatest(db);
      holder.exec('begin immediate');
      const error = await failureOf(
        kyselyAdapter(db, { dialect: 'sqlite', busyTimeoutMs: 50 }).insertServiceAccount({
          account: buildServiceAccount(),
        }),
      );
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.details).toEqual({ driverCode: 'SQLITE_BUSY' });
      expect((error.cause as { code?: string }).code).toBe('SQLITE_BUSY');
    } finally {
      holder.exec('rollback');
      holder.close();
      await db.destroy();
      await dir.remove();
    }
  });

  it('a path SQLite cannot open as a database is STORAGE_UNAVAILABLE (SQLITE_CANTOPEN)', async () => {
    const dir = await tempSqliteDirectory();
    // A directory where the file should be: the host's lazy factory fails on first use.
    const db = new Kysely<KeywardDatabase>({
      dialect: new SqliteDialect({ database: async () => new Database(dir.file('')) }),
    });
    try {
      const error = await failureOf(
        kyselyAdapter(db, { dialect: 'sqlite' }).findKeyForVerification({ keyId: 'a'.repeat(16) }),
      );
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.details).toEqual({ driverCode: 'SQLITE_CANTOPEN' });
    } finally {
      await dir.remove();
    }
  });

  it('a closed database is STORAGE_UNAVAILABLE', async () => {
    const db = openSqlite(':memory:');
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: 'sqlite' });
    await db.destroy();
    const error = await failureOf(storage.listServiceAccounts({ tenantId: 'tenant-1', limit: 10 }));
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
  });

  it('missing tables (migrations not run) are STORAGE_UNAVAILABLE without the SQL in the message', async () => {
    const db = openSqlite(':memory:');
    try {
      const error = await failureOf(
        kyselyAdapter(db, { dialect: 'sqlite' }).findKey({ tenantId: 't', keyId: 'k' }),
      );
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(String((error.cause as Error).message)).toMatch(/no such table/);
    } finally {
      await db.destroy();
    }
  });

  it('a raw primary-key violation from better-sqlite3 maps to CONFLICT', async () => {
    const db = new Database(':memory:');
    db.exec('create table t (id text primary key)');
    db.exec("insert into t values ('x')");
    let raw: unknown;
    try {
      db.exec("insert into t values ('x')");
    } catch (error) {
      raw = error;
    }
    db.close();
    expect(toStorageError(raw).code).toBe('CONFLICT');
    expect(toStorageError(raw).details).toEqual({ driverCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  });
});

describe('PostgreSQL driver errors surface as KeywardError', () => {
  it('a refused connection is STORAGE_UNAVAILABLE (ECONNREFUSED), for queries and migrations alike', async () => {
    const port = await closedLoopbackPort();
    const db = openPostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, 1);
    try {
      const storage = kyselyAdapter(db, { dialect: 'postgres' });
      const read = await failureOf(storage.findKeyForVerification({ keyId: 'a'.repeat(16) }));
      expect(read.code).toBe('STORAGE_UNAVAILABLE');
      expect(read.message).toBe('Storage is unavailable');
      expect(read.details).toEqual({ driverCode: 'ECONNREFUSED' });
      const inTransaction = await failureOf(
        storage.transaction(async (tx) => tx.findKey({ tenantId: 't', keyId: 'k' })),
      );
      expect(inTransaction.code).toBe('STORAGE_UNAVAILABLE');
      const migration = await failureOf(migrateToLatest(db, { dialect: 'postgres' }));
      expect(migration.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      await db.destroy();
    }
  });

  const adminUrl = inject('databaseUrl');
  describe.runIf(adminUrl !== null)('against the server', () => {
    let database: SqlDatabase;
    let db: Kysely<KeywardDatabase>;
    beforeAll(async () => {
      database = await postgresTarget(adminUrl as string).create('errors');
      db = database.connect(2);
      await migrateToLatest(db);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    it('a raw unique violation (23505) maps to CONFLICT, without SQL or values in the message', async () => {
      const account = buildServiceAccount();
      await kyselyAdapter(db, { dialect: 'postgres' }).insertServiceAccount({ account });
      const raw =
        await sql`insert into keyward_service_accounts select * from keyward_service_accounts where id = ${account.id}`
          .execute(db)
          .then(
            () => null,
            (error: unknown) => error,
          );
      const mapped = toStorageError(raw);
      expect(mapped.code).toBe('CONFLICT');
      expect(mapped.details).toEqual({ driverCode: '23505' });
      expect(mapped.message).not.toMatch(LEAK);
      expect(mapped.cause).toBe(raw);
    });

    it('a duplicate id through the adapter is CONFLICT and leaves the open transaction usable', async () => {
      const account = buildServiceAccount();
      const storage = kyselyAdapter(db, { dialect: 'postgres' });
      await storage.insertServiceAccount({ account });
      const other = buildServiceAccount({ tenantId: account.tenantId });
      await storage.transaction(async (tx) => {
        await expect(tx.insertServiceAccount({ account })).rejects.toMatchObject({ code: 'CONFLICT' });
        await tx.insertServiceAccount({ account: other });
      });
      expect(await storage.findServiceAccount(other)).toEqual(other);
    });
  });
});

describe('adapter configuration', () => {
  it('a dialect that contradicts the Kysely instance is INVALID_CONFIG at construction', async () => {
    const db = openSqlite(':memory:');
    try {
      expect(() => kyselyAdapter(db, { dialect: 'postgres' })).toThrow(
        expect.objectContaining({
          code: 'INVALID_CONFIG',
          message: 'The Kysely instance is sqlite, not postgres',
        }),
      );
      expect(() => kyselyAdapter(db, { dialect: 'mysql' as never })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG' }),
      );
      expect(kyselyAdapter(db, { dialect: 'sqlite' }).name).toBe('sqlite');
    } finally {
      await db.destroy();
    }
  });

  it('migrations read the dialect from the instance when none is given', async () => {
    const db = openSqlite(':memory:');
    try {
      expect((await migrateToLatest(db)).map((result) => result.status)).toEqual([
        'Success',
        'Success',
        'Success',
        'Success',
      ]);
    } finally {
      await db.destroy();
    }
  });
});
