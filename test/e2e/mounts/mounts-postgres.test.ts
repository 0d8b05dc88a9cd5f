import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, type PostgresTestDatabase } from '../../setup/postgres-database.js';
import { transcriptOf } from './scenario-client.js';
import { scenarioOn } from './scenario-run.js';

const adminUrl = inject('databaseUrl');

describe.runIf(adminUrl !== null)('the management API mounted over PostgreSQL', () => {
  let database: PostgresTestDatabase;

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'e2e_mounts');
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('runs the whole scenario on Fastify, answering the same bytes as over SQLite', async () => {
    const overPostgres = await scenarioOn('fastify', database.url);
    const overSqlite = await scenarioOn('fastify');
    expect(transcriptOf(overPostgres)).toEqual(transcriptOf(overSqlite));
  });
});
