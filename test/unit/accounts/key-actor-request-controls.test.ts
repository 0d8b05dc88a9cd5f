import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type Keyward } from '../../../src/index.js';
import { admin, setup, workspace } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const HOURLY = { name: 'hourly', limit: 100, windowMs: 3_600_000 };
/** Where the acting key's requests come from in these tests. */
const ACTOR_IP = '10.1.2.3';

interface Lists {
  /** The acting key's account's allowlist. */
  account?: string[] | undefined;
  /** The acting key's own allowlist. */
  key?: string[] | undefined;
}

/** The principal `verify` hands out for `token`, used as a management actor. */
async function asActor(kw: Keyward, token: string) {
  const result = await kw.verify(token, { action: 'api_keys:manage', resource: workspace(), ip: ACTOR_IP });
  if (!result.ok) throw new Error(`the acting key was refused: ${result.code}`);
  return result.principal;
}

/**
 * An admin account `ops` whose key acts, with the given allowlists, and a target account `etl`
 * (analyst) with one key `other`, both in w_sales.
 */
async function world(lists: Lists = {}, targetAllowlist?: string[]) {
  const fixture = setup();
  const { kw } = fixture;
  const ops = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'ops',
    roles: ['admin'],
    ipAllowlist: lists.account,
    firstKey: { name: 'actor', ipAllowlist: lists.key },
  });
  const etl = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles: ['analyst'],
    ipAllowlist: targetAllowlist,
    firstKey: { name: 'other' },
  });
  const actorKey = ops.key?.key.id as string;
  const actor = await asActor(kw, ops.key?.token as string);
  return {
    ...fixture,
    actor,
    actorKey,
    ops: ops.account,
    etl: etl.account,
    otherKey: etl.key?.key.id as string,
  };
}

