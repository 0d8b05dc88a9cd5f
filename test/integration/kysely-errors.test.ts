import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { keywardMigrations } from '../../adapters/kysely/migrations/index.js';
import { toStorageError } from '../../adapters/kysely/storage-error.js';
import { KeywardError } from '../../src/errors/keyward-error.js';
import { errorResponse } from '../../src/http/error-response.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount } from '../../src/testing/index.js';
import { openPostgres, openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { describeEachSqlTarget, postgresTarget, type SqlDatabase } from './fixtures/sql-targets.js';

/** Words that would mean SQL or a bound value leaked into an error message. */
const LEAK = /select|insert|update|delete|from |where|keyward_|sa_|tenant-/i;

const SCHEMA_MESSAGE = "keyward's tables are missing or outdated: run migrateToLatest";

/** What `action` throws (synchronously); fails the test when it does not throw. */
function rawFailure(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the driver to throw');
}

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

  it('a handle closed under Kysely (better-sqlite3 "not open" TypeError) is "Storage is unavailable"', async () => {
    const handle = new Database(':memory:');
    const db = new Kysely<KeywardDatabase>({ dialect: new SqliteDialect({ database: handle }) });
    await migrateToLatest(db);
    handle.close();
    const error = await failureOf(
      kyselyAdapter(db, { dialect: 'sqlite' }).findKey({ tenantId: 't', keyId: 'k' }),
    );
    expect([error.code, error.message, error.details]).toEqual([
      'STORAGE_UNAVAILABLE',
      'Storage is unavailable',
      {},
    ]);
    expect((error.cause as Error).message).toBe('The database connection is not open');
  });

  it('a statement cached before its table was dropped is STORAGE_SCHEMA', async () => {
    const db = openSqlite(':memory:', { statementCache: true });
    try {
      await migrateToLatest(db);
      const storage = kyselyAdapter(db, { dialect: 'sqlite' });
      await storage.findKey({ tenantId: 't', keyId: 'k' });
      await sql`drop table keyward_api_keys`.execute(db);
      const error = await failureOf(storage.findKey({ tenantId: 't', keyId: 'k' }));
      expect([error.code, error.message]).toEqual(['STORAGE_SCHEMA', SCHEMA_MESSAGE]);
    } finally {
      await db.destroy();
    }
  });

  it('other SQLITE_ERRORs (a syntax error, a nested BEGIN) are not STORAGE_SCHEMA', () => {
    const db = new Database(':memory:');
    const raw = [rawFailure(() => db.exec('selec 1')), rawFailure(() => db.exec('begin; begin'))];
    db.close();
    for (const error of raw) {
      expect((error as { code?: string }).code).toBe('SQLITE_ERROR');
      expect([toStorageError(error).code, toStorageError(error).message]).toEqual([
        'STORAGE_UNAVAILABLE',
        'Storage operation failed',
      ]);
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

    it('a pg pool ended behind Kysely\'s back (pg-pool\'s codeless error) is "Storage is unavailable"', async () => {
      const pool = new pg.Pool({ connectionString: database.location, max: 1 });
      const ended = new Kysely<KeywardDatabase>({ dialect: new PostgresDialect({ pool }) });
      await pool.end();
      const error = await failureOf(
        kyselyAdapter(ended, { dialect: 'postgres' }).findKey({ tenantId: 't', keyId: 'k' }),
      );
      expect([error.code, error.message]).toEqual(['STORAGE_UNAVAILABLE', 'Storage is unavailable']);
      expect((error.cause as Error).message).toBe('Cannot use a pool after calling end on the pool');
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

describeEachSqlTarget('missing or outdated tables are STORAGE_SCHEMA, not an outage', (target) => {
  let database: SqlDatabase;
  beforeEach(async () => {
    database = await target.create('schema');
  });
  afterEach(async () => {
    await database.dispose();
  });

  it('without migrations, reads, writes and transactions say to run migrateToLatest', async () => {
    const storage = kyselyAdapter(database.connect(), { dialect: target.dialect });
    const failures = [
      await failureOf(storage.findKeyForVerification({ keyId: 'a'.repeat(16) })),
      await failureOf(storage.listServiceAccounts({ tenantId: 't', limit: 10 })),
      await failureOf(storage.insertServiceAccount({ account: buildServiceAccount() })),
      await failureOf(storage.transaction((tx) => tx.lockServiceAccount({ tenantId: 't', id: 'sa' }))),
    ];
    const undefinedTable = target.dialect === 'postgres' ? '42P01' : 'SQLITE_ERROR';
    for (const error of failures) {
      expect([error.code, error.message, error.details]).toEqual([
        'STORAGE_SCHEMA',
        SCHEMA_MESSAGE,
        { driverCode: undefinedTable },
      ]);
    }
  });

  it('a keyward table dropped after migrating is STORAGE_SCHEMA', async () => {
    const db = database.connect();
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    await sql`drop table keyward_audit_events`.execute(db);
    const read = await failureOf(storage.listAuditEvents({ tenantId: 't', limit: 10 }));
    const write = await failureOf(storage.insertAuditEvent({ event: buildAuditEvent() }));
    for (const error of [read, write])
      expect([error.code, error.message]).toEqual(['STORAGE_SCHEMA', SCHEMA_MESSAGE]);
    // The other tables still answer.
    expect(await storage.listServiceAccounts({ tenantId: 't', limit: 10 })).toEqual([]);
  });

  it('a keyward column dropped after migrating is STORAGE_SCHEMA', async () => {
    const db = database.connect();
    await migrateToLatest(db);
    const storage = kyselyAdapter(db, { dialect: target.dialect });
    const account = buildServiceAccount();
    await storage.insertServiceAccount({ account });
    // Not an indexed column: SQLite refuses to drop those.
    await sql`alter table keyward_api_keys drop column pepper_id`.execute(db);
    const error = await failureOf(
      storage.insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 10, now: new Date() }),
    );
    const undefinedColumn = target.dialect === 'postgres' ? '42703' : 'SQLITE_ERROR';
    expect([error.code, error.message, error.details]).toEqual([
      'STORAGE_SCHEMA',
      SCHEMA_MESSAGE,
      { driverCode: undefinedColumn },
    ]);
  });

  it('over HTTP, STORAGE_SCHEMA is a 500 that tells the caller nothing about the tables', async () => {
    const storage = kyselyAdapter(database.connect(), { dialect: target.dialect });
    const response = errorResponse(await failureOf(storage.listServiceAccounts({ tenantId: 't', limit: 1 })));
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({
      status: 500,
      code: 'internal_error',
      detail: 'An unexpected error occurred.',
    });
  });
});

describe('driver errors are classified by code; a message decides only when the driver gives no code', () => {
  const unavailable = ['STORAGE_UNAVAILABLE', 'Storage is unavailable'];
  const failed = ['STORAGE_UNAVAILABLE', 'Storage operation failed'];
  const schema = ['STORAGE_SCHEMA', SCHEMA_MESSAGE];
  const conflict = ['CONFLICT', 'Storage rejected a conflicting write'];
  const coded = (code: string, message = 'driver words') => Object.assign(new Error(message), { code });
  const cases: ReadonlyArray<readonly [string, unknown, readonly string[]]> = [
    ['SQLite extended I/O code SQLITE_IOERR_SHORT_READ', coded('SQLITE_IOERR_SHORT_READ'), unavailable],
    ['SQLITE_BUSY_SNAPSHOT', coded('SQLITE_BUSY_SNAPSHOT'), unavailable],
    ['SQLITE_LOCKED_SHAREDCACHE', coded('SQLITE_LOCKED_SHAREDCACHE'), unavailable],
    ['SQLITE_READONLY_DBMOVED', coded('SQLITE_READONLY_DBMOVED'), unavailable],
    ['SQLITE_CANTOPEN_ISDIR', coded('SQLITE_CANTOPEN_ISDIR'), unavailable],
    ['SQLITE_FULL', coded('SQLITE_FULL'), unavailable],
    ['SQLITE_CONSTRAINT_UNIQUE', coded('SQLITE_CONSTRAINT_UNIQUE'), conflict],
    ['SQLITE_CONSTRAINT_NOTNULL (a bug, not a race)', coded('SQLITE_CONSTRAINT_NOTNULL'), failed],
    ['SQLITE_CORRUPT', coded('SQLITE_CORRUPT'), failed],
    ['SQLITE_ERROR "no such table"', coded('SQLITE_ERROR', 'no such table: keyward_api_keys'), schema],
    ['SQLITE_ERROR "no such column"', coded('SQLITE_ERROR', 'no such column: last_used_at'), schema],
    [
      'SQLITE_ERROR "has no column named"',
      coded('SQLITE_ERROR', 'table keyward_api_keys has no column named last_used_at'),
      schema,
    ],
    ['SQLITE_ERROR syntax error', coded('SQLITE_ERROR', 'near "selec": syntax error'), failed],
    ['"no such table" without SQLITE_ERROR', new Error('no such table: keyward_api_keys'), failed],
    ['PostgreSQL 42P01 undefined_table', coded('42P01'), schema],
    ['PostgreSQL 42703 undefined_column', coded('42703'), schema],
    ['PostgreSQL 40001 serialization_failure', coded('40001'), conflict],
    ['PostgreSQL 40P01 deadlock_detected', coded('40P01'), conflict],
    ['PostgreSQL 08006 connection_failure', coded('08006'), unavailable],
    ['PostgreSQL 57P01 admin_shutdown', coded('57P01'), unavailable],
    ['PostgreSQL 53300 too_many_connections', coded('53300'), unavailable],
    ['PostgreSQL 25P03 idle_in_transaction_session_timeout', coded('25P03'), unavailable],
    ['PostgreSQL 57014 query_canceled (the session lives on)', coded('57014'), failed],
    ['PostgreSQL 42601 syntax_error', coded('42601'), failed],
    ['Node ECONNRESET', coded('ECONNRESET'), unavailable],
    ['Node EAI_AGAIN', coded('EAI_AGAIN'), unavailable],
    ['pg "Connection terminated unexpectedly"', new Error('Connection terminated unexpectedly'), unavailable],
    [
      'pg "Client was closed and is not queryable"',
      new Error('Client was closed and is not queryable'),
      unavailable,
    ],
    ['pg "Query read timeout" (query_timeout)', new Error('Query read timeout'), unavailable],
    [
      'pg-pool "timeout exceeded when trying to connect"',
      new Error('timeout exceeded when trying to connect'),
      unavailable,
    ],
    [
      'Kysely "driver has already been destroyed"',
      new Error('driver has already been destroyed'),
      unavailable,
    ],
    [
      'a codeless wrapper, by its cause',
      new Error('PostgreSQL connection discarded: an earlier failure left its state unknown', {
        cause: coded('ECONNRESET'),
      }),
      unavailable,
    ],
    [
      'a message that merely mentions a closed connection',
      new Error('Connection closed by a host hook'),
      failed,
    ],
    ['a thrown string', 'no such table: keyward_api_keys', failed],
  ];
  for (const [label, error, [code, message]] of cases) {
    it(`${label}: ${code} "${message}"`, () => {
      const mapped = toStorageError(error);
      expect([mapped.code, mapped.message]).toEqual([code, message]);
      expect(mapped.cause).toBe(error);
    });
  }

  it('details.driverCode names the code that decided, from a cause when the wrapper has none', () => {
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toStorageError(new Error('wrapped', { cause })).details).toEqual({ driverCode: 'ECONNRESET' });
    expect(toStorageError(Object.assign(new Error('x'), { code: 'not a code' })).details).toEqual({});
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
      const applied = await migrateToLatest(db);
      expect(applied.map((result) => result.migrationName)).toEqual(Object.keys(keywardMigrations('sqlite')));
      expect(applied.map((result) => result.status)).toEqual(applied.map(() => 'Success'));
    } finally {
      await db.destroy();
    }
  });
});
