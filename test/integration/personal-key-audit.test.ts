import { afterEach, expect, it } from 'vitest';
import { kyselyAdapter, migrateToLatest } from '../../adapters/kysely/index.js';
import { type AuditEvent, createKeyward, type UserActor } from '../../src/index.js';
import { admin, TENANT } from '../support/keyward-fixture.js';
import { describeEachSqlTarget, type SqlDatabase } from './fixtures/sql-targets.js';

const opened: SqlDatabase[] = [];
afterEach(async () => {
  for (const database of opened.splice(0)) await database.dispose();
});

const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };
const reader: UserActor = {
  type: 'user',
  id: 'u_reader',
  tenantId: TENANT,
  permissions: ['service_accounts:read'],
  workspaceIds: ['w_sales'],
};

describeEachSqlTarget("the audit trail of a person's keys", (target) => {
  it('shows their events to the owner and admins, not to a workspace reader', async () => {
    const database = await target.create('personal_audit');
    opened.push(database);
    await migrateToLatest(database.connect());
    const kw = createKeyward({
      storage: kyselyAdapter(database.connect(), { dialect: target.dialect }),
      tokenPrefix: 'acme',
      resolveActor: async ({ id }) => (id === alice.id ? alice : null),
    });
    const { key } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read'],
    });
    await kw.personalKeys.revoke(alice, { keyId: key.id });
    const bot = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'bot',
      roles: ['viewer'],
    });
    const targets = (page: { items: AuditEvent[] }) => page.items.map((event) => event.target.id);
    for (const who of [alice, admin]) {
      expect(targets(await kw.audit.list(who, { targetId: key.id }))).toEqual([key.id, key.id]);
      expect(targets(await kw.audit.follow(who))).toEqual([key.id, key.id, bot.account.id]);
    }
    expect(targets(await kw.audit.list(reader, { targetId: key.id }))).toEqual([]);
    expect(targets(await kw.audit.list(reader, { workspaceId: 'w_sales' }))).toEqual([bot.account.id]);
    expect(targets(await kw.audit.follow(reader))).toEqual([bot.account.id]);
    await kw.close();
  });
});
