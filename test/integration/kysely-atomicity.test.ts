import { spawn } from 'node:child_process';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { isKeywardError } from '../../src/errors/keyward-error.js';
import {
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  fixtureTime,
} from '../../src/testing/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { describeEachSqlTarget, postgresTarget, type SqlDatabase } from './fixtures/sql-targets.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const randomTenant = () => `tenant-atomic-${Math.random().toString(36).slice(2, 10)}`;

/** Runs the half-transaction child; with `hang`, SIGKILLs it once it reports being halfway. */
function runChild(
  bundle: WorkerBundle,
  args: readonly string[],
): Promise<{ stdout: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle.file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('halfway')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ stdout, signal });
    });
  });
}

async function tenantRows(db: Kysely<KeywardDatabase>, tenantId: string) {
  const count = async (table: 'keyward_service_accounts' | 'keyward_api_keys' | 'keyward_audit_events') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    accounts: await count('keyward_service_accounts'),
    keys: await count('keyward_api_keys'),
    events: await count('keyward_audit_events'),
  };
}

const NOTHING = { accounts: 0, keys: 0, events: 0 };
const ONE_OF_EACH = { accounts: 1, keys: 1, events: 1 };

let bundle: WorkerBundle;
beforeAll(async () => {
  bundle = await bundleWorker(new URL('./fixtures/half-transaction-child.ts', import.meta.url));
});
afterAll(async () => {
  await bundle?.remove();
});

describe('a process killed halfway through a transaction leaves nothing half-written (SQLite file)', () => {
  for (const wal of [true, false]) {
    it(`${wal ? 'WAL' : 'rollback journal'}: the killed writer's rows are absent, a committing one's present, the file stays usable`, async () => {
      const dir = await tempSqliteDirectory();
      const file = dir.file('atomic.db');
      const db = openSqlite(file, { wal });
      try {
        await migrateToLatest(db);
        const killed = randomTenant();
        const result = await runChild(bundle, ['sqlite', file, killed, 'hang']);
        expect(result.signal).toBe('SIGKILL');
        expect(await tenantRows(db, killed)).toEqual(NOTHING);
        const committed = randomTenant();
        expect((await runChild(bundle, ['sqlite', file, committed, 'commit'])).stdout).toContain('committed');
        expect(await tenantRows(db, committed)).toEqual(ONE_OF_EACH);
      } finally {
        await db.destroy();
        await dir.remove();
      }
    }, 60_000);
  }
});

const adminUrl = inject('databaseUrl');

describe.runIf(adminUrl !== null)(
  'a transaction killed halfway leaves nothing half-written (PostgreSQL)',
  () => {
    let database: SqlDatabase;
    let reader: Kysely<KeywardDatabase>;
    beforeAll(async () => {
      database = await postgresTarget(adminUrl as string).create('atomicity');
      reader = database.connect(2);
      await migrateToLatest(reader);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    it('a client process killed mid-transaction: its rows are absent, a committing one is present', async () => {
      const url = database.location;
      const killed = randomTenant();
      expect((await runChild(bundle, ['postgres', url, killed, 'hang'])).signal).toBe('SIGKILL');
      const committed = randomTenant();
      expect((await runChild(bundle, ['postgres', url, committed, 'commit'])).stdout).toContain('committed');
      // The server rolls the dead client's transaction back once it notices the closed socket.
      await expect.poll(() => tenantRows(reader, killed), { timeout: 10_000 }).toEqual(NOTHING);
      expect(await tenantRows(reader, committed)).toEqual(ONE_OF_EACH);
    }, 60_000);

    it('a backend terminated mid-transaction: the transaction rejects with STORAGE_UNAVAILABLE and nothing is written', async () => {
      const applicationName = `keyward-victim-${Math.random().toString(36).slice(2, 8)}`;
      const pool = new pg.Pool({
        connectionString: database.location,
        max: 1,
        application_name: applicationName,
      });
      // pg reports a terminated connection as an 'error' event on the client (checked out or idle);
      // a host that survives database restarts listens for it the same way.
      pool.on('error', () => {});
      pool.on('connect', (client) => client.on('error', () => {}));
      const victim = new Kysely<KeywardDatabase>({ dialect: new PostgresDialect({ pool }) });
      const admin = new pg.Client({ connectionString: adminUrl as string });
      await admin.connect();
      try {
        const tenantId = randomTenant();
        const outcome = kyselyAdapter(victim, { dialect: 'postgres' }).transaction(async (tx) => {
          const account = buildServiceAccount({ tenantId });
          await tx.insertServiceAccount({ account });
          await tx.insertKeyIfUnderLimit({ key: buildApiKeyFor(account), limit: 2, now: fixtureTime() });
          await admin.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
            [applicationName],
          );
          await tx.insertAuditEvent({ event: buildAuditEvent({ tenantId }) });
        });
        const error = await outcome.then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(isKeywardError(error, 'STORAGE_UNAVAILABLE')).toBe(true);
        expect((error as Error).message).not.toMatch(/select|insert|keyward_|tenant-atomic/i);
        expect(await tenantRows(reader, tenantId)).toEqual(NOTHING);
      } finally {
        await admin.end();
        await victim.destroy();
      }
    }, 60_000);
  },
);

describeEachSqlTarget('optimistic versions across connections', (target) => {
  it('20 connections read version 1, then update at once: one wins, 19 get CONFLICT, nothing is overwritten', async () => {
    const database = await target.create('versions');
    try {
      const first = database.connect();
      await migrateToLatest(first);
      const account = buildServiceAccount();
      await kyselyAdapter(first, { dialect: target.dialect }).insertServiceAccount({ account });
      const adapters = Array.from({ length: 20 }, () =>
        kyselyAdapter(database.connect(), { dialect: target.dialect }),
      );
      const seen = await Promise.all(adapters.map((adapter) => adapter.findServiceAccount(account)));
      const outcomes = await Promise.allSettled(
        adapters.map((adapter, index) =>
          adapter.updateServiceAccount({
            account: { ...account, name: `writer-${index}`, version: 2 },
            expectedVersion: seen[index]?.version ?? 0,
          }),
        ),
      );
      const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(19);
      expect(losers.every((reason) => isKeywardError(reason, 'CONFLICT'))).toBe(true);
      const stored = await kyselyAdapter(first, { dialect: target.dialect }).findServiceAccount(account);
      expect(stored).toEqual(winners[0]);
      expect(stored?.version).toBe(2);
    } finally {
      await database.dispose();
    }
  }, 60_000);
});
