import { afterEach, describe, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, ERROR_CODES } from '../../src/index.js';
import { openSqlite, tempSqliteDirectory } from '../setup/sql-databases.js';
import { admin, dataset } from '../support/keyward-fixture.js';
import { rejection } from '../support/rejection.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function sqliteKeyward(config: { minKeyTtl?: number } = {}) {
  const dir = await tempSqliteDirectory();
  const db = openSqlite(dir.file('keyward.db'), { wal: true, statementCache: true });
  await migrateToLatest(db);
  const kw = createKeyward({
    storage: kyselyAdapter(db, { dialect: 'sqlite' }),
    tokenPrefix: 'acme',
    ...config,
  });
  let destroyed = false;
  const destroy = async () => {
    if (!destroyed) await db.destroy();
    destroyed = true;
  };
  cleanups.push(async () => {
    await destroy();
    await dir.remove();
  });
  return { kw, destroy };
}

describe('the lifecycle over real SQLite', () => {
  it('rolls back the account when its first key cannot be issued: storage stays as it was', async () => {
    const { kw } = await sqliteKeyward({ minKeyTtl: 3600 });
    const error = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'short-lived',
        roles: ['viewer'],
        firstKey: { name: 'k', expiresInSeconds: 60 },
      }),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_EXPIRY);
    expect((await kw.serviceAccounts.list(admin)).items).toEqual([]);
    expect((await kw.audit.list(admin)).items).toEqual([]);
  });

  it('walks create, verify, regenerate and revoke on SQLite', async () => {
    const { kw } = await sqliteKeyward();
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    const request = { action: 'datasets:read' as const, resource: dataset('d_1') };
    expect((await kw.verify(key?.token, request)).ok).toBe(true);
    const rotated = await kw.keys.regenerate(admin, { keyId: key?.key.id as string });
    expect(await kw.verify(key?.token, request)).toMatchObject({ ok: false, code: 'invalid_secret' });
    expect((await kw.verify(rotated.token, request)).ok).toBe(true);
    await kw.keys.revoke(admin, { keyId: rotated.key.id });
    expect(await kw.verify(rotated.token, request)).toMatchObject({ ok: false, code: 'key_revoked' });
  });

  it('answers storage_unavailable from verify and STORAGE_UNAVAILABLE from management when the database is gone', async () => {
    const { kw, destroy } = await sqliteKeyward();
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    await destroy();
    const result = await kw.verify(key?.token, { action: 'datasets:read', resource: dataset('d_1') });
    expect(result).toEqual({ ok: false, code: 'storage_unavailable' });
    const error = await rejection(kw.serviceAccounts.list(admin));
    expect(error.code).toBe(ERROR_CODES.STORAGE_UNAVAILABLE);
    expect(error.message).not.toMatch(/select|keyward_/i);
  });
});
