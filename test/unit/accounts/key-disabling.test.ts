import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { ERROR_CODES, type KeywardEvent, type StorageAdapter, type UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

const READ = { action: 'datasets:read', resource: dataset('d_1') };

/** An account (analyst in w_sales) with one key, over a fresh instance. */
async function withKey(overrides: Parameters<typeof setup>[0] = {}) {
  const events: KeywardEvent[] = [];
  const fixture = setup({ onEvent: (event) => void events.push(event), ...overrides });
  const { account, key } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'ci' },
  });
  return { ...fixture, account, events, keyId: key!.key.id, token: key!.token };
}

describe('keys.disable and keys.enable', () => {
  it('a disabled key stops verifying at once and works again once enabled, through the cache too', async () => {
    for (const cache of [undefined, { ttlMs: 60_000 }]) {
      const { kw, keyId, token } = await withKey({ cache });
      expect((await kw.verify(token, READ)).ok).toBe(true);
      const disabled = await kw.keys.disable(admin, { keyId });
      expect([disabled.status, disabled.disabledAt]).toEqual(['disabled', expect.any(Date)]);
      expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_disabled' });
      const enabled = await kw.keys.enable(admin, { keyId });
      expect([enabled.status, enabled.disabledAt]).toEqual(['active', null]);
      expect((await kw.verify(token, READ)).ok).toBe(true);
    }
  });

  it('is idempotent: a second disable or enable changes nothing and records nothing', async () => {
    const { kw, keyId, events } = await withKey();
    const first = await kw.keys.disable(admin, { keyId });
    expect(await kw.keys.disable(admin, { keyId })).toEqual(first);
    const enabled = await kw.keys.enable(admin, { keyId });
    expect(await kw.keys.enable(admin, { keyId })).toEqual(enabled);
    const actions = (await kw.audit.list(admin, { targetId: keyId })).items.map((event) => event.action);
    expect(actions.filter((action) => action !== 'api_key.issue')).toEqual([
      'api_key.enable',
      'api_key.disable',
    ]);
    expect(events.filter((event) => event.type.startsWith('key.')).map((event) => event.type)).toEqual([
      'key.created',
      'key.disabled',
      'key.enabled',
    ]);
  });

  it('audits the key before and after', async () => {
    const { kw, keyId } = await withKey();
    await kw.keys.disable(admin, { keyId });
    const [event] = (await kw.audit.list(admin, { action: 'api_key.disable' })).items;
    expect(event).toMatchObject({
      outcome: 'success',
      target: { type: 'api_key', id: keyId },
      before: { status: 'active', disabledAt: null },
      after: { status: 'disabled' },
    });
  });

  it('refuses to disable or enable a revoked key', async () => {
    const { kw, keyId, token } = await withKey();
    await kw.keys.disable(admin, { keyId });
    await kw.keys.revoke(admin, { keyId });
    for (const call of [kw.keys.enable(admin, { keyId }), kw.keys.disable(admin, { keyId })]) {
      const error = await rejection(call);
      expect([error.code, error.details]).toEqual([ERROR_CODES.INVALID_STATE, { keyId, status: 'revoked' }]);
    }
    expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_revoked' });
  });

  it('needs api_keys:manage; enabling also needs the key rights, disabling does not', async () => {
    const { kw, keyId, token } = await withKey();
    const viewer: UserActor = { type: 'user', id: 'u_v', tenantId: TENANT, permissions: ['*:read'] };
    expect((await rejection(kw.keys.disable(viewer, { keyId }))).code).toBe(ERROR_CODES.FORBIDDEN);
    const manager: UserActor = {
      type: 'user',
      id: 'u_km',
      tenantId: TENANT,
      permissions: ['api_keys:manage', 'datasets:read'],
    };
    expect((await kw.keys.disable(manager, { keyId })).status).toBe('disabled');
    const refused = await rejection(kw.keys.enable(manager, { keyId }));
    expect(refused.code).toBe(ERROR_CODES.EXCEEDS_CREATOR_RIGHTS);
    expect(refused.details).toMatchObject({
      exceeding: expect.arrayContaining(['datasets:write', 'workspace:ingest']),
    });
    expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_disabled' });
    expect((await kw.keys.enable(admin, { keyId })).status).toBe('active');
  });

  it('enabling a key that expired while disabled leaves it expired', async () => {
    const { kw, clock, account } = await withKey();
    const { key, token } = await kw.keys.issue(admin, {
      serviceAccountId: account.id,
      key: { name: 'short', expiresInSeconds: 60 },
    });
    await kw.keys.disable(admin, { keyId: key.id });
    clock.advance(61_000);
    expect((await kw.keys.enable(admin, { keyId: key.id })).status).toBe('expired');
    expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_expired' });
  });

  it('answers NOT_FOUND for a key of another tenant', async () => {
    const { kw, keyId, token } = await withKey();
    const outsider: UserActor = { type: 'user', id: 'u_x', tenantId: 't_other', permissions: ['*'] };
    for (const call of [
      kw.keys.disable(outsider, { keyId }),
      kw.keys.enable(outsider, { keyId }),
      kw.keys.update(outsider, { keyId, name: 'mine now' }),
    ]) {
      expect((await rejection(call)).code).toBe(ERROR_CODES.NOT_FOUND);
    }
    expect((await kw.verify(token, READ)).ok).toBe(true);
  });
});

