import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { StorageTransaction } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testKeyId, testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord } from './record-assertions.js';

/** How long a transaction holding a lock waits before it writes, while a contender tries the lock. */
const HOLD_MS = 30;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Locking reads: `lockServiceAccount` and `lockKey` find what `findServiceAccount` / `findKey`
 * find, and a transaction that locks rows another transaction holds gets them only once that
 * one committed, so it decides on what it committed. Contenders run on the peer adapter (another
 * connection when the suite has one).
 *
 * @internal
 */
export function describeLocking({ adapter, peer, describe, it }: ConformanceContext): void {
  async function storedKey(): Promise<{ account: ServiceAccount; key: ApiKey }> {
    const account = buildServiceAccount();
    const key = buildApiKeyFor(account);
    await adapter().insertServiceAccount({ account });
    await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
    // Also opens the peer's connection, so the contender below starts without connecting first.
    assertSameRecord(await peer().findKey({ tenantId: key.tenantId, keyId: key.id }), key);
    return { account, key };
  }

  /**
   * A holder transaction on the adapter takes its locks, starts the contender on the peer, waits
   * {@link HOLD_MS}, writes and commits. Resolves with what the contender read and the order of
   * the holder's write and the contender's read.
   */
  async function contend<T>(
    hold: (tx: StorageTransaction) => Promise<unknown>,
    write: (tx: StorageTransaction) => Promise<unknown>,
    contender: (tx: StorageTransaction) => Promise<T>,
  ): Promise<{ seen: T; order: string[] }> {
    const order: string[] = [];
    let contending: Promise<T> | undefined;
    await adapter().transaction(async (tx) => {
      await hold(tx);
      contending = peer().transaction(async (other) => {
        const seen = await contender(other);
        order.push('contender read');
        return seen;
      });
      contending.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      await sleep(HOLD_MS);
      await write(tx);
      order.push('holder wrote');
    });
    return { seen: await (contending as Promise<T>), order };
  }

  describe('locking reads', () => {
    it('lockKey returns the key with its account; null for a missing key or one of another tenant', async () => {
      const { account, key } = await storedKey();
      await adapter().transaction(async (tx) => {
        const locked = await tx.lockKey({ tenantId: key.tenantId, keyId: key.id });
        assertSameRecord(locked?.key, key);
        assertSameRecord(locked?.account, account);
        assertEqual(await tx.lockKey({ tenantId: key.tenantId, keyId: testKeyId() }), null);
        assertEqual(await tx.lockKey({ tenantId: testTenantId(), keyId: key.id }), null);
      });
    });

    it('lockServiceAccount returns the account; null for a missing id or another tenant', async () => {
      const { account } = await storedKey();
      await adapter().transaction(async (tx) => {
        assertSameRecord(
          await tx.lockServiceAccount({ tenantId: account.tenantId, id: account.id }),
          account,
        );
        const missing = { tenantId: account.tenantId, id: testServiceAccountId() };
        assertEqual(await tx.lockServiceAccount(missing), null);
        assertEqual(await tx.lockServiceAccount({ tenantId: testTenantId(), id: account.id }), null);
      });
    });

    it('lockKey sees the writes of its own transaction', async () => {
      const { account, key } = await storedKey();
      const renamed: ApiKey = { ...key, name: 'renamed', updatedAt: fixtureTime(1) };
      await adapter().transaction(async (tx) => {
        await tx.updateKey({ key: renamed });
        assertSameRecord((await tx.lockKey({ tenantId: key.tenantId, keyId: key.id }))?.key, renamed);
        await tx.deleteServiceAccount({ tenantId: account.tenantId, id: account.id });
        assertEqual(await tx.lockKey({ tenantId: key.tenantId, keyId: key.id }), null);
      });
    });

    it('lockKey waits for a transaction holding the key, then sees its revocation', async () => {
      const { key } = await storedKey();
      const revoked: ApiKey = {
        ...key,
        status: 'revoked',
        revokedAt: fixtureTime(5),
        updatedAt: fixtureTime(5),
      };
      const args = { tenantId: key.tenantId, keyId: key.id };
      const { seen, order } = await contend(
        (tx) => tx.lockKey(args),
        (tx) => tx.updateKey({ key: revoked }),
        (tx) => tx.lockKey(args),
      );
      assertDeepEqual(order, ['holder wrote', 'contender read']);
      assertSameRecord(seen?.key, revoked);
    });

    it('lockServiceAccount waits for a transaction holding the account, then sees its update', async () => {
      const { account } = await storedKey();
      const disabled: ServiceAccount = {
        ...account,
        status: 'disabled',
        version: 2,
        updatedAt: fixtureTime(5),
      };
      const args = { tenantId: account.tenantId, id: account.id };
      const { seen, order } = await contend(
        (tx) => tx.lockServiceAccount(args),
        (tx) => tx.updateServiceAccount({ account: disabled, expectedVersion: 1 }),
        (tx) => tx.lockServiceAccount(args),
      );
      assertDeepEqual(order, ['holder wrote', 'contender read']);
      assertSameRecord(seen, disabled);
    });

    it('lockKey waits for a transaction deleting the account, then finds nothing', async () => {
      const { account, key } = await storedKey();
      const { seen, order } = await contend(
        (tx) => tx.lockServiceAccount({ tenantId: account.tenantId, id: account.id }),
        (tx) => tx.deleteServiceAccount({ tenantId: account.tenantId, id: account.id }),
        (tx) => tx.lockKey({ tenantId: key.tenantId, keyId: key.id }),
      );
      assertDeepEqual(order, ['holder wrote', 'contender read']);
      assertEqual(seen, null);
    });

    it('2 x 25 concurrent lock-then-update transactions on adapter and peer all succeed, in turn', async () => {
      const { account, key } = await storedKey();
      const bump = (storage: typeof adapter) =>
        storage().transaction(async (tx) => {
          const locked = await tx.lockKey({ tenantId: key.tenantId, keyId: key.id });
          if (locked === null) throw new Error('the key went missing');
          const version = locked.account.version;
          const next = { ...locked.account, version: version + 1, updatedAt: fixtureTime(version) };
          await tx.updateServiceAccount({ account: next, expectedVersion: version });
          await tx.updateKey({ key: { ...locked.key, name: `v${version + 1}` } });
        });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) => bump(index % 2 === 0 ? adapter : peer)),
      );
      assertDeepEqual(
        outcomes.filter((outcome) => outcome.status === 'rejected'),
        [],
      );
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertEqual(found?.account.version, account.version + 50);
      assertEqual(found?.key.name, `v${account.version + 50}`);
    });
  });
}
