import { afterEach, describe, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type KeywardEvent } from '../../src/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { admin } from '../support/keyward-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('events over real SQLite', () => {
  it('are emitted only once their change is visible to another connection', async () => {
    const dir = await tempSqliteDirectory();
    const db = openSqlite(dir.file('keyward.db'), { wal: true });
    const other = openSqlite(dir.file('keyward.db'), { wal: true });
    cleanups.push(async () => {
      await db.destroy();
      await other.destroy();
      await dir.remove();
    });
    await migrateToLatest(db);
    const elsewhere = kyselyAdapter(other, { dialect: 'sqlite' });
    const seen: { type: string; visible: boolean }[] = [];
    const visible = async (event: KeywardEvent): Promise<boolean> => {
      const stored = await elsewhere.listAuditEvents({ tenantId: event.tenantId, limit: 100 });
      if (!stored.some((audit) => audit.id === event.id)) return false;
      if ('key' in event)
        return (await elsewhere.findKey({ tenantId: event.tenantId, keyId: event.key.id })) !== null;
      return (
        (await elsewhere.findServiceAccount({ tenantId: event.tenantId, id: event.account.id })) !== null
      );
    };
    const kw = createKeyward({
      storage: kyselyAdapter(db, { dialect: 'sqlite' }),
      tokenPrefix: 'acme',
      onEvent: async (event) => {
        seen.push({ type: event.type, visible: await visible(event) });
      },
    });
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    await kw.keys.revoke(admin, { keyId: key?.key.id as string });
    expect(seen).toEqual([
      { type: 'service_account.created', visible: true },
      { type: 'key.created', visible: true },
      { type: 'key.revoked', visible: true },
    ]);
    expect(await elsewhere.findKey({ tenantId: admin.tenantId, keyId: key?.key.id as string })).toMatchObject(
      {
        status: 'revoked',
      },
    );
    await kw.close();
  });
});
