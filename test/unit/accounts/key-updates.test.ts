import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type KeywardEvent, type UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const DAY = 24 * 3600 * 1000;

/** An account (analyst in w_sales) with one key, over a fresh instance. */
async function withKey(overrides: Parameters<typeof setup>[0] = {}, key: Record<string, unknown> = {}) {
  const events: KeywardEvent[] = [];
  const fixture = setup({ onEvent: (event) => void events.push(event), ...overrides });
  const { account } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
  });
  const issued = await fixture.kw.keys.issue(admin, {
    serviceAccountId: account.id,
    key: { name: 'ci', ...key },
  });
  return { ...fixture, account, events, keyId: issued.key.id, token: issued.token };
}

/** A person who manages keys and reads data, but may not write it. */
const reader: UserActor = {
  type: 'user',
  id: 'u_reader',
  tenantId: TENANT,
  permissions: ['api_keys:manage', 'service_accounts:read', 'datasets:read'],
};

describe('keys.update', () => {
  it('renames a key and replaces its metadata, audited with before and after, as key.updated', async () => {
    const { kw, clock, keyId, events } = await withKey();
    clock.advance(1000);
    const updated = await kw.keys.update(admin, { keyId, name: 'ci (prod)', metadata: { team: 'data' } });
    expect(updated).toMatchObject({ name: 'ci (prod)', metadata: { team: 'data' }, status: 'active' });
    expect(updated.updatedAt.getTime()).toBe(clock.now);
    const [event] = (await kw.audit.list(admin, { action: 'api_key.update' })).items;
    expect(event).toMatchObject({
      target: { type: 'api_key', id: keyId },
      before: { name: 'ci', metadata: {} },
      after: { name: 'ci (prod)', metadata: { team: 'data' } },
    });
    expect(events.at(-1)).toMatchObject({ type: 'key.updated', action: 'api_key.update', key: updated });
  });

  it('an update that changes nothing writes nothing and records no event', async () => {
    const { kw, keyId, events } = await withKey();
    const before = await kw.keys.get(admin, { keyId });
    const same = await kw.keys.update(admin, { keyId, name: 'ci' });
    expect(same).toEqual(before);
    expect((await kw.audit.list(admin, { action: 'api_key.update' })).items).toHaveLength(0);
    expect(events.map((event) => event.type)).not.toContain('key.updated');
  });

  it('refuses an input with nothing to update, both expiry forms, or an unknown member', async () => {
    const { kw, keyId } = await withKey();
    for (const input of [
      { keyId },
      { keyId, expectedUpdatedAt: new Date() },
      { keyId, expiresAt: new Date(Date.UTC(2026, 0, 2)), expiresInSeconds: 60 },
      { keyId, name: 'x', status: 'revoked' },
      { keyId, metadata: { secret: { nested: true } } },
    ]) {
      expect((await rejection(kw.keys.update(admin, input as never))).code).toBe(ERROR_CODES.INVALID_INPUT);
    }
    const nothing = await rejection(kw.keys.update(admin, { keyId }));
    expect(nothing.issues.map((issue) => issue.message)).toEqual(['Nothing to update']);
  });

  it('adds an expiry to a key without one, and shortens it, but never lengthens it', async () => {
    const { kw, clock, keyId } = await withKey();
    const added = await kw.keys.update(admin, { keyId, expiresInSeconds: 7 * 86400 });
    expect(added.expiresAt?.getTime()).toBe(clock.now + 7 * DAY);
    const shortened = await kw.keys.update(admin, {
      keyId,
      expiresAt: new Date(clock.now + 2 * DAY).toISOString(),
    });
    expect(shortened.expiresAt?.getTime()).toBe(clock.now + 2 * DAY);
    const longer = await rejection(kw.keys.update(admin, { keyId, expiresInSeconds: 3 * 86400 }));
    expect(longer.code).toBe(ERROR_CODES.INVALID_EXPIRY);
    expect(longer.message).toMatch(/never past the current/);
    const past = await rejection(kw.keys.update(admin, { keyId, expiresAt: new Date(clock.now - 1) }));
    expect([past.code, past.message]).toEqual([ERROR_CODES.INVALID_EXPIRY, 'Expiry must be in the future']);
    expect((await kw.keys.get(admin, { keyId })).expiresAt?.getTime()).toBe(clock.now + 2 * DAY);
  });

  it('holds a new expiry within minKeyTtl and maxKeyTtl from now', async () => {
    const { kw, keyId } = await withKey(
      { minKeyTtl: 3600, maxKeyTtl: 30 * 86400 },
      { expiresInSeconds: 86400 },
    );
    const tooSoon = await rejection(kw.keys.update(admin, { keyId, expiresInSeconds: 60 }));
    expect([tooSoon.code, tooSoon.message]).toEqual([
      ERROR_CODES.INVALID_EXPIRY,
      'Key lifetime must be at least 3600 s',
    ]);
    const unbounded = await withKey({ maxKeyTtl: 30 * 86400 });
    const { kw: kw2, keyId: key2 } = unbounded;
    const tooLong = await rejection(kw2.keys.update(admin, { keyId: key2, expiresInSeconds: 31 * 86400 }));
    expect([tooLong.code, tooLong.message]).toEqual([
      ERROR_CODES.INVALID_EXPIRY,
      'Key lifetime must be at most 2592000 s',
    ]);
  });

  it('narrows the scopes of a key, which then verifies only within them', async () => {
    const { kw, keyId, token } = await withKey();
    const narrowed = await kw.keys.update(reader, { keyId, scopes: ['datasets:read'] });
    expect(narrowed.scopes).toEqual(['datasets:read']);
    expect((await kw.verify(token, { action: 'datasets:read', resource: dataset('d_1') })).ok).toBe(true);
    expect(await kw.verify(token, { action: 'datasets:write', resource: dataset('d_1') })).toMatchObject({
      ok: false,
      decision: { reason: 'not_granted' },
    });
  });

  it('refuses scopes that widen the key, naming what they add, even for an actor who holds it', async () => {
    const { kw, keyId } = await withKey({}, { scopes: ['datasets:read'] });
    const widened = await rejection(kw.keys.update(admin, { keyId, scopes: ['datasets:*'] }));
    expect(widened.code).toBe(ERROR_CODES.INVALID_INPUT);
    expect(widened.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['scopes'], "Not in the key's current scopes: datasets:delete"],
      [['scopes'], "Not in the key's current scopes: datasets:write"],
    ]);
    expect((await kw.keys.get(admin, { keyId })).scopes).toEqual(['datasets:read']);
  });

  it('refuses scopes widening a key whose account does not grant them today', async () => {
    const { kw, account, keyId } = await withKey({}, { scopes: ['datasets:read'] });
    await kw.serviceAccounts.update(admin, { id: account.id, readOnly: true });
    const widened = await rejection(
      kw.keys.update(admin, { keyId, scopes: ['datasets:read', 'datasets:write'] }),
    );
    expect(widened.code).toBe(ERROR_CODES.INVALID_INPUT);
  });

  it('refuses unknown scopes at the scopes member', async () => {
    const { kw, keyId } = await withKey();
    const unknown = await rejection(kw.keys.update(admin, { keyId, scopes: ['rockets:launch'] }));
    expect([unknown.code, unknown.issues[0]?.path]).toEqual([ERROR_CODES.INVALID_INPUT, ['scopes']]);
  });

  it('refuses narrowing by an actor who does not hold what the key keeps, naming the difference', async () => {
    const { kw, keyId } = await withKey();
    const above = await rejection(
      kw.keys.update(reader, { keyId, scopes: ['datasets:read', 'datasets:write'] }),
    );
    expect(above.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(above.details).toEqual({ exceeding: ['datasets:write'], datasets: [] });
    // Renaming gives nothing: the same actor may do it.
    expect((await kw.keys.update(reader, { keyId, name: 'renamed' })).name).toBe('renamed');
  });

  it('needs api_keys:manage on the key workspace, and audits the refusal', async () => {
    const { kw, keyId } = await withKey();
    const viewer: UserActor = { type: 'user', id: 'u_v', tenantId: TENANT, permissions: ['*:read'] };
    const refused = await rejection(kw.keys.update(viewer, { keyId, name: 'x' }));
    expect(refused.code).toBe(ERROR_CODES.FORBIDDEN);
    const [event] = (await kw.audit.list(admin, { action: 'api_key.update' })).items;
    expect(event).toMatchObject({ outcome: 'denied', target: { id: keyId } });
  });

  it('refuses a revoked key, and updates a disabled or expired one', async () => {
    const { kw, clock, keyId, account } = await withKey({}, { expiresInSeconds: 60 });
    await kw.keys.disable(admin, { keyId });
    expect((await kw.keys.update(admin, { keyId, name: 'paused' })).status).toBe('disabled');
    await kw.keys.enable(admin, { keyId });
    clock.advance(61_000);
    const expired = await kw.keys.update(admin, { keyId, scopes: ['datasets:read'] });
    expect([expired.status, expired.scopes]).toEqual(['expired', ['datasets:read']]);
    const other = await kw.keys.issue(admin, { serviceAccountId: account.id, key: { name: 'other' } });
    await kw.keys.revoke(admin, { keyId: other.key.id });
    const revoked = await rejection(kw.keys.update(admin, { keyId: other.key.id, name: 'x' }));
    expect([revoked.code, revoked.details]).toEqual([
      ERROR_CODES.INVALID_STATE,
      { keyId: other.key.id, status: 'revoked' },
    ]);
  });

  it('with expectedUpdatedAt, refuses a lost update with CONFLICT', async () => {
    const { kw, clock, keyId } = await withKey();
    const read = await kw.keys.get(admin, { keyId });
    clock.advance(1000);
    await kw.keys.update(admin, { keyId, name: 'first', expectedUpdatedAt: read.updatedAt });
    const stale = await rejection(
      kw.keys.update(admin, { keyId, name: 'second', expectedUpdatedAt: read.updatedAt.toISOString() }),
    );
    expect(stale.code).toBe(ERROR_CODES.CONFLICT);
    expect((await kw.keys.get(admin, { keyId })).name).toBe('first');
  });

  it('moves updatedAt even within the same millisecond, so the next request sees the narrowed key', async () => {
    const { kw, keyId, token } = await withKey({ cache: { ttlMs: 60_000 } });
    const issued = await kw.keys.get(admin, { keyId });
    const write = { action: 'datasets:write', resource: dataset('d_1') };
    expect((await kw.verify(token, write)).ok).toBe(true);
    const narrowed = await kw.keys.update(admin, { keyId, scopes: ['datasets:read'] });
    expect(narrowed.updatedAt.getTime()).toBe(issued.updatedAt.getTime() + 1);
    expect((await kw.verify(token, write)).ok).toBe(false);
    const stale = await rejection(
      kw.keys.update(admin, { keyId, name: 'late', expectedUpdatedAt: issued.updatedAt }),
    );
    expect(stale.code).toBe(ERROR_CODES.CONFLICT);
  });

  it('moves updatedAt on a regenerate and a revoke within the same millisecond too', async () => {
    const { kw, keyId } = await withKey();
    const issued = await kw.keys.get(admin, { keyId });
    const regenerated = await kw.keys.regenerate(admin, { keyId });
    expect(regenerated.key.updatedAt.getTime()).toBe(issued.updatedAt.getTime() + 1);
    const stale = await rejection(
      kw.keys.update(admin, { keyId, name: 'late', expectedUpdatedAt: issued.updatedAt }),
    );
    expect(stale.code).toBe(ERROR_CODES.CONFLICT);
    const revoked = await kw.keys.revoke(admin, { keyId });
    expect(revoked.updatedAt.getTime()).toBe(issued.updatedAt.getTime() + 2);
  });
});
