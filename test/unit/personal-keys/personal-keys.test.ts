import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { AuditEvent, UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const read = { action: 'datasets:read', resource: dataset('d_1') };
const write = { action: 'datasets:write', resource: dataset('d_1') };

/** A keyward whose people are a map: change or delete one to move their live rights. */
function world() {
  const people = new Map<string, UserActor>();
  const person = (id: string, permissions: string[], workspaceIds?: string[]): UserActor => {
    const user: UserActor = {
      type: 'user',
      id,
      tenantId: TENANT,
      permissions,
      ...(workspaceIds === undefined ? {} : { workspaceIds }),
    };
    people.set(id, user);
    return user;
  };
  const storage = memoryAdapter();
  const { kw, clock } = setup({
    storage,
    resolveActor: async ({ id, tenantId }) => {
      const found = people.get(id);
      return found !== undefined && found.tenantId === tenantId ? found : null;
    },
  });
  return { kw, clock, storage, people, person };
}

describe('a person issues their own keys', () => {
  it("issues a key within the person's own rights, verified like any key", async () => {
    const { kw, person } = world();
    const alice = person('u_alice', ['datasets:*']);
    const { key, token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read'],
    });
    expect(key).toMatchObject({
      name: 'laptop',
      scopes: ['datasets:read'],
      createdBy: { type: 'user', id: 'u_alice' },
    });
    expect(token.startsWith('acme_')).toBe(true);
    const verified = await kw.verify(token, read);
    expect(verified).toMatchObject({
      ok: true,
      principal: { keyId: key.id, workspaceId: 'w_sales', roles: [] },
    });
    // Only what the scopes say, and only in its workspace.
    expect(await kw.verify(token, write)).toMatchObject({ ok: false, code: 'not_granted' });
    expect(await kw.verify(token, { ...read, resource: dataset('d_1', 'w_ops') })).toMatchObject({
      ok: false,
      code: 'outside_workspace_binding',
    });
  });

  it("refuses scopes beyond the person's rights, naming the difference", async () => {
    const { kw, person } = world();
    const bob = person('u_bob', ['datasets:read']);
    const error = await rejection(
      kw.personalKeys.issue(bob, {
        workspaceId: 'w_sales',
        name: 'ci',
        scopes: ['datasets:read', 'datasets:write'],
      }),
    );
    expect(error).toMatchObject({
      code: 'EXCEEDS_CREATOR_RIGHTS',
      details: { exceeding: ['datasets:write'] },
    });
    expect(error.message).toContain('datasets:write');
  });

  it('refuses unknown scopes, a workspace the person does not reach, and a key as the actor', async () => {
    const { kw, person } = world();
    const carol = person('u_carol', ['*'], ['w_ops']);
    expect(
      await rejection(
        kw.personalKeys.issue(carol, { workspaceId: 'w_ops', name: 'x', scopes: ['nope:read'] }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT' });
    expect(
      await rejection(
        kw.personalKeys.issue(carol, { workspaceId: 'w_sales', name: 'x', scopes: ['datasets:read'] }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['workspaceId'] }] });
    const { token } = await kw.personalKeys.issue(carol, { workspaceId: 'w_ops', name: 'x', scopes: ['*'] });
    const verified = await kw.verify(token, { action: 'datasets:read', resource: dataset('d_1', 'w_ops') });
    if (!verified.ok) throw new Error(verified.code);
    expect(
      await rejection(
        kw.personalKeys.issue(verified.principal as never, {
          workspaceId: 'w_ops',
          name: 'y',
          scopes: ['*'],
        }),
      ),
    ).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: ['actor'] }] });
  });

  it('needs resolveActor: without it, personal keys are a configuration error', async () => {
    const { kw } = setup();
    expect(
      await rejection(
        kw.personalKeys.issue(admin, { workspaceId: 'w_sales', name: 'x', scopes: ['datasets:read'] }),
      ),
    ).toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('holds at most maxPersonalKeys active keys per person and workspace', async () => {
    const { kw, person } = world();
    const dana = person('u_dana', ['*']);
    for (let i = 0; i < 10; i++)
      await kw.personalKeys.issue(dana, { workspaceId: 'w_sales', name: `k${i}`, scopes: ['datasets:read'] });
    expect(
      await rejection(
        kw.personalKeys.issue(dana, { workspaceId: 'w_sales', name: 'one more', scopes: ['*'] }),
      ),
    ).toMatchObject({ code: 'KEY_LIMIT_REACHED', details: { limit: 10 } });
    // Another workspace has its own allowance.
    await kw.personalKeys.issue(dana, { workspaceId: 'w_ops', name: 'ops', scopes: ['datasets:read'] });
  });

  it('raises key.created and key.revoked events, as for every key', async () => {
    const events: { type: string; key?: { id: string } | null }[] = [];
    const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };
    const { kw } = setup({
      resolveActor: async () => alice,
      onEvent: (event) => {
        events.push(event as never);
      },
    });
    const { key } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'a',
      scopes: ['datasets:read'],
    });
    await kw.personalKeys.revoke(alice, { keyId: key.id });
    expect(events.map((event) => [event.type, event.key?.id])).toEqual([
      ['key.created', key.id],
      ['key.revoked', key.id],
    ]);
  });

  it('audits the issue as api_key.issue with the key as target', async () => {
    const { kw, person } = world();
    const alice = person('u_alice', ['*']);
    const { key } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'a',
      scopes: ['datasets:read'],
    });
    const page = await kw.audit.list(admin, { targetId: key.id });
    expect(page.items).toMatchObject([
      {
        action: 'api_key.issue',
        actor: { type: 'user', id: 'u_alice' },
        target: { type: 'api_key', id: key.id },
      },
    ]);
  });
});

