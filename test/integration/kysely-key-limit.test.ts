import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type KeywardDatabase, kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import type { ServiceAccount } from '../../src/entities/service-account.js';
import {
  buildApiKeyFor,
  buildAuditEvent,
  buildServiceAccount,
  fixtureTime,
} from '../../src/testing/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { postgresTarget, type SqlDatabase } from './fixtures/sql-targets.js';
import type { IssueOutcome, IssueTask } from './fixtures/sqlite-issue-task.js';
import { bundleWorker, type WorkerBundle } from './fixtures/worker-bundle.js';

const CONCURRENT_ISSUERS = 50;

async function countRows(db: Kysely<KeywardDatabase>, account: ServiceAccount) {
  const keys = await db
    .selectFrom('keyward_api_keys')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('service_account_id', '=', account.id)
    .executeTakeFirstOrThrow();
  const events = await db
    .selectFrom('keyward_audit_events')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenant_id', '=', account.tenantId)
    .executeTakeFirstOrThrow();
  return { keys: Number(keys.n), events: Number(events.n) };
}

/** Starts one worker thread per task, waits until all hold an open connection, then releases them together. */
async function issueFromWorkers(bundle: WorkerBundle, tasks: readonly IssueTask[]): Promise<IssueOutcome[]> {
  const workers = tasks.map((task) => new Worker(bundle.file, { workerData: task }));
  try {
    const ready: Promise<void>[] = [];
    const outcomes: Promise<IssueOutcome>[] = [];
    for (const worker of workers) {
      ready.push(
        new Promise((resolve, reject) => {
          worker.on('message', (message: { ready?: true }) => message.ready && resolve());
          worker.once('error', reject);
        }),
      );
      outcomes.push(
        new Promise((resolve, reject) => {
          worker.on(
            'message',
            (message: { outcome?: IssueOutcome }) => message.outcome && resolve(message.outcome),
          );
          worker.once('error', reject);
        }),
      );
    }
    await Promise.all(ready);
    for (const worker of workers) worker.postMessage('go');
    return await Promise.all(outcomes);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

describe('key limit across SQLite connections (one worker thread and connection per issuer)', () => {
  let bundle: WorkerBundle;
  beforeAll(async () => {
    bundle = await bundleWorker(new URL('./fixtures/sqlite-issue-worker.ts', import.meta.url));
  });
  afterAll(async () => {
    await bundle?.remove();
  });

  for (const wal of [true, false]) {
    it(`${CONCURRENT_ISSUERS} concurrent issues in ${wal ? 'WAL' : 'rollback-journal'} mode insert exactly the limit, each with its audit event`, async () => {
      const dir = await tempSqliteDirectory();
      const file = dir.file('limit.db');
      const db = openSqlite(file, { wal });
      try {
        await migrateToLatest(db);
        const account = buildServiceAccount();
        await kyselyAdapter(db, { dialect: 'sqlite' }).insertServiceAccount({ account });
        const tasks = Array.from({ length: CONCURRENT_ISSUERS }, () => ({
          file,
          wal,
          key: buildApiKeyFor(account),
          event: buildAuditEvent({ tenantId: account.tenantId, action: 'api_key.issue' }),
          limit: 2,
          now: fixtureTime(),
          holdMs: 2,
        }));
        const outcomes = await issueFromWorkers(bundle, tasks);
        expect(outcomes.filter((outcome) => 'error' in outcome)).toEqual([]);
        expect(outcomes.filter((outcome) => 'inserted' in outcome && outcome.inserted)).toHaveLength(2);
        expect(await countRows(db, account)).toEqual({ keys: 2, events: 2 });
      } finally {
        await db.destroy();
        await dir.remove();
      }
    }, 180_000);
  }
});

const adminUrl = inject('databaseUrl');

describe.runIf(adminUrl !== null)('key limit across PostgreSQL connections', () => {
  let database: SqlDatabase;
  let connections: Kysely<KeywardDatabase>[];
  beforeAll(async () => {
    database = await postgresTarget(adminUrl as string).create('key_limit');
    const admin = database.connect();
    await migrateToLatest(admin);
    connections = Array.from({ length: CONCURRENT_ISSUERS }, () => database.connect(1));
    // Every pool opens its one connection before the race starts.
    await Promise.all(
      connections.map((db) => db.selectFrom('keyward_api_keys').select('id').limit(1).execute()),
    );
  });
  afterAll(async () => {
    await database?.dispose();
  });

  for (const limit of [2, 7]) {
    it(`${CONCURRENT_ISSUERS} concurrent issues in transactions on ${CONCURRENT_ISSUERS} connections insert exactly ${limit}`, async () => {
      const account = buildServiceAccount();
      const first = connections[0] as Kysely<KeywardDatabase>;
      await kyselyAdapter(first, { dialect: 'postgres' }).insertServiceAccount({ account });
      const outcomes = await Promise.all(
        connections.map((db) =>
          kyselyAdapter(db, { dialect: 'postgres' }).transaction(async (tx) => {
            await tx.findServiceAccount({ tenantId: account.tenantId, id: account.id });
            await new Promise((resolve) => setTimeout(resolve, 2));
            const outcome = await tx.insertKeyIfUnderLimit({
              key: buildApiKeyFor(account),
              limit,
              now: fixtureTime(),
            });
            if (outcome.inserted) {
              await tx.insertAuditEvent({
                event: buildAuditEvent({ tenantId: account.tenantId, action: 'api_key.issue' }),
              });
            }
            return outcome;
          }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.inserted)).toHaveLength(limit);
      expect(outcomes.filter((outcome) => !outcome.inserted)).toEqual(
        Array.from({ length: CONCURRENT_ISSUERS - limit }, () => ({ inserted: false, activeKeys: limit })),
      );
      expect(await countRows(first, account)).toEqual({ keys: limit, events: limit });
    }, 60_000);
  }

  it(`${CONCURRENT_ISSUERS} concurrent issues outside transactions on ${CONCURRENT_ISSUERS} connections insert exactly the limit`, async () => {
    const account = buildServiceAccount();
    const first = connections[0] as Kysely<KeywardDatabase>;
    await kyselyAdapter(first, { dialect: 'postgres' }).insertServiceAccount({ account });
    const outcomes = await Promise.all(
      connections.map((db) =>
        kyselyAdapter(db, { dialect: 'postgres' }).insertKeyIfUnderLimit({
          key: buildApiKeyFor(account),
          limit: 3,
          now: fixtureTime(),
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.inserted)).toHaveLength(3);
    expect((await countRows(first, account)).keys).toBe(3);
  }, 60_000);
});
