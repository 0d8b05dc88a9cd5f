import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { ERROR_CODES, type UserActor } from '../../../src/index.js';
import { admin, otherAdmin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const DAY = 24 * 3600 * 1000;

/**
 * A tenant with keys in two workspaces: in w_sales `used` (used a day ago), `idle` (issued 60
 * days ago, never used), `short` (expires in 2 days), `paused` (disabled) and `gone` (revoked);
 * in w_ops `ops` (a test key). The other tenant has one key.
 */
async function world() {
  const storage = memoryAdapter();
  const { kw, clock } = setup({ storage, maxKeysPerAccount: 10 });
  const sales = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 's',
    roles: ['viewer'],
  });
  const ops = await kw.serviceAccounts.create(admin, { workspaceId: 'w_ops', name: 'o', roles: ['viewer'] });
  const issue = async (serviceAccountId: string, key: { name: string } & Record<string, unknown>) => {
    clock.advance(1000); // one creation time each: the order is the creation order
    return (await kw.keys.issue(admin, { serviceAccountId, key })).key.id;
  };
  const ids: Record<string, string> = {};
  ids.idle = await issue(sales.account.id, { name: 'idle' });
  clock.advance(59 * DAY);
  ids.used = await issue(sales.account.id, { name: 'used' });
  ids.short = await issue(sales.account.id, { name: 'short', expiresInSeconds: 2 * 86400 });
  ids.paused = await issue(sales.account.id, { name: 'paused' });
  ids.gone = await issue(sales.account.id, { name: 'gone' });
  ids.ops = await issue(ops.account.id, { name: 'ops', environment: 'test' });
  const foreign = await kw.serviceAccounts.create(otherAdmin, {
    workspaceId: 'w_sales',
    name: 'f',
    roles: ['viewer'],
    firstKey: { name: 'foreign' },
  });
  clock.advance(DAY);
  await kw.keys.disable(admin, { keyId: ids.paused });
  await kw.keys.revoke(admin, { keyId: ids.gone });
  await storage.touchKeys({ entries: [{ keyId: ids.used, lastUsedAt: new Date(clock.now - DAY / 2) }] });
  return { kw, clock, ids, foreignKey: foreign.key!.key.id };
}

const names = (page: { items: { name: string }[] }) => page.items.map((key) => key.name);

describe('keys.query', () => {
  it('lists the keys of the actor tenant, oldest first, with derived statuses', async () => {
    const { kw } = await world();
    const page = await kw.keys.query(admin);
    expect(page.items.map((key) => [key.name, key.status])).toEqual([
      ['idle', 'active'],
      ['used', 'active'],
      ['short', 'active'],
      ['paused', 'disabled'],
      ['gone', 'revoked'],
      ['ops', 'active'],
    ]);
    expect(page.nextCursor).toBeNull();
    expect(JSON.stringify(page)).not.toMatch(/"hash"/);
  });

  it('filters by workspace, status, environment and expiry', async () => {
    const { kw, clock } = await world();
    expect(names(await kw.keys.query(admin, { workspaceId: 'w_ops' }))).toEqual(['ops']);
    expect(names(await kw.keys.query(admin, { status: 'disabled' }))).toEqual(['paused']);
    expect(names(await kw.keys.query(admin, { status: 'revoked' }))).toEqual(['gone']);
    expect(names(await kw.keys.query(admin, { environment: 'test' }))).toEqual(['ops']);
    const soon = new Date(clock.now + 7 * DAY).toISOString();
    expect(names(await kw.keys.query(admin, { expiresBefore: soon }))).toEqual(['short']);
    clock.advance(2 * DAY);
    expect(names(await kw.keys.query(admin, { status: 'expired' }))).toEqual(['short']);
  });

  it('finds active keys unused for 45 days (CIS)', async () => {
    const { kw, clock } = await world();
    const stale = await kw.keys.query(admin, {
      status: 'active',
      unusedSince: new Date(clock.now - 45 * DAY),
    });
    expect(names(stale)).toEqual(['idle']);
    const halfDay = await kw.keys.query(admin, {
      status: 'active',
      unusedSince: new Date(clock.now - DAY / 2),
    });
    expect(names(halfDay)).toEqual(['idle', 'short', 'ops']);
  });

  it('pages with opaque cursors, and refuses a malformed one', async () => {
    const { kw } = await world();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await kw.keys.query(admin, { limit: 2, cursor });
      seen.push(...names(page));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect([pages, seen]).toEqual([3, ['idle', 'used', 'short', 'paused', 'gone', 'ops']]);
    const bad = await rejection(kw.keys.query(admin, { cursor: 'not-a-cursor' }));
    expect(bad.code).toBe(ERROR_CODES.INVALID_INPUT);
  });

  it('without a workspace, returns only keys of workspaces the actor may read; with one, needs it', async () => {
    const { kw } = await world();
    const salesReader: UserActor = {
      type: 'user',
      id: 'u_sales',
      tenantId: TENANT,
      permissions: ['service_accounts:read'],
      workspaceIds: ['w_sales'],
    };
    expect(names(await kw.keys.query(salesReader))).toEqual(['idle', 'used', 'short', 'paused', 'gone']);
    const refused = await rejection(kw.keys.query(salesReader, { workspaceId: 'w_ops' }));
    expect(refused.code).toBe(ERROR_CODES.FORBIDDEN);
    const nobody: UserActor = { type: 'user', id: 'u_n', tenantId: TENANT, permissions: ['datasets:read'] };
    expect(await kw.keys.query(nobody)).toEqual({ items: [], nextCursor: null });
  });

  it('never returns keys of another tenant', async () => {
    const { kw, foreignKey } = await world();
    const mine = await kw.keys.query(admin);
    expect(mine.items.map((key) => key.id)).not.toContain(foreignKey);
    expect((await kw.keys.query(otherAdmin)).items.map((key) => key.id)).toEqual([foreignKey]);
  });

  it('refuses unknown filters and values', async () => {
    const { kw } = await world();
    for (const input of [
      { status: 'lost' },
      { tenantId: 't_other' },
      { expiresBefore: 'tomorrow' },
      { limit: 0 },
    ]) {
      expect((await rejection(kw.keys.query(admin, input as never))).code).toBe(ERROR_CODES.INVALID_INPUT);
    }
  });
});