describe("a personal key is bounded by its owner's live rights", () => {
  it('loses a right at the next request when the owner is downgraded, and gets it back when restored', async () => {
    const { kw, person } = world();
    person('u_alice', ['datasets:*']);
    const alice = person('u_alice', ['datasets:*']);
    const { token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read', 'datasets:write'],
    });
    expect((await kw.verify(token, write)).ok).toBe(true);
    person('u_alice', ['datasets:read']);
    expect(await kw.verify(token, write)).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
    expect((await kw.verify(token, read)).ok).toBe(true);
    person('u_alice', ['datasets:*']);
    expect((await kw.verify(token, write)).ok).toBe(true);
  });

  it('is refused once the owner is gone, or moved out of the workspace', async () => {
    const { kw, person, people } = world();
    const alice = person('u_alice', ['*']);
    const { token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'a',
      scopes: ['datasets:read'],
    });
    person('u_alice', ['*'], ['w_ops']);
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
    people.delete('u_alice');
    expect(await kw.verify(token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });

  it('is refused when the host drops resolveActor (fail closed)', async () => {
    const { kw, person, storage } = world();
    const alice = person('u_alice', ['*']);
    const { token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'a',
      scopes: ['datasets:read'],
    });
    const { kw: without } = setup({ storage });
    expect(await without.verify(token, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });
});

describe('listing and revoking personal keys', () => {
  async function twoPeople() {
    const w = world();
    const alice = w.person('u_alice', ['datasets:*']);
    const bob = w.person('u_bob', ['datasets:*']);
    const mine = await w.kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'a',
      scopes: ['datasets:read'],
    });
    w.clock.advance(1);
    const theirs = await w.kw.personalKeys.issue(bob, {
      workspaceId: 'w_sales',
      name: 'b',
      scopes: ['datasets:read'],
    });
    return { ...w, alice, bob, mine, theirs };
  }

  it('the owner lists and revokes their own keys; the key stops at once', async () => {
    const { kw, alice, mine } = await twoPeople();
    const listed = await kw.personalKeys.list(alice, { workspaceId: 'w_sales' });
    expect(listed).toEqual({ items: [mine.key], nextCursor: null });
    expect(await kw.personalKeys.list(alice, { workspaceId: 'w_ops' })).toEqual({
      items: [],
      nextCursor: null,
    });
    const revoked = await kw.personalKeys.revoke(alice, { keyId: mine.key.id });
    expect(revoked.status).toBe('revoked');
    expect(await kw.verify(mine.token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
    expect((await kw.personalKeys.revoke(alice, { keyId: mine.key.id })).status).toBe('revoked');
    const events = await kw.audit.list(admin, { targetId: mine.key.id, action: 'api_key.revoke' });
    expect(events.items).toHaveLength(1);
  });

  it('another person neither sees nor revokes them (NOT_FOUND)', async () => {
    const { kw, bob, mine } = await twoPeople();
    expect(
      (await kw.personalKeys.list(bob, { workspaceId: 'w_sales' })).items.map((k) => k.id),
    ).not.toContain(mine.key.id);
    expect(await rejection(kw.personalKeys.revoke(bob, { keyId: mine.key.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await rejection(kw.personalKeys.listAll(bob, { workspaceId: 'w_sales' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it("a tenant admin lists everyone's personal keys, or one person's, and revokes any", async () => {
    const { kw, mine, theirs } = await twoPeople();
    const all = await kw.personalKeys.listAll(admin, { workspaceId: 'w_sales' });
    expect(all.items.map((key) => key.id)).toEqual([mine.key.id, theirs.key.id]);
    const bobs = await kw.personalKeys.listAll(admin, { workspaceId: 'w_sales', userId: 'u_bob' });
    expect(bobs.items.map((key) => key.id)).toEqual([theirs.key.id]);
    const paged = await kw.personalKeys.listAll(admin, { workspaceId: 'w_sales', limit: 1 });
    expect(paged.items.map((key) => key.id)).toEqual([mine.key.id]);
    const next = await kw.personalKeys.listAll(admin, {
      workspaceId: 'w_sales',
      limit: 1,
      cursor: paged.nextCursor as string,
    });
    expect(next.items.map((key) => key.id)).toEqual([theirs.key.id]);
    expect((await kw.personalKeys.revoke(admin, { keyId: theirs.key.id })).status).toBe('revoked');
    expect(await kw.verify(theirs.token, read)).toMatchObject({ ok: false, code: 'key_revoked' });
  });

  it('service-account calls never see or touch personal accounts and keys', async () => {
    const { kw, mine } = await twoPeople();
    const account = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'bot',
      roles: ['viewer'],
    });
    const accounts = await kw.serviceAccounts.list(admin, {});
    expect(accounts.items.map((a) => a.id)).toEqual([account.account.id]);
    const personalAccountId = mine.key.serviceAccountId;
    expect(await rejection(kw.serviceAccounts.get(admin, { id: personalAccountId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await rejection(kw.serviceAccounts.disable(admin, { id: personalAccountId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await rejection(kw.serviceAccounts.delete(admin, { id: personalAccountId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await rejection(kw.keys.issue(admin, { serviceAccountId: personalAccountId, key: { name: 'sneak' } })),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(kw.keys.list(admin, { serviceAccountId: personalAccountId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    // Whoever regenerated a person's key would hold its secret: kw.keys changes never touch one.
    expect(await rejection(kw.keys.regenerate(admin, { keyId: mine.key.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await rejection(kw.keys.revoke(admin, { keyId: mine.key.id }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    // Shown only by kw.personalKeys, to their owner and to admins.
    expect(await rejection(kw.keys.get(admin, { keyId: mine.key.id }))).toMatchObject({ code: 'NOT_FOUND' });
    const keys = await kw.keys.query(admin, {});
    expect(keys.items.map((key) => key.id)).not.toContain(mine.key.id);
    await kw.keys.issue(admin, { serviceAccountId: account.account.id, key: { name: 'listed' } });
    const withServiceKey = await kw.keys.query(admin, {});
    expect(withServiceKey.items.map((key) => key.name)).toEqual(['listed']);
    expect((await kw.verify(mine.token, read)).ok).toBe(true);
  });
});

describe('a personal key as the actor of a management call', () => {
  it('under the live creator boundary, what it creates is bounded by the key and its owner, not refused', async () => {
    const people = new Map<string, UserActor>();
    const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };
    people.set(alice.id, alice);
    const { kw } = setup({
      liveCreatorBoundary: true,
      resolveActor: async ({ id }) => people.get(id) ?? null,
    });
    const { token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'automation',
      scopes: ['*'],
    });
    const verified = await kw.verify(token, {
      action: 'service_accounts:manage',
      resource: { tenantId: TENANT, workspaceId: 'w_sales' },
    });
    if (!verified.ok) throw new Error(verified.code);
    const created = await kw.serviceAccounts.create(verified.principal, {
      workspaceId: 'w_sales',
      name: 'made by a personal key',
      roles: ['admin'],
      firstKey: { name: 'child' },
    });
    const child = created.key?.token as string;
    expect((await kw.verify(child, write)).ok).toBe(true);
    people.set(alice.id, { ...alice, permissions: ['datasets:read'] });
    expect(await kw.verify(child, write)).toMatchObject({ ok: false, code: 'exceeds_creator_rights' });
    expect((await kw.verify(child, read)).ok).toBe(true);
    people.delete(alice.id);
    expect(await kw.verify(child, read)).toMatchObject({ ok: false, code: 'creator_inactive' });
  });
});

describe("the audit trail of a person's keys", () => {
  /** Alice's key, issued, revoked and refused once (three events naming it), and a service account. */
  async function aliceKeyAudited() {
    const w = world();
    const alice = w.person('u_alice', ['datasets:*', 'service_accounts:read']);
    const reader = w.person('u_reader', ['service_accounts:read', 'datasets:read'], ['w_sales']);
    const keyAdmin = w.person('u_keys', ['service_accounts:read', 'api_keys:manage'], ['w_sales']);
    const { key, token } = await w.kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read'],
    });
    await w.kw.personalKeys.revoke(alice, { keyId: key.id });
    await w.kw.verify(token, read);
    await w.kw.flush();
    const bot = await w.kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'bot',
      roles: ['viewer'],
    });
    return { ...w, alice, reader, keyAdmin, keyId: key.id, botId: bot.account.id };
  }
  const targets = (items: readonly AuditEvent[]) => items.map((event) => event.target.id);

  it('shows its events to the owner and to managers of keys in its workspace, by list, follow and target', async () => {
    const { kw, alice, keyAdmin, keyId } = await aliceKeyAudited();
    for (const who of [alice, keyAdmin, admin]) {
      const byTarget = await kw.audit.list(who, { targetId: keyId });
      expect(byTarget.items.map((event) => event.action).sort()).toEqual([
        'api_key.issue',
        'api_key.refused',
        'api_key.revoke',
      ]);
      expect(targets((await kw.audit.list(who, { workspaceId: 'w_sales' })).items)).toContain(keyId);
      expect(targets((await kw.audit.follow(who)).items)).toContain(keyId);
    }
  });

  it('hides them from a workspace reader, who still sees every other event', async () => {
    const { kw, reader, keyId, botId } = await aliceKeyAudited();
    expect(await kw.audit.list(reader, { targetId: keyId })).toEqual({ items: [], nextCursor: null });
    const listed = await kw.audit.list(reader, { workspaceId: 'w_sales' });
    expect(targets(listed.items)).toEqual([botId]);
    const followed = await kw.audit.follow(reader);
    expect(targets(followed.items)).toEqual([botId]);
    expect(followed.caughtUp).toBe(true);
  });

  it('pages past hidden events without losing or repeating a visible one', async () => {
    const { kw, reader, alice, botId } = await aliceKeyAudited();
    await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'desktop',
      scopes: ['datasets:read'],
    });
    const later = await kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'bot-2',
      roles: ['viewer'],
    });
    const first = await kw.audit.list(reader, { limit: 1 });
    expect(targets(first.items)).toEqual([later.account.id]);
    const rest = await kw.audit.list(reader, { limit: 1, cursor: first.nextCursor as string });
    expect(rest).toMatchObject({ nextCursor: null });
    expect(targets(rest.items)).toEqual([botId]);
  });
});

describe("kw.keys answers a person's key as an unknown one", () => {
  it('every change is NOT_FOUND before authorization: same answer as an unknown id, no denied event', async () => {
    const w = world();
    const alice = w.person('u_alice', ['datasets:*']);
    const reader = w.person('u_reader', ['service_accounts:read', 'datasets:read'], ['w_sales']);
    const { key } = await w.kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read'],
    });
    const changes: readonly ((keyId: string) => Promise<unknown>)[] = [
      (keyId) => w.kw.keys.revoke(reader, { keyId }),
      (keyId) => w.kw.keys.regenerate(reader, { keyId }),
      (keyId) => w.kw.keys.disable(reader, { keyId }),
      (keyId) => w.kw.keys.enable(reader, { keyId }),
      (keyId) => w.kw.keys.update(reader, { keyId, name: 'renamed' }),
      (keyId) => w.kw.keys.update(reader, { keyId, credits: { remaining: 5 } }),
    ];
    for (const change of changes) {
      const unknown = await rejection(change('AAAAAAAAAAAAAAAA'));
      expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
      expect(await rejection(change(key.id))).toMatchObject({ code: 'NOT_FOUND', message: unknown.message });
    }
    const trail = await w.kw.audit.list(admin, { workspaceId: 'w_sales' });
    expect(trail.items.map((event) => event.action)).toEqual(['api_key.issue']);
  });
});
