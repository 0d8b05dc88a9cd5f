import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type KeywardEvent } from '../../../src/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const DAY = 86_400_000;
const HOURLY = { name: 'hourly', limit: 1000, windowMs: 3_600_000 };

/** An account with one key, over a fresh instance that records its events. */
async function world(overrides: Parameters<typeof setup>[0] = {}) {
  const events: KeywardEvent[] = [];
  const fixture = setup({ onEvent: (event) => void events.push(event), ...overrides });
  const { account } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'etl',
    roles: ['analyst'],
  });
  const issued = await fixture.kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'ci' } });
  return { ...fixture, events, account, keyId: issued.key.id };
}

describe('request controls on service accounts', () => {
  it('create stores the allowlist normalised and the rate limits; get, list and the audit show them', async () => {
    const { kw } = setup();
    const { account } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['analyst'],
      ipAllowlist: ['10.0.0.7', '2001:DB8::/32'],
      rateLimits: [HOURLY],
    });
    expect(account).toMatchObject({ ipAllowlist: ['10.0.0.7/32', '2001:db8::/32'], rateLimits: [HOURLY] });
    expect(await kw.serviceAccounts.get(admin, { id: account.id })).toMatchObject({
      ipAllowlist: ['10.0.0.7/32', '2001:db8::/32'],
      rateLimits: [HOURLY],
    });
    const [listed] = (await kw.serviceAccounts.list(admin, {})).items;
    expect(listed?.ipAllowlist).toEqual(['10.0.0.7/32', '2001:db8::/32']);
    const [created] = (await kw.audit.list(admin, { action: 'service_account.create' })).items;
    expect(created?.after).toMatchObject({
      ipAllowlist: ['10.0.0.7/32', '2001:db8::/32'],
      rateLimits: [HOURLY],
    });
  });

  it('an account created without them has none', async () => {
    const { account } = await world();
    expect(account).toMatchObject({ ipAllowlist: null, rateLimits: [] });
  });

  it('update replaces the allowlist and rate limits, null and [] clear them, audited before and after', async () => {
    const { kw, account } = await world();
    const set = await kw.serviceAccounts.update(admin, {
      id: account.id,
      ipAllowlist: ['203.0.113.0/24'],
      rateLimits: [HOURLY],
    });
    expect(set).toMatchObject({ ipAllowlist: ['203.0.113.0/24'], rateLimits: [HOURLY], version: 2 });
    const cleared = await kw.serviceAccounts.update(admin, {
      id: account.id,
      ipAllowlist: null,
      rateLimits: [],
    });
    expect(cleared).toMatchObject({ ipAllowlist: null, rateLimits: [], version: 3 });
    const [last] = (await kw.audit.list(admin, { action: 'service_account.update' })).items;
    expect(last).toMatchObject({
      before: { ipAllowlist: ['203.0.113.0/24'], rateLimits: [HOURLY] },
      after: { ipAllowlist: null, rateLimits: [] },
    });
  });
});

