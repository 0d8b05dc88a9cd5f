import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward } from '../../../src/index.js';
import { MAX_CREATOR_HOPS } from '../../../src/verify/creator-chain.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { type SeededKey, type SeededWorld, seededWorld, userRef } from './support/verify-world.js';

const read = { action: 'datasets:read', resource: dataset('d_1') };
const write = { action: 'datasets:write', resource: dataset('d_1') };

/** human u_lead -> K1 (account A1) -> K2 (account A2), both accounts admins of w_sales. */
async function twoHops(world: SeededWorld) {
  world.users.set('u_lead', ['*']);
  const a1 = await world.account();
  const k1 = await world.key(a1, userRef('u_lead'));
  const a2 = await world.account({ createdBy: k1.ref });
  const k2 = await world.key(a2, k1.ref);
  return { k1, k2 };
}

/** u_root -> K1 -> K2 -> ... -> K`length`, each key of its own account. */
async function chain(world: SeededWorld, length: number): Promise<SeededKey[]> {
  world.users.set('u_root', ['*']);
  const keys: SeededKey[] = [];
  let creator = userRef('u_root');
  for (let i = 0; i < length; i++) {
    const key = await world.key(await world.account(), creator);
    keys.push(key);
    creator = key.ref;
  }
  return keys;
}

