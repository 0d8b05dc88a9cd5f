import { afterEach, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type Keyward, type VerifiedPrincipal } from '../../src/index.js';
import { admin, TENANT } from '../support/keyward-fixture.js';
import { rejection } from '../support/rejection.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

/**
 * DESIGN §7: whoever issues or gives rights must hold what they give "at the write, on data read
 * inside its transaction". A key acting on the management API was verified before its write: a
 * revoke, a disable or a downgrade committed in between (here by another instance on the same
 * database) must stop the write, so that an in-flight request of a leaked key cannot mint a fresh,
 * unrevoked credential after the key was revoked.
 */

const opened: SqlDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.dispose();
});

const manage = {
  action: 'service_accounts:manage' as const,
  resource: { tenantId: TENANT, workspaceId: 'w_sales' },
};

describeEachSqlTarget('a key acting on the management API, changed after it was verified', (target) => {
  /** Two instances on one database; an admin account with one key, verified on instance `a`. */
  async function world(): Promise<{
    a: Keyward;
    b: Keyward;
    accountId: string;
    keyId: string;
    principal: VerifiedPrincipal;
  }> {
    const database = await target.create('acting_key_liveness');
    opened.push(database);
    await migrateToLatest(database.connect());
    const instance = () =>
      createKeyward({
        storage: kyselyAdapter(database.connect(target.dialect === 'postgres' ? 4 : 1), {
          dialect: target.dialect,
        }),
        tokenPrefix: 'acme',
      });
    const [a, b] = [instance(), instance()];
    const { account } = await b.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'deploy bot',
      roles: ['admin'],
    });
    const issued = await b.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'ci' } });
    const verified = await a.verify(issued.token, manage);
    if (!verified.ok) throw new Error(`setup: the key should verify, got ${verified.code}`);
    return { a, b, accountId: account.id, keyId: issued.key.id, principal: verified.principal };
  }

  it('a key revoked before the write cannot issue a new key (the revocation is read in the transaction)', async () => {
    const { a, b, accountId, keyId, principal } = await world();
    await b.keys.revoke(admin, { keyId });
    // The in-flight request of the revoked key now reaches its write: it must not mint a fresh key.
    const error = await rejection(
      a.keys.issue(principal, { serviceAccountId: accountId, key: { name: 'fresh' } }),
    );
    expect([error.code, error.details]).toEqual(['INVALID_STATE', { keyId, reason: 'revoked' }]);
    const live = await b.keys.list(admin, { serviceAccountId: accountId });
    expect(live.items.filter((key) => key.status === 'active')).toEqual([]);
  });

  it('a key revoked before the write cannot create an admin account with a first key', async () => {
    const { a, b, keyId, principal } = await world();
    await b.keys.revoke(admin, { keyId });
    const error = await rejection(
      a.serviceAccounts.create(principal, {
        workspaceId: 'w_sales',
        name: 'backdoor',
        roles: ['admin'],
        firstKey: { name: 'k' },
      }),
    );
    expect(error.details).toEqual({ keyId, reason: 'revoked' });
    const names = (await b.serviceAccounts.list(admin, {})).items.map((account) => account.name);
    expect(names).not.toContain('backdoor');
  });

  it("a key whose account was disabled and cut to 'viewer' before the write cannot create an admin account", async () => {
    const { a, b, accountId, principal } = await world();
    await b.serviceAccounts.update(admin, { id: accountId, roles: ['viewer'] });
    await b.serviceAccounts.disable(admin, { id: accountId });
    await rejection(
      a.serviceAccounts.create(principal, { workspaceId: 'w_sales', name: 'backdoor', roles: ['admin'] }),
    );
    const names = (await b.serviceAccounts.list(admin, {})).items.map((account) => account.name);
    expect(names).not.toContain('backdoor');
  });

  it("a key whose account was only cut to 'viewer' before the write is refused as changed, and writes nothing", async () => {
    const { a, b, accountId, keyId, principal } = await world();
    await b.serviceAccounts.update(admin, { id: accountId, roles: ['viewer'] });
    const error = await rejection(
      a.keys.issue(principal, { serviceAccountId: accountId, key: { name: 'fresh' } }),
    );
    expect([error.code, error.details]).toEqual(['INVALID_STATE', { keyId, reason: 'rights_changed' }]);
    expect((await b.keys.list(admin, { serviceAccountId: accountId })).items.map((key) => key.name)).toEqual([
      'ci',
    ]);
  });

  it('a key whose account changed only in its description still writes: status and rights decide', async () => {
    const { a, b, accountId, principal } = await world();
    await b.serviceAccounts.update(admin, { id: accountId, description: 'edited by an admin' });
    const issued = await a.keys.issue(principal, { serviceAccountId: accountId, key: { name: 'second' } });
    expect([issued.key.name, issued.key.createdBy]).toEqual([
      'second',
      { type: 'key', id: principal.keyId, serviceAccountId: accountId },
    ]);
  });
});
