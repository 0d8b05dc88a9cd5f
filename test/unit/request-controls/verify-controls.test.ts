/**
 * The request controls inside `kw.verify`, in their order (status -> IP -> policy -> rate limits ->
 * credits), each refusing without spending what a later one would: records are changed straight
 * through storage so these tests hold whatever the management inputs do.
 */
import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { KeyCredits, RateLimitRule, VerifyResult } from '../../../src/index.js';
import type { RateLimiter } from '../../../src/request-controls/rate-limiter.js';
import type { StorageAdapter } from '../../../src/storage/storage-adapter.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';

/** `ok` or the failure code: one value to compare. */
const codeOf = (result: VerifyResult) => (result.ok ? 'ok' : result.code);

const READ = { action: 'datasets:read', resource: dataset('d_1') } as const;
const MINUTE = 60_000;

/** keyward over a memory adapter we can reach, with one account and one key. */
async function world(overrides: Parameters<typeof setup>[0] = {}) {
  const storage = overrides.storage ?? memoryAdapter();
  const { kw, clock } = setup({ ...overrides, storage });
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'ETL',
    roles: ['analyst'],
    firstKey: { name: 'first' },
  });
  if (key === undefined) throw new Error('no first key');
  const keyId = key.key.id;
  return {
    kw,
    clock,
    storage,
    token: key.token,
    keyId,
    accountId: account.id,
    /** Writes fields of the stored key (not credits). */
    async setKey(fields: { ipAllowlist?: string[] | null; rateLimits?: RateLimitRule[] }) {
      const stored = await storage.findKey({ tenantId: TENANT, keyId });
      if (stored === null) throw new Error('key gone');
      await storage.updateKey({ key: { ...stored, ...fields, updatedAt: new Date(clock.now + 1) } });
    },
    async setAccount(fields: { ipAllowlist?: string[] | null; rateLimits?: RateLimitRule[] }) {
      const stored = await storage.findServiceAccount({ tenantId: TENANT, id: account.id });
      if (stored === null) throw new Error('account gone');
      await storage.updateServiceAccount({
        account: { ...stored, ...fields, version: stored.version + 1, updatedAt: new Date(clock.now + 1) },
        expectedVersion: stored.version,
      });
    },
    async setCredits(credits: KeyCredits | null) {
      await storage.setKeyCredits({ tenantId: TENANT, keyId, credits });
    },
  };
}

/** A storage adapter that counts the request path's reads and credit spends. */
function counting(storage: StorageAdapter) {
  const calls = { reads: 0, spends: 0 };
  const wrapped = new Proxy(storage, {
    get(target, property, receiver) {
      if (property === 'findKeyForVerification') calls.reads++;
      if (property === 'spendCredits') calls.spends++;
      return Reflect.get(target, property, receiver);
    },
  });
  return { storage: wrapped, calls };
}

describe('IP allowlists in verify', () => {
  it('refuses an address outside the account list, naming the account layer, and admits one inside', async () => {
    const w = await world();
    await w.setAccount({ ipAllowlist: ['203.0.113.0/24'] });
    expect(await w.kw.verify(w.token, { ...READ, ip: '198.51.100.1' })).toMatchObject({
      ok: false,
      code: 'ip_not_allowed',
      layer: 'account',
    });
    expect((await w.kw.verify(w.token, { ...READ, ip: '203.0.113.9' })).ok).toBe(true);
    // Node's dual-stack form of an IPv4 client matches the IPv4 block.
    expect((await w.kw.verify(w.token, { ...READ, ip: '::ffff:203.0.113.9' })).ok).toBe(true);
  });

  it("narrows the account list with the key's own: an address must pass both", async () => {
    const w = await world();
    await w.setAccount({ ipAllowlist: ['203.0.113.0/24'] });
    await w.setKey({ ipAllowlist: ['203.0.113.128/25'] });
    expect(await w.kw.verify(w.token, { ...READ, ip: '203.0.113.9' })).toMatchObject({
      code: 'ip_not_allowed',
      layer: 'key',
    });
    expect((await w.kw.verify(w.token, { ...READ, ip: '203.0.113.200' })).ok).toBe(true);
  });

  it('fails closed without a client address, and answers a dead key as dead before its address', async () => {
    const w = await world();
    await w.setKey({ ipAllowlist: ['2001:db8::/32'] });
    expect(await w.kw.verify(w.token, READ)).toMatchObject({ code: 'ip_not_allowed', layer: 'key' });
    expect((await w.kw.verify(w.token, { ...READ, ip: '2001:db8::1' })).ok).toBe(true);
    await w.kw.keys.revoke(admin, { keyId: w.keyId });
    expect(codeOf(await w.kw.verify(w.token, { ...READ, ip: '192.0.2.1' }))).toBe('key_revoked');
  });
});

