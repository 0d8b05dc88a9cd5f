import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward, type UserActor } from '../../src/index.js';
import { type PostgresCluster, startPostgresCluster } from '../setup/postgres-cluster.js';
import { openPostgres } from '../setup/sql-databases.js';
import { rejection } from '../support/rejection.js';
import { faultClusterPrograms } from './fixtures/postgres-fault-settings.js';

const programs = await faultClusterPrograms();
const QUERY_TIMEOUT_MS = 500;
const admin: UserActor = { type: 'user', id: 'u_timeout', tenantId: 't_timeout', permissions: ['*'] };
const resource = { tenantId: 't_timeout', workspaceId: 'w_timeout', datasetId: 'd_timeout' };

/**
 * One pooled connection and pg's client-side `query_timeout`, without a server-side
 * `statement_timeout` that would cancel the statement first: what is under test is what happens
 * to a connection when the client gives up on a statement the server is still running.
 */
function openTimingOut(url: string, prepared: boolean, statementTimeoutMs?: number): Kysely<KeywardDatabase> {
  return openPostgres(url, 1, undefined, prepared, {
    query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs ?? false,
  });
}

/** The server process behind the pool's one connection. */
async function backendPid(db: Kysely<KeywardDatabase>): Promise<number> {
  return (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
}

/** A key of a new account, on keyward over `db`. */
async function keywardWithKey(db: Kysely<KeywardDatabase>) {
  const kw = createKeyward({ storage: kyselyAdapter(db, { dialect: 'postgres' }), tokenPrefix: 'tmo' });
  const { key } = await kw.serviceAccounts.create(admin, {
    workspaceId: resource.workspaceId,
    name: 'slow',
    roles: ['analyst'],
    firstKey: { name: 'first' },
  });
  return { kw, keyId: key!.key.id, token: key!.token };
}

describe.runIf(programs !== null)('a revoke that pg times out on the client (query_timeout)', () => {
  let cluster: PostgresCluster;
  let blocker: pg.Client;
  let db: Kysely<KeywardDatabase> | undefined;

  beforeAll(async () => {
    cluster = await startPostgresCluster(programs!);
    blocker = new pg.Client({ connectionString: cluster.url });
    await blocker.connect();
    const setup = openTimingOut(cluster.url, false);
    await migrateToLatest(setup, { dialect: 'postgres' });
    await setup.destroy();
  });

  afterEach(async () => {
    await blocker.query('rollback');
    await db?.destroy();
  });

  afterAll(async () => {
    await blocker?.end();
    await cluster?.stop();
  });

  /** SHARE mode lets a revoke lock its rows (ROW SHARE) but holds its UPDATE (ROW EXCLUSIVE). */
  const holdKeyUpdates = async () => {
    await blocker.query('begin');
    await blocker.query('lock table keyward_api_keys in share mode');
  };

  const waitingUpdates = async () =>
    (
      await blocker.query<{ query: string }>(
        "select query from pg_stat_activity where wait_event_type = 'Lock' and query like 'update%'",
      )
    ).rows.length;

  for (const [wrapper, prepared] of [
    ['postgresPreparedStatements', true],
    ['postgresDiscardBrokenConnections', false],
  ] as const) {
    it(`${wrapper}: the revoke leaves the key active and unaudited, nothing later commits it, the pool keeps working`, async () => {
      db = openTimingOut(cluster.url, prepared);
      const { kw, keyId, token } = await keywardWithKey(db);
      const before = await backendPid(db);

      await holdKeyUpdates();
      const failure = await rejection(kw.keys.revoke(admin, { keyId }));
      expect(failure.code).toBe('STORAGE_UNAVAILABLE');
      expect(await waitingUpdates()).toBe(1); // the server still runs the UPDATE the client gave up on
      await blocker.query('commit'); // ... which now completes, inside the revoke's transaction

      // Calls on the pool's one connection: a transaction of their own, then reads.
      await kw.serviceAccounts.create(admin, {
        workspaceId: resource.workspaceId,
        name: 'after',
        roles: ['analyst'],
      });
      await expectRevokedIffAudited(kw, keyId, 'active');
      expect((await kw.verify(token, { action: 'datasets:read', resource })).ok).toBe(true);
      expect(await backendPid(db)).not.toBe(before); // the timed-out connection was closed, not reused

      expect((await kw.keys.revoke(admin, { keyId })).status).toBe('revoked');
      await expectRevokedIffAudited(kw, keyId, 'revoked');
    });
  }

  it('a revoke the server cancels (statement_timeout) rolls back and keeps its connection', async () => {
    db = openTimingOut(cluster.url, true, QUERY_TIMEOUT_MS / 2);
    const { kw, keyId } = await keywardWithKey(db);
    const before = await backendPid(db);

    await holdKeyUpdates();
    const failure = await rejection(kw.keys.revoke(admin, { keyId }));
    expect([failure.code, failure.details]).toEqual(['STORAGE_UNAVAILABLE', { driverCode: '57014' }]);
    await blocker.query('commit');

    await expectRevokedIffAudited(kw, keyId, 'active');
    expect(await backendPid(db)).toBe(before);
  });
});

/** The key's stored status is `status`, and it is revoked if and only if its revoke was audited. */
async function expectRevokedIffAudited(kw: Keyward, keyId: string, status: 'active' | 'revoked') {
  const stored = (await kw.keys.get(admin, { keyId })).status;
  const events = (await kw.audit.list(admin, { targetId: keyId, action: 'api_key.revoke', limit: 10 })).items;
  expect({ stored, events: events.length }).toEqual({ stored: status, events: status === 'revoked' ? 1 : 0 });
}
