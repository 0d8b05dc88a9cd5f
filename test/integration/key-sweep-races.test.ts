import { afterEach, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { createKeyward, type KeywardEvent } from '../../src/index.js';
import { admin } from '../support/keyward-fixture.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const DAY = 24 * 3600 * 1000;
const ROUNDS = 5;
const IDLE = 6;
const EXPIRING = 4;

const opened: SqlDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.dispose();
});

describeEachSqlTarget('two instances sweeping at once', (target) => {
  it(`change, audit and announce each key once (${ROUNDS} rounds, two connections)`, async () => {
    const database = await target.create('sweep_races');
    opened.push(database);
    await migrateToLatest(database.connect());
    const clock = { now: Date.UTC(2026, 0, 1) };
    const events: KeywardEvent[] = [];
    const instance = () =>
      createKeyward({
        storage: kyselyAdapter(database.connect(target.dialect === 'postgres' ? 4 : 1), {
          dialect: target.dialect,
        }),
        tokenPrefix: 'acme',
        clock: () => clock.now,
        maxKeysPerAccount: 20,
        onEvent: (event) => {
          events.push(event);
        },
      });
    const a = instance();
    const b = instance();
    for (let round = 0; round < ROUNDS; round++) {
      const { account } = await a.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: `round ${round}`,
        roles: ['viewer'],
      });
      const issue = (name: string, expiresInSeconds?: number) =>
        a.keys.issue(admin, {
          serviceAccountId: account.id,
          key: expiresInSeconds === undefined ? { name } : { name, expiresInSeconds },
        });
      for (let i = 0; i < IDLE; i++) await issue(`idle ${i}`);
      clock.now += 40 * DAY;
      for (let i = 0; i < EXPIRING; i++) await issue(`expiring ${i}`, 10 * 86_400);
      // 46 days on: the idle keys are unused past the CIS window, the others expire within 7 days.
      clock.now += 6 * DAY;
      events.length = 0;
      const options = { workspaceId: 'w_sales', disableUnusedFor: 45 * 86_400, batchSize: 3 };
      const [first, second] = await Promise.all([a.keys.sweep(admin, options), b.keys.sweep(admin, options)]);
      expect(first.disabled + second.disabled).toBe(IDLE);
      expect(first.notified + second.notified).toBe(EXPIRING);
      const sweptAt = clock.now;
      const trail = (await a.audit.list(admin, { limit: 100 })).items.filter(
        (event) => event.createdAt.getTime() === sweptAt,
      );
      const keyIds = (action: string) =>
        trail.filter((event) => event.action === action).map((event) => event.target.id);
      expect(new Set(keyIds('api_key.sweep')).size).toBe(IDLE);
      expect(keyIds('api_key.sweep')).toHaveLength(IDLE);
      expect(new Set(keyIds('api_key.expiry_notice')).size).toBe(EXPIRING);
      expect(keyIds('api_key.expiry_notice')).toHaveLength(EXPIRING);
      expect(events.filter((event) => event.type === 'key.swept')).toHaveLength(IDLE);
      expect(events.filter((event) => event.type === 'key.expiring_soon')).toHaveLength(EXPIRING);
      const again = await b.keys.sweep(admin, options);
      expect([again.disabled, again.notified]).toEqual([0, 0]);
      // The next round's keys start fresh; this round's are disabled or notified already.
      await a.keys.sweep(admin, { revokeExpiredAfter: 0, notifyExpiring: false });
      clock.now += 60 * DAY;
      await a.keys.sweep(admin, { revokeExpiredAfter: 0, notifyExpiring: false });
      await a.serviceAccounts.delete(admin, { id: account.id });
    }
  });
});