describe('the live creator boundary (liveCreatorBoundary: true)', () => {
  it("bounds a key by its creator key's creator: a downgraded human narrows K2 at once", async () => {
    const world = seededWorld();
    const { k1, k2 } = await twoHops(world);
    expect((await world.kw.verify(k2.token, write)).ok).toBe(true);
    world.users.set('u_lead', ['*:read']);
    expect(await world.kw.verify(k2.token, write)).toMatchObject({
      ok: false,
      code: 'exceeds_creator_rights',
    });
    expect(await world.kw.verify(k1.token, write)).toMatchObject({
      ok: false,
      code: 'exceeds_creator_rights',
    });
    expect((await world.kw.verify(k2.token, read)).ok).toBe(true);
  });

  it('refuses every key down the chain when the human is gone', async () => {
    const world = seededWorld();
    const { k1, k2 } = await twoHops(world);
    world.users.delete('u_lead');
    expect(await world.kw.verify(k1.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    expect(await world.kw.verify(k2.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it('refuses K3 once K1, two hops up, is revoked or expires', async () => {
    const world = seededWorld();
    const [k1, , k3] = (await chain(world, 3)) as [SeededKey, SeededKey, SeededKey];
    expect((await world.kw.verify(k3.token, read)).ok).toBe(true);
    await world.updateKey(k1.key, { expiresAt: new Date(world.now) });
    expect(await world.kw.verify(k3.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    await world.updateKey(k1.key, { status: 'revoked', revokedAt: new Date(world.now) });
    expect(await world.kw.verify(k3.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it("refuses a key when a creator key's account is disabled or deleted", async () => {
    const world = seededWorld();
    const { k1, k2 } = await twoHops(world);
    const a1 = await world.probe.storage.findServiceAccount({
      tenantId: TENANT,
      id: k1.key.serviceAccountId,
    });
    if (a1 === null) throw new Error('no account');
    await world.probe.storage.transaction((tx) =>
      tx.updateServiceAccount({ account: { ...a1, status: 'disabled', version: 2 }, expectedVersion: 1 }),
    );
    expect(await world.kw.verify(k2.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    await world.probe.storage.transaction((tx) => tx.deleteServiceAccount({ tenantId: TENANT, id: a1.id }));
    expect(await world.kw.verify(k2.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it('bounds a regenerated key by whoever received its secret too', async () => {
    const world = seededWorld();
    world.users.set('u_one', ['*']);
    world.users.set('u_two', ['*']);
    const key = await world.key(await world.account(), userRef('u_one'), { regeneratedBy: userRef('u_two') });
    expect((await world.kw.verify(key.token, write)).ok).toBe(true);
    world.users.set('u_two', ['*:read']);
    const refused = await world.kw.verify(key.token, { ...write, explain: true });
    expect(refused).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
    expect(JSON.stringify(refused.decision?.trace)).toContain('user u_two');
    world.users.delete('u_two');
    expect(await world.kw.verify(key.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it('bounds a key regenerated through the lifecycle by the regenerating user', async () => {
    const users = new Map([
      ['u_admin', admin],
      ['u_two', { type: 'user' as const, id: 'u_two', tenantId: TENANT, permissions: ['*'] }],
    ]);
    const { kw } = setup({
      resolveActor: async ({ id }) => users.get(id) ?? null,
      liveCreatorBoundary: true,
    });
    const { key } = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'svc',
      roles: ['analyst'],
      firstKey: { name: 'k' },
    });
    if (key === undefined) throw new Error('no key');
    const regenerated = await kw.keys.regenerate(users.get('u_two')!, { keyId: key.key.id });
    expect(regenerated.key.regeneratedBy).toEqual({ type: 'user', id: 'u_two' });
    expect((await kw.verify(regenerated.token, write)).ok).toBe(true);
    users.set('u_two', { type: 'user', id: 'u_two', tenantId: TENANT, permissions: ['*:read'] });
    expect(await kw.verify(regenerated.token, write)).toMatchObject({
      ok: false,
      code: 'exceeds_creator_rights',
    });
  });

  it(`follows at most ${MAX_CREATOR_HOPS} hops and refuses a longer chain`, async () => {
    const world = seededWorld();
    const keys = await chain(world, MAX_CREATOR_HOPS + 1);
    // keys[i] has i creator keys above it, then the human: i + 1 hops.
    expect((await world.kw.verify(keys[MAX_CREATOR_HOPS - 1]?.token, read)).ok).toBe(true);
    expect(await world.kw.verify(keys[MAX_CREATOR_HOPS]?.token, read)).toMatchObject({
      ok: false,
      code: 'creator_inactive',
    });
  });

  it('looks each distinct creator up once per verification', async () => {
    const world = seededWorld();
    const [k1, k2, k3] = (await chain(world, 3)) as [SeededKey, SeededKey, SeededKey];
    // K3 was also regenerated by K1 and by the root user: no extra lookups for either.
    await world.updateKey(k3.key, { regeneratedBy: k1.ref });
    const before = world.probe.reads();
    const callsBefore = world.users.calls;
    expect((await world.kw.verify(k3.token, read)).ok).toBe(true);
    expect(world.probe.readIds().slice(before)).toEqual([k3.key.id, k2.key.id, k1.key.id]);
    expect(world.users.calls - callsBefore).toBe(1);
    await world.updateKey(k3.key, { regeneratedBy: userRef('u_root') });
    const again = world.probe.reads();
    expect((await world.kw.verify(k3.token, read)).ok).toBe(true);
    expect(world.probe.reads() - again).toBe(3);
    expect(world.users.calls - callsBefore).toBe(2);
  });

  it('terminates on a cycle (a key regenerated by a key it created)', async () => {
    const world = seededWorld();
    world.users.set('u_root', ['*']);
    const k1 = await world.key(await world.account(), userRef('u_root'));
    const k2 = await world.key(await world.account(), k1.ref);
    await world.updateKey(k1.key, { regeneratedBy: k2.ref });
    expect((await world.kw.verify(k1.token, read)).ok).toBe(true);
    expect((await world.kw.verify(k2.token, read)).ok).toBe(true);
    world.users.set('u_root', ['*:list']);
    expect(await world.kw.verify(k1.token, read)).toMatchObject({ code: 'exceeds_creator_rights' });
  });

  it('refuses when resolveActor throws or answers another user or tenant', async () => {
    const answers: Record<string, () => Promise<unknown>> = {
      throws: async () => {
        throw new Error('directory down');
      },
      otherTenant: async () => ({ type: 'user', id: 'u_x', tenantId: 't_other', permissions: ['*'] }),
      otherUser: async () => ({ type: 'user', id: 'u_y', tenantId: TENANT, permissions: ['*'] }),
    };
    for (const answer of Object.values(answers)) {
      const world = seededWorld({ resolveActor: answer as never });
      const key = await world.key(await world.account(), userRef('u_x'));
      expect(await world.kw.verify(key.token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
    }
  });

  it('refuses a creator key of another tenant, or one whose account does not match the reference', async () => {
    const world = seededWorld();
    world.users.set('u_lead', ['*']);
    const foreign = await world.key(await world.account({ tenantId: 't_other' }), userRef('u_lead'));
    const child = await world.key(await world.account(), foreign.ref);
    expect(await world.kw.verify(child.token, read)).toMatchObject({ code: 'creator_inactive' });
    const local = await world.key(await world.account(), userRef('u_lead'));
    const mislabelled = await world.key(await world.account(), {
      ...local.ref,
      serviceAccountId: 'sa_0000000000000000',
    } as never);
    expect(await world.kw.verify(mislabelled.token, read)).toMatchObject({ code: 'creator_inactive' });
  });

  it('answers storage_unavailable when a creator cannot be read', async () => {
    const world = seededWorld();
    const { k1, k2 } = await twoHops(world);
    world.probe.failReadsOf(k1.key.id);
    expect(await world.kw.verify(k2.token, read)).toEqual({ ok: false, code: 'storage_unavailable' });
  });

  it('is refused at startup without resolveActor', () => {
    expect(() =>
      createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme', liveCreatorBoundary: true }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('without the live creator boundary (the default)', () => {
  it('looks no creator up: K2 keeps working after the human is gone, by design', async () => {
    const world = seededWorld({ liveCreatorBoundary: false });
    const { k2 } = await twoHops(world);
    world.users.delete('u_lead');
    const before = world.probe.reads();
    expect((await world.kw.verify(k2.token, write)).ok).toBe(true);
    expect(world.probe.reads() - before).toBe(1);
    expect(world.users.calls).toBe(0);
  });

  it("still refuses a key whose own account's rights do not grant the action", async () => {
    const world = seededWorld({ liveCreatorBoundary: false });
    const key = await world.key(await world.account({ roles: ['viewer'] }), userRef('u_gone'));
    expect(await world.kw.verify(key.token, write)).toMatchObject({ code: 'not_granted' });
  });
});
