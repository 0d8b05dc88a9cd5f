import { afterEach, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type UserActor } from '../../src/index.js';
import { admin, TENANT } from '../support/keyward-fixture.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const opened: SqlDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.dispose();
});

const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };

describeEachSqlTarget("a person's first keys issued at once on two instances", (target) => {
  it('all succeed under one personal account, and the limit holds', async () => {
    const database = await target.create('personal_races');
    opened.push(database);
    await migrateToLatest(database.connect());
    const instance = () =>
      createKeyward({
        storage: kyselyAdapter(database.connect(target.dialect === 'postgres' ? 4 : 1), {
          dialect: target.dialect,
        }),
        tokenPrefix: 'acme',
        maxPersonalKeys: 6,
        resolveActor: async ({ id }) => (id === alice.id ? alice : null),
      });
    const [a, b] = [instance(), instance()];
    const issue = (kw: typeof a, i: number) =>
      kw.personalKeys.issue(alice, { workspaceId: 'w_sales', name: `k${i}`, scopes: ['datasets:read'] });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => issue(i % 2 === 0 ? a : b, i)),
    );
    const issued = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(issued).toHaveLength(6);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'KEY_LIMIT_REACHED' });
    const accounts = new Set(
      issued.map(
        (outcome) =>
          (outcome as PromiseFulfilledResult<Awaited<ReturnType<typeof issue>>>).value.key.serviceAccountId,
      ),
    );
    expect(accounts.size).toBe(1);
    const listed = await a.personalKeys.listAll(admin, { workspaceId: 'w_sales', userId: alice.id });
    expect(listed.items).toHaveLength(6);
    expect((await a.serviceAccounts.list(admin, {})).items).toEqual([]);
  });
});
