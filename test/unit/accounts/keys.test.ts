import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const DAY = 24 * 3600 * 1000;

async function withAccount(overrides: Parameters<typeof setup>[0] = {}) {
  const fixture = setup(overrides);
  const { account } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
  });
  return { ...fixture, account };
}

describe('keys.issue', () => {
  it('returns the token once and stores only a digest', async () => {
    const { kw, account } = await withAccount();
    const { key, token } = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'ci', environment: 'test' },
    });
    expect(token.startsWith(`acme_${key.id}_`)).toBe(true);
    expect(key).toMatchObject({
      name: 'ci',
      environment: 'test',
      status: 'active',
      scopes: null,
      expiresAt: null,
      lastUsedAt: null,
    });
    expect(key.start).toBe(token.slice(0, key.start.length));
    expect(key.start.length).toBe(`acme_${key.id}_`.length + 4);
    const listed = await kw.keys.get(admin, { keyId: key.id });
    expect(JSON.stringify(listed)).not.toContain(token.slice(key.start.length));
    const audit = JSON.stringify((await kw.audit.list(admin)).items);
    expect(audit).not.toContain(token.slice(key.start.length));
    expect(audit).not.toMatch(/"hash"/);
  });

  it('allows at most maxKeysPerAccount active keys; revoked and expired keys do not count', async () => {
    const { kw, account, clock } = await withAccount();
    const first = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'a', expiresInSeconds: 3600 },
    });
    await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'b' } });
    const error = await rejection(kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'c' } }));
    expect(error.code).toBe(ERROR_CODES.KEY_LIMIT_REACHED);
    expect(error.details).toEqual({ activeKeys: 2, limit: 2 });
    clock.advance(3600 * 1000);
    const third = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'c' } });
    await kw.keys.revoke(admin, { keyId: third.key.id });
    await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'd' } });
    const statuses = (await kw.keys.list(admin, { serviceAccountId: account.id })).items.map((key) => [
      key.name,
      key.status,
    ]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['a', 'expired'],
        ['b', 'active'],
        ['c', 'revoked'],
        ['d', 'active'],
      ]),
    );
    expect(first.key.expiresAt?.getTime()).toBe(Date.UTC(2026, 0, 1) + 3600 * 1000);
  });

  it('keeps the limit under 50 concurrent issues', async () => {
    const { kw, account } = await withAccount();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: `k${i}` } }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect((await kw.keys.list(admin, { serviceAccountId: account.id })).items).toHaveLength(2);
  });

  it('applies minKeyTtl / maxKeyTtl, defaulting to maxKeyTtl, and refuses the past', async () => {
    const { kw, account, clock } = await withAccount({
      minKeyTtl: 3600,
      maxKeyTtl: 90 * 86400,
      maxKeysPerAccount: 10,
    });
    const defaulted = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'd' } });
    expect(defaulted.key.expiresAt?.getTime()).toBe(clock.now + 90 * DAY);
    for (const key of [
      { name: 'short', expiresInSeconds: 60 },
      { name: 'long', expiresInSeconds: 91 * 86400 },
      { name: 'past', expiresAt: new Date(clock.now - 1000) },
    ]) {
      expect((await rejection(kw.keys.issue(admin, { serviceAccountId: account.id, key }))).code).toBe(
        ERROR_CODES.INVALID_EXPIRY,
      );
    }
    const iso = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'iso', expiresAt: new Date(clock.now + 2 * DAY).toISOString() as never },
    });
    expect(iso.key.expiresAt?.getTime()).toBe(clock.now + 2 * DAY);
  });

  it('refuses unknown scopes and scopes above the actor, naming the difference', async () => {
    const { kw, account } = await withAccount();
    const unknown = await rejection(
      kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'x', scopes: ['rockets:launch'] } }),
    );
    expect(unknown.code).toBe(ERROR_CODES.INVALID_INPUT);
    const keyManager: UserActor = {
      type: 'user',
      id: 'u_km',
      tenantId: TENANT,
      permissions: ['api_keys:manage', 'service_accounts:read', 'datasets:read'],
    };
    const above = await rejection(
      kw.keys.issue(keyManager, {
        serviceAccountId: account.id,
        key: { name: 'x', scopes: ['datasets:read', 'datasets:write'] },
      }),
    );
    expect(above.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(above.details.exceeding).toEqual(['datasets:write']);
    const narrowed = await kw.keys.issue(keyManager, {
      serviceAccountId: account.id,
      key: { name: 'ok', scopes: ['datasets:read'] },
    });
    expect(narrowed.key.scopes).toEqual(['datasets:read']);
  });

  it('refuses keys for a disabled account', async () => {
    const { kw, account } = await withAccount();
    await kw.serviceAccounts.disable(admin, { id: account.id });
    expect(
      (await rejection(kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'x' } }))).code,
    ).toBe(ERROR_CODES.INVALID_STATE);
  });
});