describe('IP allowlists: a key never makes a key usable from addresses its own allowlists refuse', () => {
  it('an unrestricted key issues an unrestricted key (a person is never IP-restricted either)', async () => {
    const { kw, actor, etl } = await world();
    const issued = await kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'free' } });
    expect(issued.key.ipAllowlist).toBeNull();
  });

  it('refuses a key without an allowlist from a key restricted by its own list, naming that list', async () => {
    const { kw, actor, etl } = await world({ key: ['10.0.0.0/8'] });
    const error = await rejection(kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'wide' } }));
    expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    expect(error.details).toEqual({ layer: 'key', allowlist: ['10.0.0.0/8'] });
    expect(error.message).toContain('pass a narrower ipAllowlist');
    expect((await kw.keys.list(admin, { serviceAccountId: etl.id })).items).toHaveLength(1);
  });

  it('issues a key whose own allowlist lies within the restricting list', async () => {
    const { kw, actor, etl } = await world({ key: ['10.0.0.0/8'] });
    const issued = await kw.keys.issue(actor, {
      serviceAccountId: etl.id,
      key: { name: 'narrow', ipAllowlist: ['10.9.0.0/16'] },
    });
    expect(issued.key.ipAllowlist).toEqual(['10.9.0.0/16']);
  });

  it("issues a key without a list when the target account's list lies within the restricting list", async () => {
    const { kw, actor, etl } = await world({ key: ['10.0.0.0/8'] }, ['10.2.0.0/16']);
    const issued = await kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'via account' } });
    expect(issued.key.ipAllowlist).toBeNull();
  });

  it("refuses by the acting key's account's list too (layer account)", async () => {
    const { kw, actor, etl } = await world({ account: ['10.0.0.0/8'] });
    const error = await rejection(
      kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'k', ipAllowlist: ['192.168.0.0/16'] } }),
    );
    expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    expect(error.details).toEqual({ layer: 'account', allowlist: ['10.0.0.0/8'] });
  });

  it('must stay within every restricting list: within the account list but not the key list is refused', async () => {
    const { kw, actor, etl } = await world({ account: ['10.0.0.0/8'], key: ['10.1.0.0/16'] });
    const error = await rejection(
      kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'k', ipAllowlist: ['10.0.0.0/8'] } }),
    );
    expect(error.details).toEqual({ layer: 'key', allowlist: ['10.1.0.0/16'] });
    const ok = await kw.keys.issue(actor, {
      serviceAccountId: etl.id,
      key: { name: 'k', ipAllowlist: ['10.1.2.0/24'] },
    });
    expect(ok.key.ipAllowlist).toEqual(['10.1.2.0/24']);
  });

  it("update: refuses widening or clearing another key's list, accepts narrowing, and a rename needs no list", async () => {
    const { kw, actor, otherKey } = await world({ key: ['10.0.0.0/8'] });
    for (const ipAllowlist of [null, ['0.0.0.1/32', '10.0.0.0/8'], ['11.0.0.0/8']]) {
      const error = await rejection(kw.keys.update(actor, { keyId: otherKey, ipAllowlist }));
      expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    }
    expect((await kw.keys.get(admin, { keyId: otherKey })).ipAllowlist).toBeNull();
    const renamed = await kw.keys.update(actor, { keyId: otherKey, name: 'renamed' });
    expect(renamed.name).toBe('renamed');
    const narrowed = await kw.keys.update(actor, { keyId: otherKey, ipAllowlist: ['10.4.0.0/16'] });
    expect(narrowed.ipAllowlist).toEqual(['10.4.0.0/16']);
  });

  it('a key may narrow its own allowlist, never widen it', async () => {
    const { kw, actor, actorKey } = await world({ key: ['10.0.0.0/8'] });
    const wider = await rejection(kw.keys.update(actor, { keyId: actorKey, ipAllowlist: null }));
    expect(wider.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    const narrowed = await kw.keys.update(actor, { keyId: actorKey, ipAllowlist: ['10.1.0.0/16'] });
    expect(narrowed.ipAllowlist).toEqual(['10.1.0.0/16']);
  });

  it('regenerate: refuses handing a restricted key the secret of a key usable from elsewhere', async () => {
    const { kw, actor, etl, otherKey } = await world({ key: ['10.0.0.0/8'] });
    const error = await rejection(kw.keys.regenerate(actor, { keyId: otherKey }));
    expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    const within = await kw.keys.issue(admin, {
      serviceAccountId: etl.id,
      key: { name: 'inside', ipAllowlist: ['10.3.0.0/16'] },
    });
    const regenerated = await kw.keys.regenerate(actor, { keyId: within.key.id });
    expect(regenerated.token).not.toBe(within.token);
  });

  it('create: an account made by a restricted key must carry an allowlist within it (its first key follows)', async () => {
    const { kw, actor } = await world({ account: ['10.0.0.0/8'] });
    const input = { workspaceId: 'w_sales', name: 'new', roles: ['analyst'], firstKey: { name: 'k' } };
    const open = await rejection(kw.serviceAccounts.create(actor, input));
    expect(open.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    expect(open.details).toEqual({ layer: 'account', allowlist: ['10.0.0.0/8'] });
    expect((await kw.serviceAccounts.list(admin, {})).items.map((a) => a.name)).not.toContain('new');
    const made = await kw.serviceAccounts.create(actor, { ...input, ipAllowlist: ['10.5.0.0/16'] });
    expect(made.account.ipAllowlist).toEqual(['10.5.0.0/16']);
    expect(made.key?.key.ipAllowlist).toBeNull();
  });

  it('update account: refuses a list wider than the restricting one or clearing it, accepts a narrower one', async () => {
    const { kw, actor, etl } = await world({ key: ['10.0.0.0/8'] });
    for (const ipAllowlist of [null, ['10.0.0.0/7']]) {
      const error = await rejection(kw.serviceAccounts.update(actor, { id: etl.id, ipAllowlist }));
      expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    }
    const renamed = await kw.serviceAccounts.update(actor, { id: etl.id, name: 'etl 2' });
    expect(renamed.ipAllowlist).toBeNull();
    const narrowed = await kw.serviceAccounts.update(actor, { id: etl.id, ipAllowlist: ['10.6.0.0/16'] });
    expect(narrowed.ipAllowlist).toEqual(['10.6.0.0/16']);
  });

  it("decides on the acting key's lists as stored when the write runs, not as they were verified", async () => {
    const { kw, actor, actorKey, etl } = await world({ key: ['10.0.0.0/8'] });
    // The principal was verified under 10.0.0.0/8; its key is narrowed afterwards.
    await kw.keys.update(admin, { keyId: actorKey, ipAllowlist: ['10.1.0.0/16'] });
    const error = await rejection(
      kw.keys.issue(actor, { serviceAccountId: etl.id, key: { name: 'k', ipAllowlist: ['10.2.0.0/16'] } }),
    );
    expect(error.code).toBe(ERROR_CODES.IP_ALLOWLIST_WIDER);
    expect(error.details).toEqual({ layer: 'key', allowlist: ['10.1.0.0/16'] });
  });
});

