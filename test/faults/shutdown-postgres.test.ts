import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type UserActor } from '../../src/index.js';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import { openPostgres } from '../setup/sql-databases.js';

const adminUrl = inject('databaseUrl');
const IN_FLIGHT = 200;

describe.runIf(adminUrl !== null)('shutdown on PostgreSQL', () => {
  let database: PostgresTestDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'shutdown');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it(`close() then db.destroy() with ${IN_FLIGHT} verifications in flight settles every one of them`, async () => {
    const db = openPostgres(database.url, 4);
    await migrateToLatest(db);
    const kw = createKeyward({ storage: kyselyAdapter(db, { dialect: 'postgres' }), tokenPrefix: 'acme' });
    const admin: UserActor = { type: 'user', id: 'u_admin', tenantId: 't_shutdown', permissions: ['*'] };
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_1',
      name: 'svc',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    const resource = { tenantId: 't_shutdown', workspaceId: 'w_1', datasetId: 'd_1' };
    const verifications = Array.from({ length: IN_FLIGHT }, () =>
      kw.verify(key!.token, { action: 'datasets:read', resource }),
    );
    // The examples' shutdown, while the pool still queues most of those reads.
    await kw.close();
    await db.destroy();
    const outcome = await Promise.race([
      Promise.all(verifications).then((results) => results.filter((result) => result.ok).length),
      new Promise<string>((resolve) => setTimeout(() => resolve('unsettled after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe(IN_FLIGHT);
    const stored = await (async () => {
      const reopened = openPostgres(database.url, 1);
      try {
        return await reopened.selectFrom('keyward_api_keys').select('last_used_at').executeTakeFirst();
      } finally {
        await reopened.destroy();
      }
    })();
    expect(stored?.last_used_at).not.toBeNull();
  });
});