describe('keys.regenerate and revoke', () => {
  it('regenerate keeps the key id and invalidates the old secret at once by default', async () => {
    const { kw, account } = await withAccount();
    const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k' } });
    const rotated = await kw.keys.regenerate(admin, { keyId: issued.key.id });
    expect(rotated.key.id).toBe(issued.key.id);
    expect(rotated.token).not.toBe(issued.token);
    const request = { action: 'datasets:read', resource: dataset('d_1') };
    expect(await kw.verify(issued.token, request)).toMatchObject({ ok: false, code: 'invalid_secret' });
    expect(await kw.verify(rotated.token, request)).toMatchObject({ ok: true });
  });

  it('keeps the old secret for the grace period, never past the key expiry', async () => {
    const { kw, account, clock } = await withAccount();
    const issued = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'k', expiresInSeconds: 1800 },
    });
    const rotated = await kw.keys.regenerate(admin, { keyId: issued.key.id, gracePeriodSeconds: 3600 });
    expect(rotated.key.previousSecretActive).toBe(true);
    expect(rotated.key.previousHashExpiresAt?.getTime()).toBe(issued.key.expiresAt?.getTime());
    const request = { action: 'datasets:read', resource: dataset('d_1') };
    expect((await kw.verify(issued.token, request)).ok).toBe(true);
    clock.advance(1799 * 1000);
    expect((await kw.verify(issued.token, request)).ok).toBe(true);
    clock.advance(1000);
    expect(await kw.verify(issued.token, request)).toMatchObject({ ok: false });
    expect(await kw.verify(rotated.token, request)).toMatchObject({ ok: false, code: 'key_expired' });
  });

  it('revoke stops the key and its grace secret at once; revoking again changes nothing', async () => {
    const { kw, account } = await withAccount();
    const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k' } });
    const rotated = await kw.keys.regenerate(admin, { keyId: issued.key.id, gracePeriodSeconds: 600 });
    const revoked = await kw.keys.revoke(admin, { keyId: issued.key.id });
    expect(revoked.status).toBe('revoked');
    const request = { action: 'datasets:read', resource: dataset('d_1') };
    expect(await kw.verify(rotated.token, request)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect(await kw.verify(issued.token, request)).toMatchObject({ ok: false, code: 'invalid_secret' });
    const again = await kw.keys.revoke(admin, { keyId: issued.key.id });
    expect(again).toEqual(revoked);
    const revokes = (await kw.audit.list(admin, { action: 'api_key.revoke' })).items;
    expect(revokes).toHaveLength(1);
    expect((await rejection(kw.keys.regenerate(admin, { keyId: issued.key.id }))).code).toBe(
      ERROR_CODES.INVALID_STATE,
    );
  });

  it('refuses to hand a key secret to an actor with fewer rights than the key', async () => {
    const { kw, account } = await withAccount();
    const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k' } });
    const keyManager: UserActor = {
      type: 'user',
      id: 'u_km',
      tenantId: TENANT,
      permissions: ['api_keys:manage', 'datasets:read'],
    };
    const error = await rejection(kw.keys.regenerate(keyManager, { keyId: issued.key.id }));
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
  });

  it('answers NOT_FOUND for keys of another tenant', async () => {
    const { kw, account } = await withAccount();
    const issued = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'k' } });
    const outsider: UserActor = { type: 'user', id: 'u_x', tenantId: 't_other', permissions: ['*'] };
    for (const call of [
      kw.keys.get(outsider, { keyId: issued.key.id }),
      kw.keys.revoke(outsider, { keyId: issued.key.id }),
      kw.keys.regenerate(outsider, { keyId: issued.key.id }),
    ]) {
      expect((await rejection(call)).code).toBe(ERROR_CODES.NOT_FOUND);
    }
    expect((await kw.verify(issued.token, { action: 'datasets:read', resource: dataset('d_1') })).ok).toBe(
      true,
    );
  });
});
