import type { UserActor } from '../entities/actor.js';
import type { AuditAction } from '../entities/audit-event.js';
import { createKeyward, type Keyward } from '../keyward.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, assertLength, assertMatches, rejection } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';

/** Rounds of each randomized race. */
const ROUNDS = 50;
const WORKSPACE = 'w_race';

/**
 * The lifecycle's trust rules under concurrency, through `createKeyward` over the adapter under
 * test and over its peer (another connection to the same database): a revoked key never
 * verifies again whatever raced with it, a disabled or deleted account never gains a key, one
 * change writes one audit event, and a change never writes back what it read before another
 * change committed. Each rule has a randomized race (adapter against peer, {@link ROUNDS}
 * rounds) and, where a stale read is the danger, a deterministic test that holds the read open
 * while the other change commits.
 *
 * @internal
 */
export function describeLifecycleRaces({ adapter, peer, describe, it }: ConformanceContext): void {
  function world(storage: StorageAdapter = adapter()) {
    const tenantId = testTenantId();
    const admin: UserActor = { type: 'user', id: 'u_race_admin', tenantId, permissions: ['*'] };
    const successor: UserActor = { type: 'user', id: 'u_race_successor', tenantId, permissions: ['*'] };
    const people = [admin, successor];
    const instance = (over: StorageAdapter) =>
      createKeyward({
        storage: over,
        tokenPrefix: 'race',
        lastUsedIntervalMs: 0,
        resolveActor: async ({ id }) => people.find((person) => person.id === id) ?? null,
      });
    const a = instance(storage);
    const b = instance(peer());
    const resource = { tenantId, workspaceId: WORKSPACE, datasetId: 'd_race' };
    const verifies = async (kw: Keyward, token: string) =>
      (await kw.verify(token, { action: 'datasets:read', resource })).ok;
    const account = async () =>
      a.serviceAccounts.create(admin, {
        workspaceId: WORKSPACE,
        name: 'racer',
        roles: ['analyst'],
        firstKey: { name: 'first' },
      });
    const events = async (targetId: string, action: AuditAction) =>
      (await a.audit.list(admin, { targetId, action, limit: 100 })).items.length;
    return { tenantId, admin, successor, a, b, verifies, account, events };
  }

  describe('lifecycle races', () => {
    it(`revoke against regenerate (${ROUNDS} rounds): the key ends revoked and no secret verifies`, async () => {
      const { admin, a, b, verifies, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await account();
        const keyId = key!.key.id;
        const [revoked, regenerated] = await Promise.allSettled([
          a.keys.revoke(admin, { keyId }),
          b.keys.regenerate(admin, { keyId, gracePeriodSeconds: 3600 }),
        ]);
        assertEqual(revoked.status, 'fulfilled');
        assertEqual((await a.keys.get(admin, { keyId })).status, 'revoked');
        assertEqual(await verifies(a, key!.token), false);
        if (regenerated.status === 'fulfilled')
          assertEqual(await verifies(a, regenerated.value.token), false);
        else assertMatches(regenerated.reason, { code: 'INVALID_STATE' });
        assertEqual(await events(keyId, 'api_key.revoke'), 1);
        assertEqual(await events(keyId, 'api_key.regenerate'), regenerated.status === 'fulfilled' ? 1 : 0);
      }
    });

    it(`revoke against an account update (${ROUNDS} rounds): both apply, once each`, async () => {
      const { admin, a, b, verifies, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const created = await account();
        const keyId = created.key!.key.id;
        const [revoked, updated] = await Promise.allSettled([
          a.keys.revoke(admin, { keyId }),
          b.serviceAccounts.update(admin, {
            id: created.account.id,
            name: `renamed ${round}`,
            readOnly: true,
          }),
        ]);
        assertDeepEqual([revoked.status, updated.status], ['fulfilled', 'fulfilled']);
        assertEqual((await a.keys.get(admin, { keyId })).status, 'revoked');
        assertMatches(await a.serviceAccounts.get(admin, { id: created.account.id }), {
          name: `renamed ${round}`,
          readOnly: true,
          version: 2,
        });
        assertEqual(await verifies(a, created.key!.token), false);
        assertEqual(await events(keyId, 'api_key.revoke'), 1);
        assertEqual(await events(created.account.id, 'service_account.update'), 1);
      }
    });

    it(`disable against issue (${ROUNDS} rounds): the account ends disabled and no key of it verifies`, async () => {
      const { admin, a, b, verifies, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const created = await account();
        const id = created.account.id;
        const [disabled, issued] = await Promise.allSettled([
          a.serviceAccounts.disable(admin, { id }),
          b.keys.issue(admin, { serviceAccountId: id, key: { name: 'racing' } }),
        ]);
        assertEqual(disabled.status, 'fulfilled');
        if (issued.status === 'rejected') assertMatches(issued.reason, { code: 'INVALID_STATE' });
        else assertEqual(await verifies(a, issued.value.token), false);
        const keys = (await a.keys.list(admin, { serviceAccountId: id })).items;
        assertLength(keys, issued.status === 'fulfilled' ? 2 : 1);
        assertEqual(await events(id, 'service_account.disable'), 1);
      }
    });

    it(`delete against issue (${ROUNDS} rounds): no key outlives its account`, async () => {
      const { tenantId, admin, a, b, verifies, account } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const created = await account();
        const id = created.account.id;
        const [deleted, issued] = await Promise.allSettled([
          a.serviceAccounts.delete(admin, { id }),
          b.keys.issue(admin, { serviceAccountId: id, key: { name: 'racing' } }),
        ]);
        assertEqual(deleted.status, 'fulfilled');
        if (issued.status === 'rejected') assertMatches(issued.reason, { code: 'NOT_FOUND' });
        else {
          assertEqual(await adapter().findKey({ tenantId, keyId: issued.value.key.id }), null);
          assertEqual(await verifies(a, issued.value.token), false);
        }
        assertEqual(await adapter().findKey({ tenantId, keyId: created.key!.key.id }), null);
      }
    });

    it('concurrent updates without expectedVersion all apply, one version each', async () => {
      const { admin, a, b, account, events } = world();
      const created = await account();
      const id = created.account.id;
      const updates = Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? a : b).serviceAccounts.update(admin, { id, description: `update ${i}` }),
      );
      const versions = (await Promise.all(updates)).map((updated) => updated.version);
      assertDeepEqual(
        [...versions].sort((x, y) => x - y),
        Array.from({ length: 20 }, (_, i) => i + 2),
      );
      assertEqual((await a.serviceAccounts.get(admin, { id })).version, 21);
      assertEqual(await events(id, 'service_account.update'), 20);
    });

    it(`concurrent revokes (${ROUNDS} rounds) write one audit event`, async () => {
      const { admin, a, b, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await account();
        const keyId = key!.key.id;
        const results = await Promise.all([
          a.keys.revoke(admin, { keyId }),
          b.keys.revoke(admin, { keyId }),
          a.keys.revoke(admin, { keyId }),
        ]);
        assertDeepEqual(
          results.map((info) => info.status),
          ['revoked', 'revoked', 'revoked'],
        );
        assertEqual(await events(keyId, 'api_key.revoke'), 1);
      }
    });

    it(`revoke against update, disable, enable and reassign (${ROUNDS} rounds): the key ends revoked, once`, async () => {
      const { admin, successor, a, b, verifies, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const { account: created, key } = await account();
        const keyId = key!.key.id;
        const other = [
          () => b.keys.update(admin, { keyId, name: `renamed ${round}` }),
          () => b.keys.disable(admin, { keyId }),
          () => b.keys.enable(admin, { keyId }),
          () =>
            b.serviceAccounts.reassignKeys(admin, { id: created.id, to: { type: 'user', id: successor.id } }),
        ][round % 4] as () => Promise<unknown>;
        if (round % 4 === 2) await a.keys.disable(admin, { keyId });
        const [revoked, changed] = await Promise.allSettled([a.keys.revoke(admin, { keyId }), other()]);
        assertEqual(revoked.status, 'fulfilled');
        if (changed.status === 'rejected') assertMatches(changed.reason, { code: 'INVALID_STATE' });
        const stored = await a.keys.get(admin, { keyId });
        assertEqual(stored.status, 'revoked');
        assertEqual(await verifies(a, key!.token), false);
        assertEqual(await verifies(b, key!.token), false);
        assertEqual(await events(keyId, 'api_key.revoke'), 1);
      }
    });

    it(`concurrent disables (${ROUNDS} rounds) write one audit event and leave the key disabled`, async () => {
      const { admin, a, b, verifies, account, events } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await account();
        const keyId = key!.key.id;
        const results = await Promise.all([
          a.keys.disable(admin, { keyId }),
          b.keys.disable(admin, { keyId }),
          a.keys.disable(admin, { keyId }),
        ]);
        assertDeepEqual(
          results.map((info) => info.status),
          ['disabled', 'disabled', 'disabled'],
        );
        assertEqual(await events(keyId, 'api_key.disable'), 1);
        assertEqual(await verifies(b, key!.token), false);
      }
    });

    it(`concurrent regenerates with a grace period (${ROUNDS} rounds): every returned secret works`, async () => {
      const { admin, a, b, verifies, account } = world();
      for (let round = 0; round < ROUNDS; round++) {
        const { key } = await account();
        const keyId = key!.key.id;
        const [first, second] = await Promise.all([
          a.keys.regenerate(admin, { keyId, gracePeriodSeconds: 3600 }),
          b.keys.regenerate(admin, { keyId, gracePeriodSeconds: 3600 }),
        ]);
        assertEqual(await verifies(a, first.token), true);
        assertEqual(await verifies(a, second.token), true);
        assertEqual(await verifies(a, key!.token), false);
      }
    });

    it('a regenerate whose first read predates a revoke cannot undo it', async () => {
      const gate = readGate(adapter(), 'findKeyForVerification');
      const { admin, a, verifies, account } = world(gate.storage);
      const { key } = await account();
      const keyId = key!.key.id;
      gate.arm();
      const regenerating = a.keys.regenerate(admin, { keyId, gracePeriodSeconds: 60 });
      await gate.held;
      await a.keys.revoke(admin, { keyId });
      gate.release();
      assertMatches(await rejection(regenerating), { code: 'INVALID_STATE' });
      assertEqual((await a.keys.get(admin, { keyId })).status, 'revoked');
      assertEqual(await verifies(a, key!.token), false);
    });

    it('a key revoked after its request was verified writes nothing: no key, no account', async () => {
      const { tenantId, admin, a, b, verifies } = world();
      const created = await a.serviceAccounts.create(admin, {
        workspaceId: WORKSPACE,
        name: 'automation',
        roles: ['admin'],
        firstKey: { name: 'ci' },
      });
      const token = created.key!.token;
      const verified = await a.verify(token, {
        action: 'service_accounts:manage',
        resource: { tenantId, workspaceId: WORKSPACE },
      });
      if (!verified.ok) throw new Error(`the admin key should verify, got ${verified.code}`);
      // The request's write comes after another instance revoked the key: it reads the key again.
      await b.keys.revoke(admin, { keyId: created.key!.key.id });
      assertMatches(
        await rejection(
          a.keys.issue(verified.principal, { serviceAccountId: created.account.id, key: { name: 'late' } }),
        ),
        { code: 'INVALID_STATE', details: { reason: 'revoked' } },
      );
      assertMatches(
        await rejection(
          a.serviceAccounts.create(verified.principal, {
            workspaceId: WORKSPACE,
            name: 'late',
            roles: ['admin'],
          }),
        ),
        { code: 'INVALID_STATE' },
      );
      const names = (await a.serviceAccounts.list(admin, {})).items.map((account) => account.name);
      assertEqual(names.includes('late'), false);
      assertEqual((await a.keys.list(admin, { serviceAccountId: created.account.id })).items.length, 1);
      assertEqual(await verifies(a, token), false);
    });

    it('an issue whose first read predates a disable gives the account no key', async () => {
      const gate = readGate(adapter(), 'findServiceAccount');
      const { admin, a, account } = world(gate.storage);
      const created = await account();
      gate.arm();
      const issuing = a.keys.issue(admin, { serviceAccountId: created.account.id, key: { name: 'late' } });
      await gate.held;
      await a.serviceAccounts.disable(admin, { id: created.account.id });
      gate.release();
      assertMatches(await rejection(issuing), { code: 'INVALID_STATE' });
      const keys = (await a.keys.list(admin, { serviceAccountId: created.account.id })).items;
      assertDeepEqual(
        keys.map((key) => key.name),
        ['first'],
      );
    });

    it('an issue whose first read predates a downgrade is held to the rights it gives', async () => {
      const gate = readGate(adapter(), 'findServiceAccount');
      const { tenantId, a, account } = world(gate.storage);
      const created = await account();
      const manager: UserActor = {
        type: 'user',
        id: 'u_race_manager',
        tenantId,
        permissions: ['api_keys:manage', 'service_accounts:*', '*:read', '*:list'],
      };
      const admin: UserActor = { type: 'user', id: 'u_race_admin', tenantId, permissions: ['*'] };
      await a.serviceAccounts.update(admin, { id: created.account.id, readOnly: true });
      gate.arm();
      const issuing = a.keys.issue(manager, { serviceAccountId: created.account.id, key: { name: 'late' } });
      await gate.held;
      await a.serviceAccounts.update(admin, { id: created.account.id, readOnly: false });
      gate.release();
      assertMatches(await rejection(issuing), { code: 'EXCEEDS_CREATOR_RIGHTS' });
    });

    it('a regenerate never writes back the lastUsedAt it read', async () => {
      const gate = readGate(adapter(), 'findKeyForVerification');
      const { tenantId, admin, a, account } = world(gate.storage);
      const { key } = await account();
      const keyId = key!.key.id;
      gate.arm();
      const regenerating = a.keys.regenerate(admin, { keyId });
      await gate.held;
      const usedAt = new Date(Date.now() - 1000);
      await adapter().touchKeys({ entries: [{ keyId, lastUsedAt: usedAt }] });
      gate.release();
      await regenerating;
      assertEqual((await adapter().findKey({ tenantId, keyId }))?.lastUsedAt?.getTime(), usedAt.getTime());
    });
  });
}

/**
 * Wraps `storage` so that, once `arm()` was called, the next call of `method` (a read outside any
 * transaction) resolves only after `release()`: the caller then decides, if it does not re-read under lock, on a
 * record older than whatever committed meanwhile. `held` settles once that read is waiting.
 */
function readGate(storage: StorageAdapter, method: 'findKeyForVerification' | 'findServiceAccount') {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => {
    markHeld = resolve;
  });
  let armed = false;
  const read = storage[method].bind(storage) as (args: never) => Promise<unknown>;
  const gated = async (args: never) => {
    const result = await read(args);
    if (armed) {
      armed = false;
      markHeld();
      await released;
    }
    return result;
  };
  const arm = () => {
    armed = true;
  };
  return { storage: { ...storage, [method]: gated } as StorageAdapter, arm, held, release };
}
