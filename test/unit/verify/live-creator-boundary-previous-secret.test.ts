import { describe, expect, it } from 'vitest';
import { createTokenHasher, generateKey } from '../../../src/entries/keys.js';
import type { KeywardConfig, UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { seededWorld, userRef } from './support/verify-world.js';

const read = { action: 'datasets:read', resource: dataset('d_1') } as const;
const write = { action: 'datasets:write', resource: dataset('d_1') } as const;

const person = (id: string, permissions: string[]): UserActor => ({
  type: 'user',
  id,
  tenantId: TENANT,
  permissions,
});

/**
 * An admin creates a key; u_two regenerates it (receives `previousToken`); u_three regenerates it
 * with a grace period (receives `currentToken`), so u_two's secret stays valid for an hour.
 */
async function rotatedKey(config: Partial<KeywardConfig> = {}) {
  const users = new Map<string, UserActor>([
    ['u_admin', admin],
    ['u_two', person('u_two', ['*'])],
    ['u_three', person('u_three', ['*'])],
  ]);
  const { kw } = setup({
    resolveActor: async ({ id }) => users.get(id) ?? null,
    liveCreatorBoundary: true,
    ...config,
  });
  const { key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'k' },
  });
  if (key === undefined) throw new Error('no key');
  const received = await kw.keys.regenerate(person('u_two', ['*']), { keyId: key.key.id });
  const rotated = await kw.keys.regenerate(person('u_three', ['*']), {
    keyId: key.key.id,
    gracePeriodSeconds: 3600,
  });
  expect((await kw.verify(received.token, write)).ok).toBe(true);
  expect((await kw.verify(rotated.token, write)).ok).toBe(true);
  return {
    kw,
    users,
    keyId: key.key.id,
    rotated,
    previousToken: received.token,
    currentToken: rotated.token,
  };
}