describe('request controls on keys', () => {
  it('issue stores the allowlist, rate limits and credits, whose refill interval starts now', async () => {
    const { kw, clock, account } = await world();
    const issued = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: {
        name: 'metered',
        ipAllowlist: ['10.1.0.0/16'],
        rateLimits: [HOURLY],
        credits: { remaining: 500, refill: { amount: 500, intervalMs: DAY } },
      },
    });
    const expected = {
      ipAllowlist: ['10.1.0.0/16'],
      rateLimits: [HOURLY],
      credits: { remaining: 500, refill: { amount: 500, intervalMs: DAY }, refilledAt: new Date(clock.now) },
    };
    expect(issued.key).toMatchObject(expected);
    expect(await kw.keys.get(admin, { keyId: issued.key.id })).toMatchObject(expected);
    const [audited] = (await kw.audit.list(admin, { action: 'api_key.issue' })).items;
    expect(audited?.after).toMatchObject({
      credits: {
        remaining: 500,
        refill: { amount: 500, intervalMs: DAY },
        refilledAt: new Date(clock.now).toISOString(),
      },
    });
  });

  it('credits without a refill never start an interval; a key without credits is unlimited', async () => {
    const { kw, account, keyId } = await world();
    const once = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'once', credits: { remaining: 3 } },
    });
    expect(once.key.credits).toEqual({ remaining: 3, refill: null, refilledAt: null });
    expect(await kw.keys.get(admin, { keyId })).toMatchObject({
      credits: null,
      ipAllowlist: null,
      rateLimits: [],
    });
  });

  it('a first key takes them too', async () => {
    const { kw } = setup();
    const created = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['analyst'],
      firstKey: { name: 'ci', ipAllowlist: ['10.0.0.0/8'], credits: { remaining: 7 } },
    });
    expect(created.key?.key).toMatchObject({ ipAllowlist: ['10.0.0.0/8'], credits: { remaining: 7 } });
  });

  it('update sets credits in the same transaction, moves updatedAt and audits the change', async () => {
    const { kw, clock, keyId, events } = await world();
    const before = await kw.keys.get(admin, { keyId });
    clock.advance(1000);
    const updated = await kw.keys.update(admin, {
      keyId,
      credits: { remaining: 10, refill: { amount: 20, intervalMs: 60_000 } },
    });
    const credits = {
      remaining: 10,
      refill: { amount: 20, intervalMs: 60_000 },
      refilledAt: new Date(clock.now),
    };
    expect(updated.credits).toEqual(credits);
    expect(updated.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    expect((await kw.keys.get(admin, { keyId })).credits).toEqual(credits);
    const [audited] = (await kw.audit.list(admin, { action: 'api_key.update' })).items;
    expect(audited).toMatchObject({
      before: { credits: null },
      after: { credits: { ...credits, refilledAt: credits.refilledAt.toISOString() } },
    });
    expect(events.at(-1)).toMatchObject({ type: 'key.updated', key: { credits } });
    const unlimited = await kw.keys.update(admin, { keyId, credits: null });
    expect(unlimited.credits).toBeNull();
  });

  it('setting the same credits again restarts the refill interval: it is always a change', async () => {
    const { kw, clock, keyId } = await world();
    const credits = { remaining: 10, refill: { amount: 10, intervalMs: 60_000 } };
    await kw.keys.update(admin, { keyId, credits });
    clock.advance(30_000);
    const again = await kw.keys.update(admin, { keyId, credits });
    expect(again.credits?.refilledAt).toEqual(new Date(clock.now));
    expect((await kw.audit.list(admin, { action: 'api_key.update' })).items).toHaveLength(2);
  });

  it('update replaces or clears the allowlist and rate limits; the same values again write nothing', async () => {
    const { kw, keyId } = await world();
    const set = await kw.keys.update(admin, { keyId, ipAllowlist: ['2001:DB8::/48'], rateLimits: [HOURLY] });
    expect(set).toMatchObject({ ipAllowlist: ['2001:db8::/48'], rateLimits: [HOURLY] });
    const same = await kw.keys.update(admin, {
      keyId,
      ipAllowlist: ['2001:db8:0::/48'],
      rateLimits: [HOURLY],
    });
    expect(same).toEqual(set);
    expect((await kw.audit.list(admin, { action: 'api_key.update' })).items).toHaveLength(1);
    const cleared = await kw.keys.update(admin, { keyId, ipAllowlist: null, rateLimits: [] });
    expect(cleared).toMatchObject({ ipAllowlist: null, rateLimits: [] });
  });

  it('a revoked key takes no new credits', async () => {
    const { kw, keyId } = await world();
    await kw.keys.revoke(admin, { keyId });
    const error = await rejection(kw.keys.update(admin, { keyId, credits: { remaining: 1 } }));
    expect(error.code).toBe(ERROR_CODES.INVALID_STATE);
    expect((await kw.keys.get(admin, { keyId })).credits).toBeNull();
  });
});

describe("the host's IP allowlist limits, checked when a list is saved", () => {
  it('refuses more than maxEntries blocks at the list', async () => {
    const { kw, keyId } = await world({ ipAllowlists: { maxEntries: 2 } });
    const error = await rejection(
      kw.keys.update(admin, { keyId, ipAllowlist: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'] }),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(error.issues).toEqual([expect.objectContaining({ path: ['ipAllowlist'], code: 'too_big' })]);
    expect(await kw.keys.update(admin, { keyId, ipAllowlist: ['10.0.0.0/24', '10.0.1.0/24'] })).toMatchObject(
      {
        ipAllowlist: ['10.0.0.0/24', '10.0.1.0/24'],
      },
    );
  });

  it('refuses an any-address block at its index, saying why, on every write path', async () => {
    const { kw, account, keyId } = await world();
    const onKey = await rejection(kw.keys.update(admin, { keyId, ipAllowlist: ['10.0.0.0/8', '::/0'] }));
    expect(onKey.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(onKey.issues).toHaveLength(1);
    expect(onKey.issues[0]?.path).toEqual(['ipAllowlist', 1]);
    expect(onKey.issues[0]?.message).toContain('::/0 matches every IPv6 address, so it restricts nothing');
    const onIssue = await rejection(
      kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k', ipAllowlist: ['0.0.0.0/0'] } }),
    );
    expect(onIssue.issues[0]?.path).toEqual(['key', 'ipAllowlist', 0]);
    const onAccount = await rejection(
      kw.serviceAccounts.update(admin, { id: account.id, ipAllowlist: ['0.0.0.0/0'] }),
    );
    expect(onAccount.issues[0]?.path).toEqual(['ipAllowlist', 0]);
    const onCreate = await rejection(
      kw.serviceAccounts.create(admin, {
        workspaceId: 'w_sales',
        name: 'x',
        roles: ['analyst'],
        firstKey: { name: 'k', ipAllowlist: ['0.0.0.0/0'] },
      }),
    );
    expect(onCreate.issues[0]?.path).toEqual(['firstKey', 'ipAllowlist', 0]);
  });

  it('accepts an any-address block when the host allows it', async () => {
    const { kw, keyId } = await world({ ipAllowlists: { allowAnyAddress: true } });
    const updated = await kw.keys.update(admin, { keyId, ipAllowlist: ['0.0.0.0/0'] });
    expect(updated.ipAllowlist).toEqual(['0.0.0.0/0']);
  });
});