describe('rate limits in verify', () => {
  it('takes from the key limit, reports its state, refuses when spent with the wait, and refills over time', async () => {
    const w = await world();
    await w.setKey({ rateLimits: [{ name: 'default', limit: 2, windowMs: MINUTE }] });
    const first = await w.kw.verify(w.token, READ);
    expect(first.ok && first.rateLimits).toEqual([
      { name: 'default', scope: 'key', limit: 2, windowMs: MINUTE, remaining: 1, resetMs: 30_000 },
    ]);
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
    expect(await w.kw.verify(w.token, READ)).toMatchObject({
      ok: false,
      code: 'rate_limited',
      retryAfterMs: 30_000,
    });
    w.clock.advance(30_000);
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
  });

  it('applies host defaults to keys without a limit of that name, and lets a key override one', async () => {
    const limits = { defaults: [{ name: 'default', limit: 1, windowMs: MINUTE }] };
    const w = await world({ rateLimits: limits });
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
    expect(codeOf(await w.kw.verify(w.token, READ))).toBe('rate_limited');
    await w.setKey({ rateLimits: [{ name: 'default', limit: 5, windowMs: MINUTE }] });
    // Same name, same bucket: the key's own limit takes over the spent bucket, refilling at its own rate.
    w.clock.advance(MINUTE);
    const raised = await w.kw.verify(w.token, READ);
    expect(raised.ok && raised.rateLimits?.map((s) => [s.scope, s.limit, s.remaining])).toEqual([
      ['key', 5, 4],
    ]);
  });

  it('counts an account limit over all its keys, and takes from every limit or from none', async () => {
    const w = await world({ maxKeysPerAccount: 3 });
    await w.setAccount({ rateLimits: [{ name: 'default', limit: 3, windowMs: MINUTE }] });
    await w.setKey({ rateLimits: [{ name: 'own', limit: 1, windowMs: MINUTE }] });
    const second = await w.kw.keys.issue(admin, { serviceAccountId: w.accountId, key: { name: 'second' } });
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
    // The first key's own limit is spent: its refusal takes nothing from the account's.
    expect(codeOf(await w.kw.verify(w.token, READ))).toBe('rate_limited');
    expect(codeOf(await w.kw.verify(w.token, READ))).toBe('rate_limited');
    const a = await w.kw.verify(second.token, READ);
    const b = await w.kw.verify(second.token, READ);
    expect([a.ok, b.ok]).toEqual([true, true]);
    expect(await w.kw.verify(second.token, READ)).toMatchObject({ code: 'rate_limited' });
  });

  it('takes nothing for a request the policy refuses', async () => {
    const w = await world();
    await w.setKey({ rateLimits: [{ name: 'default', limit: 1, windowMs: MINUTE }] });
    expect((await w.kw.verify(w.token, { ...READ, action: 'datasets:delete' })).ok).toBe(false);
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
  });

  it('refuses (fail closed) when the limiter cannot be reached', async () => {
    const broken: RateLimiter = {
      name: 'broken',
      take: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const w = await world({ rateLimits: { limiter: broken } });
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
    await w.setKey({ rateLimits: [{ name: 'default', limit: 10, windowMs: MINUTE }] });
    expect(codeOf(await w.kw.verify(w.token, READ))).toBe('storage_unavailable');
  });
});

describe('usage credits in verify', () => {
  it('spends the cost of allowed requests only, reports the balance, and refuses usage_exceeded when short', async () => {
    const counted = counting(memoryAdapter());
    const w = await world({ storage: counted.storage });
    await w.setCredits({ remaining: 3, refill: null, refilledAt: null });
    const first = await w.kw.verify(w.token, READ);
    expect(first.ok && first.credits).toEqual({ remaining: 2 });
    expect((await w.kw.verify(w.token, { ...READ, action: 'datasets:delete' })).ok).toBe(false);
    expect(await w.kw.verify(w.token, { ...READ, cost: 3 })).toMatchObject({
      code: 'usage_exceeded',
      retryAfterMs: null,
    });
    expect((await w.kw.verify(w.token, { ...READ, cost: 0 })).ok).toBe(true);
    const last = await w.kw.verify(w.token, { ...READ, cost: 2 });
    expect(last.ok && last.credits).toEqual({ remaining: 0 });
    // One spend per allowed request with a cost: the refused and the free ones wrote nothing.
    expect(counted.calls.spends).toBe(3);
    expect((await w.kw.keys.get(admin, { keyId: w.keyId })).credits?.remaining).toBe(0);
  });

  it('tells when the next refill comes, and refills by setting the balance', async () => {
    const w = await world();
    await w.setCredits({
      remaining: 0,
      refill: { amount: 2, intervalMs: 3_600_000 },
      refilledAt: new Date(w.clock.now),
    });
    expect(await w.kw.verify(w.token, READ)).toMatchObject({
      code: 'usage_exceeded',
      retryAfterMs: 3_600_000,
    });
    w.clock.advance(3 * 3_600_000 + 5);
    const refilled = await w.kw.verify(w.token, READ);
    expect(refilled.ok && refilled.credits).toEqual({ remaining: 1 });
  });

  it('spends no credit on a request a rate limit refuses, and refuses a bad cost', async () => {
    const w = await world();
    await w.setCredits({ remaining: 5, refill: null, refilledAt: null });
    await w.setKey({ rateLimits: [{ name: 'default', limit: 1, windowMs: MINUTE }] });
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
    expect(codeOf(await w.kw.verify(w.token, READ))).toBe('rate_limited');
    expect((await w.kw.keys.get(admin, { keyId: w.keyId })).credits?.remaining).toBe(4);
    w.clock.advance(MINUTE);
    expect(codeOf(await w.kw.verify(w.token, { ...READ, cost: -1 }))).toBe('evaluation_error');
    expect(codeOf(await w.kw.verify(w.token, { ...READ, cost: 1.5 }))).toBe('evaluation_error');
  });
});

describe('the failed-verification throttle of the core', () => {
  it('is off by default: failures never turn into 429s', async () => {
    const w = await world();
    for (let i = 0; i < 50; i++) {
      expect(codeOf(await w.kw.verify(`${w.token}x`, { ...READ, ip: '192.0.2.1' }))).not.toBe(
        'too_many_failures',
      );
    }
  });

  it('when on, refuses an address that spent its budget before reading storage, per address and per IPv6 /64', async () => {
    const counted = counting(memoryAdapter());
    const w = await world({
      storage: counted.storage,
      failedVerificationThrottle: { limit: 3, windowMs: MINUTE },
    });
    const forged = `${w.token.slice(0, -4)}AAAA`;
    for (let i = 0; i < 3; i++)
      expect((await w.kw.verify(forged, { ...READ, ip: '2001:db8:1:2::7' })).ok).toBe(false);
    const reads = counted.calls.reads;
    const refused = await w.kw.verify(w.token, { ...READ, ip: '2001:db8:1:2::99' });
    expect(refused).toMatchObject({ code: 'too_many_failures' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBe(20_000);
    expect(counted.calls.reads).toBe(reads);
    // Another /64, another IPv4 address, and a request without an address are not throttled.
    expect((await w.kw.verify(w.token, { ...READ, ip: '2001:db8:1:3::7' })).ok).toBe(true);
    expect((await w.kw.verify(w.token, { ...READ, ip: '192.0.2.1' })).ok).toBe(true);
    expect((await w.kw.verify(w.token, READ)).ok).toBe(true);
  });
});

describe('onVerify and refusal counts', () => {
  it('tells onVerify of every result (never the token), and a throwing hook changes nothing', async () => {
    const seen: unknown[] = [];
    const errors: unknown[] = [];
    const w = await world({
      onVerify: (result, request) => {
        seen.push([result.ok ? 'ok' : result.code, request.ip]);
        throw new Error('hook bug');
      },
      onBackgroundError: (error) => errors.push(error),
    });
    expect((await w.kw.verify(w.token, { ...READ, ip: '192.0.2.1' })).ok).toBe(true);
    expect(codeOf(await w.kw.verify('garbage', READ))).toBe('malformed_token');
    expect(seen).toEqual([
      ['ok', '192.0.2.1'],
      ['malformed_token', undefined],
    ]);
    expect(errors).toHaveLength(2);
    expect(JSON.stringify(seen)).not.toContain(w.token);
  });

  it('writes refused verifications of a key as one audit event per reason with the count and the span', async () => {
    const w = await world();
    await w.setKey({ ipAllowlist: ['203.0.113.0/24'] });
    const start = w.clock.now;
    for (let i = 0; i < 3; i++) {
      await w.kw.verify(w.token, { ...READ, ip: '192.0.2.1' });
      w.clock.advance(1000);
    }
    // The secret a regeneration replaced is a wrong secret for a known key.
    await w.kw.keys.regenerate(admin, { keyId: w.keyId });
    await w.kw.verify(w.token, READ);
    await w.kw.flush();
    const page = await w.kw.audit.list(admin, { action: 'api_key.refused', targetId: w.keyId });
    const byReason = Object.fromEntries(page.items.map((event) => [event.reason, event.after]));
    expect(byReason).toEqual({
      ip_not_allowed: {
        count: 3,
        firstAt: new Date(start).toISOString(),
        lastAt: new Date(start + 2000).toISOString(),
      },
      invalid_secret: {
        count: 1,
        firstAt: new Date(start + 3000).toISOString(),
        lastAt: new Date(start + 3000).toISOString(),
      },
    });
    expect(page.items.every((event) => event.actor.type === 'key' && event.outcome === 'denied')).toBe(true);
  });
});