describe('the live creator boundary and a previous secret in its grace period', () => {
  it('refuses a previous secret exceeds_creator_rights once whoever received it lost the right', async () => {
    const { kw, users, previousToken, currentToken } = await rotatedKey();
    users.set('u_two', person('u_two', ['*:read']));
    expect(await kw.verify(previousToken, write)).toMatchObject({
      ok: false,
      code: 'exceeds_creator_rights',
    });
    expect((await kw.verify(previousToken, read)).ok).toBe(true);
    expect((await kw.verify(currentToken, write)).ok).toBe(true);
  });

  it('refuses a previous secret creator_inactive once whoever received it is gone', async () => {
    const { kw, users, previousToken, currentToken } = await rotatedKey();
    users.delete('u_two');
    expect(await kw.verify(previousToken, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    expect((await kw.verify(currentToken, write)).ok).toBe(true);
  });

  it.each([
    ['with the verification cache', {}],
    ['without it', { cache: false as const }],
  ])('bounds each secret by its own receiver, never by the other one (%s)', async (_, config) => {
    const { kw, users, previousToken, currentToken } = await rotatedKey(config);
    users.set('u_three', person('u_three', ['*:read']));
    for (let round = 0; round < 2; round++) {
      expect(await kw.verify(currentToken, write)).toMatchObject({
        ok: false,
        code: 'exceeds_creator_rights',
      });
      expect((await kw.verify(previousToken, write)).ok).toBe(true);
    }
    users.set('u_three', person('u_three', ['*']));
    users.set('u_two', person('u_two', ['*:read']));
    for (let round = 0; round < 2; round++) {
      expect((await kw.verify(currentToken, write)).ok).toBe(true);
      expect(await kw.verify(previousToken, write)).toMatchObject({
        ok: false,
        code: 'exceeds_creator_rights',
      });
    }
  });

  it('hands out principals that act within the bound of the secret they were verified with', async () => {
    const { kw, users, previousToken, currentToken } = await rotatedKey();
    users.set('u_two', person('u_two', ['*:read']));
    const viaPrevious = await kw.verify(previousToken, read);
    const viaCurrent = await kw.verify(currentToken, read);
    if (!viaPrevious.ok || !viaCurrent.ok) throw new Error('not verified');
    expect(kw.authorize(viaPrevious.principal, write.action, write.resource)).toMatchObject({
      allowed: false,
      reason: 'exceeds_creator_rights',
    });
    expect(kw.authorize(viaCurrent.principal, write.action, write.resource).allowed).toBe(true);
  });

  it('changes nothing without liveCreatorBoundary: a previous secret is not bounded by live rights', async () => {
    const { kw, users, previousToken, currentToken } = await rotatedKey({ liveCreatorBoundary: false });
    users.set('u_two', person('u_two', ['*:read']));
    expect((await kw.verify(previousToken, write)).ok).toBe(true);
    users.delete('u_two');
    users.delete('u_three');
    expect((await kw.verify(previousToken, write)).ok).toBe(true);
    expect((await kw.verify(currentToken, write)).ok).toBe(true);
  });

  it('records who received the previous secret, and clears it on revoke and on a regenerate without grace', async () => {
    const { kw, keyId, rotated } = await rotatedKey();
    expect(rotated.key.previousRegeneratedBy).toEqual({ type: 'user', id: 'u_two' });
    expect(rotated.key.regeneratedBy).toEqual({ type: 'user', id: 'u_three' });
    const again = await kw.keys.regenerate(admin, { keyId, gracePeriodSeconds: 60 });
    expect(again.key.previousRegeneratedBy).toEqual({ type: 'user', id: 'u_three' });
    const revoked = await kw.keys.revoke(admin, { keyId });
    expect(revoked).toMatchObject({ previousRegeneratedBy: null, previousSecretActive: false });
    expect((await kw.keys.get(admin, { keyId })).previousRegeneratedBy).toBeNull();

    const { kw: other, keyId: otherId } = await rotatedKey();
    const withoutGrace = await other.keys.regenerate(admin, { keyId: otherId });
    expect(withoutGrace.key.previousRegeneratedBy).toBeNull();
  });

  it("a creator's own secret kept by a grace period is bounded by the creator", async () => {
    const users = new Map<string, UserActor>([['u_lead', person('u_lead', ['*'])]]);
    const { kw } = setup({
      resolveActor: async ({ id }) => users.get(id) ?? null,
      liveCreatorBoundary: true,
    });
    const { key } = await kw.serviceAccounts.create(person('u_lead', ['*']), {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    if (key === undefined) throw new Error('no key');
    const rotated = await kw.keys.regenerate(admin, { keyId: key.key.id, gracePeriodSeconds: 3600 });
    expect(rotated.key.previousRegeneratedBy).toEqual({ type: 'user', id: 'u_lead' });
    users.set('u_lead', person('u_lead', ['*:read']));
    expect(await kw.verify(key.token, write)).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
  });
});

describe('a previous secret whose receiver was never recorded (kept across the upgrade)', () => {
  /** A key whose previous secret is valid for an hour, with `previousRegeneratedBy` null as migration 0010 leaves it. */
  async function unknownReceiver(config: Partial<KeywardConfig> = {}) {
    const world = seededWorld(config);
    world.users.set('u_one', ['*']);
    world.users.set('u_two', ['*']);
    const account = await world.account();
    const seeded = await world.key(account, userRef('u_one'), { regeneratedBy: userRef('u_two') });
    const previous = generateKey({ prefix: 'acme', hasher: createTokenHasher(), keyId: seeded.key.id });
    await world.updateKey(seeded.key, {
      previousHash: previous.hash,
      previousHashVersion: previous.hashVersion,
      previousPepperId: previous.pepperId,
      previousHashExpiresAt: new Date(world.now + 3_600_000),
      previousRegeneratedBy: null,
    });
    return { world, previousToken: previous.token, currentToken: seeded.token };
  }

  it('is refused creator_inactive under liveCreatorBoundary; the current secret still works', async () => {
    const { world, previousToken, currentToken } = await unknownReceiver();
    expect(await world.kw.verify(previousToken, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    expect((await world.kw.verify(currentToken, write)).ok).toBe(true);
  });

  it('still works without liveCreatorBoundary (no live bound applies to the key)', async () => {
    const { world, previousToken } = await unknownReceiver({ liveCreatorBoundary: false });
    expect((await world.kw.verify(previousToken, write)).ok).toBe(true);
  });
});