describe('disable, enable and update racing a revoke', () => {
  it('50 rounds of concurrent calls: the key ends revoked, never verifies, and is revoked once', async () => {
    const { kw, account } = await withKey({ maxKeysPerAccount: 100 });
    for (let round = 0; round < 50; round++) {
      const { key, token } = await kw.keys.issue(admin, {
        serviceAccountId: account.id,
        key: { name: `k${round}` },
      });
      const keyId = key.id;
      if (round % 2 === 1) await kw.keys.disable(admin, { keyId });
      const calls = [
        kw.keys.enable(admin, { keyId }),
        kw.keys.disable(admin, { keyId }),
        kw.keys.update(admin, { keyId, name: `renamed ${round}` }),
        kw.keys.enable(admin, { keyId }),
      ];
      calls.splice(round % (calls.length + 1), 0, kw.keys.revoke(admin, { keyId }));
      for (const settled of await Promise.allSettled(calls)) {
        if (settled.status === 'rejected') expect(settled.reason).toMatchObject({ code: 'INVALID_STATE' });
      }
      expect((await kw.keys.get(admin, { keyId })).status).toBe('revoked');
      expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_revoked' });
      const revokes = await kw.audit.list(admin, { targetId: keyId, action: 'api_key.revoke' });
      expect(revokes.items).toHaveLength(1);
    }
  });

  it('an enable whose first read predates a revoke cannot undo it', async () => {
    const gate = heldKeyRead(memoryAdapter());
    const { kw, keyId, token } = await withKey({ storage: gate.storage });
    await kw.keys.disable(admin, { keyId });
    gate.arm();
    const enabling = kw.keys.enable(admin, { keyId });
    await gate.held;
    await kw.keys.revoke(admin, { keyId });
    gate.release();
    expect((await rejection(enabling)).code).toBe(ERROR_CODES.INVALID_STATE);
    expect((await kw.keys.get(admin, { keyId })).status).toBe('revoked');
    expect(await kw.verify(token, READ)).toMatchObject({ ok: false, code: 'key_revoked' });
  });
});

/** Holds the next `findKeyForVerification` (the call's unlocked read) once armed, until released. */
function heldKeyRead(storage: StorageAdapter) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let armed = false;
  const wrapped: StorageAdapter = {
    ...storage,
    findKeyForVerification: async (args) => {
      const found = await storage.findKeyForVerification(args);
      if (!armed) return found;
      armed = false;
      markHeld();
      await released;
      return found;
    },
  };
  const arm = () => {
    armed = true;
  };
  return { storage: wrapped, held, release, arm };
}
