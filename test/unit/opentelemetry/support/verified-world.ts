import { kyselyAdapter, migrateToLatest } from '../../../../adapters/kysely/index.js';
import {
  createKeyward,
  type Keyward,
  type KeywardConfig,
  type VerifyRequest,
} from '../../../../src/index.js';
import { openSqlite, tempSqliteDirectory } from '../../../setup/sql-databases.js';
import { admin, dataset, setup } from '../../../support/keyward-fixture.js';

/** A read the `viewer` role grants, from a documentation address. */
export const read: VerifyRequest = { action: 'datasets:read', resource: dataset('d_1'), ip: '203.0.113.7' };

/**
 * keyward over a fresh memory adapter with one service account (`viewer`, in w_sales) and its
 * key: every verification of `token` gives a genuine result.
 */
export async function verifiedWorld(overrides: Partial<KeywardConfig> = {}) {
  const { kw, clock } = setup(overrides);
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['viewer'],
    firstKey: { name: 'k' },
  });
  if (key === undefined) throw new Error('no key');
  return { kw, clock, account, token: key.token, keyId: key.key.id };
}

/**
 * A `storage_unavailable` result as verify gives it: a key issued over real SQLite, then the
 * database closed under keyward.
 */
export async function storageUnavailableResult(request: VerifyRequest) {
  const dir = await tempSqliteDirectory();
  const db = openSqlite(dir.file('keyward.db'), { wal: true, statementCache: true });
  let open = true;
  try {
    await migrateToLatest(db);
    const kw: Keyward = createKeyward({
      storage: kyselyAdapter(db, { dialect: 'sqlite' }),
      tokenPrefix: 'acme',
    });
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['viewer'],
      firstKey: { name: 'k' },
    });
    if (key === undefined) throw new Error('no key');
    await db.destroy();
    open = false;
    return { token: key.token, result: await kw.verify(key.token, request) };
  } finally {
    if (open) await db.destroy();
    await dir.remove();
  }
}
