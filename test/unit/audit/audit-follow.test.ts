import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { type AuditEvent, ERROR_CODES, type UserActor } from '../../../src/index.js';
import { encodeFollowCursor } from '../../../src/management/audit/follow-cursor.js';
import { buildAuditEvent } from '../../../src/testing/index.js';
import { admin, otherAdmin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const base = { workspaceId: 'w_sales', name: 'ETL pipeline', roles: ['analyst'] };

const salesReader: UserActor = {
  type: 'user',
  id: 'u_sales',
  tenantId: TENANT,
  permissions: ['service_accounts:read'],
  workspaceIds: ['w_sales'],
};

const actions = (events: readonly AuditEvent[]): string[] => events.map((event) => event.action);

describe('kw.audit.follow', () => {
  it('reads the trail oldest first, continues from the cursor, and says when it caught up', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, base);
    await kw.serviceAccounts.update(admin, { id: account.id, name: 'renamed' });
    await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k1' } });

    const first = await kw.audit.follow(admin, { limit: 2 });
    expect(actions(first.items)).toEqual(['service_account.create', 'service_account.update']);
    expect(first.caughtUp).toBe(false);
    const second = await kw.audit.follow(admin, { cursor: first.cursor, limit: 2 });
    expect(actions(second.items)).toEqual(['api_key.issue']);
    expect(second.caughtUp).toBe(true);

    const idle = await kw.audit.follow(admin, { cursor: second.cursor });
    expect(idle).toEqual({ items: [], cursor: second.cursor, caughtUp: true });
    await kw.serviceAccounts.disable(admin, { id: account.id });
    const next = await kw.audit.follow(admin, { cursor: idle.cursor });
    expect(actions(next.items)).toEqual(['service_account.disable']);
    expect(next.items).toEqual((await kw.audit.list(admin, { limit: 1 })).items);
  });

  it("follows the actor's tenant only", async () => {
    const { kw } = setup();
    await kw.serviceAccounts.create(admin, base);
    const other = await kw.audit.follow(otherAdmin);
    expect(other.items).toEqual([]);
    expect(other.caughtUp).toBe(true);
  });

  it('passes over events of workspaces the actor may not read, and moves its cursor past them', async () => {
    const { kw } = setup();
    await kw.serviceAccounts.create(admin, { ...base, workspaceId: 'w_ops' });
    await kw.serviceAccounts.create(admin, base);
    await kw.serviceAccounts.create(admin, { ...base, workspaceId: 'w_ops' });
    const page = await kw.audit.follow(salesReader, { limit: 1 });
    expect(page.items.map((event) => event.workspaceId)).toEqual(['w_sales']);
    const rest = await kw.audit.follow(salesReader, { cursor: page.cursor, limit: 1 });
    expect(rest.items).toEqual([]);
    expect(rest.caughtUp).toBe(true);
    const all = await kw.audit.follow(admin);
    expect(all.items.map((event) => event.workspaceId)).toEqual(['w_ops', 'w_sales', 'w_ops']);
  });

  it('returns a short page with caughtUp false when a long run of unreadable events remains', async () => {
    const storage = memoryAdapter();
    const { kw } = setup({ storage });
    for (let i = 0; i < 45; i++) {
      await storage.insertAuditEvent({ event: buildAuditEvent({ tenantId: TENANT, workspaceId: 'w_ops' }) });
    }
    const readable = buildAuditEvent({ tenantId: TENANT, workspaceId: 'w_sales' });
    await storage.insertAuditEvent({ event: readable });
    // 20 reads of 2 rows at most per call: the first call passes over 40 events, the next finds it.
    const first = await kw.audit.follow(salesReader, { limit: 2 });
    expect(first).toMatchObject({ items: [], caughtUp: false });
    const second = await kw.audit.follow(salesReader, { cursor: first.cursor, limit: 2 });
    expect(second.items).toEqual([readable]);
    expect(second.caughtUp).toBe(true);
  });

  it('refuses a malformed cursor, a list cursor and an out-of-range position as INVALID_INPUT', async () => {
    const { kw } = setup();
    await kw.serviceAccounts.create(admin, base);
    await kw.serviceAccounts.create(admin, base);
    const listCursor = (await kw.audit.list(admin, { limit: 1 })).nextCursor as string;
    const tooLarge = encodeFollowCursor({ transaction: 0n, sequence: 1n << 63n });
    const leadingZero = btoa('f.0.01').replace(/=+$/, '');
    for (const cursor of ['not a cursor', '!!!', 'Zg', listCursor, tooLarge, leadingZero]) {
      const error = await rejection(kw.audit.follow(admin, { cursor }));
      expect(error.code, cursor).toBe(ERROR_CODES.INVALID_INPUT);
    }
    const unknown = await rejection(kw.audit.follow(admin, { since: 'now' } as never));
    expect(unknown.code).toBe(ERROR_CODES.INVALID_INPUT);
  });

  it('starts after the position a cursor names, which need not be a stored event', async () => {
    const { kw } = setup();
    await kw.serviceAccounts.create(admin, base);
    await kw.serviceAccounts.create(admin, base);
    const cursor = encodeFollowCursor({ transaction: 0n, sequence: 1n });
    expect((await kw.audit.follow(admin, { cursor })).items).toHaveLength(1);
    const beyond = encodeFollowCursor({ transaction: 0n, sequence: 1_000n });
    expect(await kw.audit.follow(admin, { cursor: beyond })).toEqual({
      items: [],
      cursor: beyond,
      caughtUp: true,
    });
  });
});
