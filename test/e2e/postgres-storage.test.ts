import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase, type PostgresTestDatabase } from '../setup/postgres-database.js';
import {
  API,
  adminSession,
  bearer,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  send,
  startExampleServers,
} from './example-servers.js';

const adminUrl = inject('databaseUrl');
const DATASET = '/workspaces/w_sales/datasets/d_orders';

describe.runIf(adminUrl !== null)('the example apps over PostgreSQL (DATABASE_URL)', () => {
  let database: PostgresTestDatabase;
  let servers: ExampleServers;

  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl as string, 'e2e_examples');
    servers = await startExampleServers({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await servers?.close();
    await database?.drop();
  });

  it.each(FRAMEWORKS)(
    'serve keys issued through the management API, refuse them once revoked and audit both (%s)',
    async (framework) => {
      const url = servers.url[framework];
      const session = await adminSession(url);
      const account = await createAccount(url, session, {
        name: `pg-${framework}`,
        roles: ['viewer'],
        datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
      });
      expect((await send(url, 'GET', DATASET, { headers: bearer(account.token) })).status).toBe(200);
      const denied = await send(url, 'GET', '/workspaces/w_sales', { headers: bearer(account.token) });
      expect([denied.status, denied.json.code]).toEqual([403, 'dataset_scoped_account']);
      const revoked = await send(url, 'POST', `${API}/keys/${account.keyId}/revoke`, { headers: session });
      expect(revoked.json).toMatchObject({ id: account.keyId, status: 'revoked' });
      expect((await send(url, 'GET', DATASET, { headers: bearer(account.token) })).status).toBe(401);
      const audit = await send(url, 'GET', `${API}/audit?targetId=${account.keyId}`, { headers: session });
      const actions = (audit.json.items as { action: string }[]).map((event) => event.action);
      expect(actions).toEqual(['api_key.revoke', 'api_key.issue']);
    },
  );
});