describe('a key may not change the budgets that bind itself', () => {
  it("refuses its own key's rate limits and credits, naming the fields, and writes nothing", async () => {
    const { kw, actor, actorKey } = await world();
    const limits = await rejection(kw.keys.update(actor, { keyId: actorKey, rateLimits: [HOURLY] }));
    expect(limits.code).toBe(ERROR_CODES.OWN_REQUEST_CONTROLS);
    expect(limits.details).toEqual({ fields: ['rateLimits'] });
    const both = await rejection(
      kw.keys.update(actor, { keyId: actorKey, rateLimits: [HOURLY], credits: { remaining: 1e6 } }),
    );
    expect(both.details).toEqual({ fields: ['rateLimits', 'credits'] });
    const unlimited = await rejection(kw.keys.update(actor, { keyId: actorKey, credits: null }));
    expect(unlimited.details).toEqual({ fields: ['credits'] });
    expect(await kw.keys.get(admin, { keyId: actorKey })).toMatchObject({ rateLimits: [], credits: null });
  });

  it('lets it repeat its own rate limits unchanged, and rename itself', async () => {
    const { kw, actor, actorKey } = await world();
    const same = await kw.keys.update(actor, { keyId: actorKey, rateLimits: [], name: 'actor 2' });
    expect(same).toMatchObject({ name: 'actor 2', rateLimits: [] });
  });

  it("refuses its own account's rate limits, but not another account's", async () => {
    const { kw, actor, ops, etl } = await world();
    const own = await rejection(kw.serviceAccounts.update(actor, { id: ops.id, rateLimits: [HOURLY] }));
    expect(own.code).toBe(ERROR_CODES.OWN_REQUEST_CONTROLS);
    expect(own.details).toEqual({ fields: ['rateLimits'] });
    expect((await kw.serviceAccounts.get(admin, { id: ops.id })).rateLimits).toEqual([]);
    const other = await kw.serviceAccounts.update(actor, { id: etl.id, rateLimits: [HOURLY] });
    expect(other.rateLimits).toEqual([HOURLY]);
  });

  it('gives other keys budgets: they are theirs (issue, and update of a sibling key)', async () => {
    const { kw, actor, ops, etl, otherKey } = await world();
    const issued = await kw.keys.issue(actor, {
      serviceAccountId: etl.id,
      key: { name: 'metered', rateLimits: [HOURLY], credits: { remaining: 5 } },
    });
    expect(issued.key).toMatchObject({ rateLimits: [HOURLY], credits: { remaining: 5 } });
    const updated = await kw.keys.update(actor, { keyId: otherKey, credits: { remaining: 9 } });
    expect(updated.credits?.remaining).toBe(9);
    const sibling = await kw.keys.issue(actor, {
      serviceAccountId: ops.id,
      key: { name: 'sibling', credits: { remaining: 1 } },
    });
    expect(sibling.key.credits?.remaining).toBe(1);
  });

  it('binds keys only: a person may change any key or account', async () => {
    const { kw, actorKey, ops } = await world();
    const key = await kw.keys.update(admin, {
      keyId: actorKey,
      credits: { remaining: 3 },
      rateLimits: [HOURLY],
    });
    expect(key).toMatchObject({ credits: { remaining: 3 }, rateLimits: [HOURLY] });
    const account = await kw.serviceAccounts.update(admin, { id: ops.id, rateLimits: [HOURLY] });
    expect(account.rateLimits).toEqual([HOURLY]);
  });
});
