import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type KeywardEvent, type UserActor } from '../../../src/index.js';
import { admin, dataset, otherAdmin, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const person = (id: string, permissions: string[], extra: Partial<UserActor> = {}): UserActor => ({
  type: 'user',
  id,
  tenantId: TENANT,
  permissions,
  ...extra,
});

/** keyward whose `resolveActor` knows `users` (mutable), with an analyst account created by u_old. */
async function world(options: { liveCreatorBoundary?: boolean } = {}) {
  const users = new Map<string, UserActor>([
    ['u_admin', admin],
    ['u_old', person('u_old', ['*'])],
    ['u_new', person('u_new', ['*'])],
  ]);
  const events: KeywardEvent[] = [];
  const { kw, clock } = setup({
    resolveActor: async ({ id, tenantId }) => {
      const user = users.get(id);
      return user !== undefined && user.tenantId === tenantId ? user : null;
    },
    liveCreatorBoundary: options.liveCreatorBoundary ?? false,
    maxKeysPerAccount: 5,
    onEvent: (event) => {
      events.push(event);
    },
  });
  const old = users.get('u_old') as UserActor;
  const { account, key } = await kw.serviceAccounts.create(old, {
    workspaceId: 'w_sales',
    name: 'integration',
    roles: ['analyst'],
    firstKey: { name: 'main' },
  });
  if (key === undefined) throw new Error('no first key');
  return { kw, clock, users, events, account, key, old };
}

describe('serviceAccounts.reassignKeys', () => {
  it('moves createdBy of every key but revoked ones, one audit event per key, regeneratedBy kept', async () => {
    const { kw, account, key, old, events } = await world();
    const second = await kw.keys.issue(old, { serviceAccountId: account.id, key: { name: 'second' } });
    await kw.keys.regenerate(admin, { keyId: second.key.id });
    const revoked = await kw.keys.issue(old, { serviceAccountId: account.id, key: { name: 'gone' } });
    await kw.keys.revoke(admin, { keyId: revoked.key.id });
    const before = events.length;
    const result = await kw.serviceAccounts.reassignKeys(admin, {
      id: account.id,
      to: { type: 'user', id: 'u_new' },
    });
    expect(result.account).toMatchObject({ id: account.id, version: account.version });
    expect(result.keys.map((moved) => moved.id).sort()).toEqual([key.key.id, second.key.id].sort());
    for (const moved of result.keys) expect(moved.createdBy).toEqual({ type: 'user', id: 'u_new' });
    expect((await kw.keys.get(admin, { keyId: second.key.id })).regeneratedBy).toEqual({
      type: 'user',
      id: 'u_admin',
    });
    expect((await kw.keys.get(admin, { keyId: revoked.key.id })).createdBy).toEqual({
      type: 'user',
      id: 'u_old',
    });
    const audits = (await kw.audit.list(admin, { action: 'api_key.reassign' })).items;
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({
      actor: { type: 'user', id: 'u_admin' },
      before: { createdBy: { type: 'user', id: 'u_old' } },
      after: { createdBy: { type: 'user', id: 'u_new' } },
    });
    expect(events.slice(before).map((event) => event.type)).toEqual(['key.updated', 'key.updated']);
    // Idempotent: nothing left to move.
    const again = await kw.serviceAccounts.reassignKeys(admin, {
      id: account.id,
      to: { type: 'user', id: 'u_new' },
    });
    expect(again.keys).toEqual([]);
    expect((await kw.audit.list(admin, { action: 'api_key.reassign' })).items).toHaveLength(2);
  });

  it('refuses a new creator who lacks the keys rights, naming the difference, and changes nothing', async () => {
    const { kw, users, account, key } = await world();
    users.set('u_reader', person('u_reader', ['*:read', '*:list', 'api_keys:manage']));
    const error = await rejection(
      kw.serviceAccounts.reassignKeys(admin, { id: account.id, to: { type: 'user', id: 'u_reader' } }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toEqual(['datasets:write', 'workspace:ingest']);
    expect(error.message).toContain("new creator's rights");
    expect((await kw.keys.get(admin, { keyId: key.key.id })).createdBy).toEqual({
      type: 'user',
      id: 'u_old',
    });
  });

  it('refuses a new creator who may not manage keys in the workspace', async () => {
    const { kw, users, account } = await world();
    users.set('u_ops', person('u_ops', ['*'], { workspaceIds: ['w_ops'] }));
    const error = await rejection(
      kw.serviceAccounts.reassignKeys(admin, { id: account.id, to: { type: 'user', id: 'u_ops' } }),
    );
    expect(error.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(error.details.exceeding).toEqual(['api_keys:manage']);
  });

  it('refuses an unknown user, one of another tenant, and a call without resolveActor', async () => {
    const { kw, users, account } = await world();
    users.set('u_globex', { ...otherAdmin, id: 'u_globex' });
    for (const id of ['u_nobody', 'u_globex']) {
      const error = await rejection(
        kw.serviceAccounts.reassignKeys(admin, { id: account.id, to: { type: 'user', id } }),
      );
      expect(error.code).toBe(ERROR_CODES.INVALID_INPUT);
      expect(error.issues[0]?.path).toEqual(['to', 'id']);
    }
    const bare = setup();
    const created = await bare.kw.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 's',
      roles: ['viewer'],
    });
    const error = await rejection(
      bare.kw.serviceAccounts.reassignKeys(admin, {
        id: created.account.id,
        to: { type: 'user', id: 'u_new' },
      }),
    );
    expect(error.code).toBe(ERROR_CODES.INVALID_CONFIG);
  });

  it('is NOT_FOUND from another tenant, FORBIDDEN without service_accounts:manage, CONFLICT on a stale version', async () => {
    const { kw, account } = await world();
    const to = { type: 'user', id: 'u_new' } as const;
    expect((await rejection(kw.serviceAccounts.reassignKeys(otherAdmin, { id: account.id, to }))).code).toBe(
      ERROR_CODES.NOT_FOUND,
    );
    const keyManager = person('u_keys', ['api_keys:manage', '*:read']);
    const forbidden = await rejection(kw.serviceAccounts.reassignKeys(keyManager, { id: account.id, to }));
    expect(forbidden.code).toBe(ERROR_CODES.FORBIDDEN);
    expect((await kw.audit.list(admin, { action: 'api_key.reassign' })).items).toMatchObject([
      { outcome: 'denied', target: { type: 'service_account', id: account.id } },
    ]);
    const stale = await rejection(
      kw.serviceAccounts.reassignKeys(admin, { id: account.id, to, expectedVersion: account.version + 1 }),
    );
    expect(stale.code).toBe(ERROR_CODES.CONFLICT);
  });

  it('under liveCreatorBoundary, keys verify again once reassigned away from a departed creator', async () => {
    const { kw, users, account, key } = await world({ liveCreatorBoundary: true });
    const request = { action: 'datasets:read' as const, resource: dataset('d_1') };
    expect((await kw.verify(key.token, request)).ok).toBe(true);
    users.delete('u_old');
    expect(await kw.verify(key.token, request)).toMatchObject({ ok: false, code: 'creator_inactive' });
    await kw.serviceAccounts.reassignKeys(admin, { id: account.id, to: { type: 'user', id: 'u_new' } });
    expect((await kw.verify(key.token, request)).ok).toBe(true);
  });
});
