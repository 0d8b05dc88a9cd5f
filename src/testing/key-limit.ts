import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { InsertKeyResult } from '../storage/storage-adapter.js';
import { assertDeepEqual, assertEqual, assertLength, assertMatches, rejection } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';

/**
 * `insertKeyIfUnderLimit`: what counts as active, and atomicity under concurrent callers.
 *
 * @internal
 */
export function describeKeyLimit({ adapter, describe, it }: ConformanceContext): void {
  const now = fixtureTime(1_000_000);

  async function storedAccount(): Promise<ServiceAccount> {
    const account = buildServiceAccount();
    await adapter().insertServiceAccount({ account });
    return account;
  }

  function insert(key: ApiKey, limit: number): Promise<InsertKeyResult> {
    return adapter().insertKeyIfUnderLimit({ key, limit, now });
  }

  async function keyCount(account: ServiceAccount): Promise<number> {
    const keys = await adapter().listKeys({
      tenantId: account.tenantId,
      serviceAccountId: account.id,
      limit: 100,
    });
    return keys.length;
  }

  describe('key limit', () => {
    it('inserts while under the limit, then refuses with the active count and stores nothing', async () => {
      const account = await storedAccount();
      assertDeepEqual(await insert(buildApiKeyFor(account), 2), { inserted: true });
      assertDeepEqual(await insert(buildApiKeyFor(account), 2), { inserted: true });
      const refused = buildApiKeyFor(account);
      assertDeepEqual(await insert(refused, 2), { inserted: false, activeKeys: 2 });
      assertEqual(await adapter().findKey({ tenantId: account.tenantId, keyId: refused.id }), null);
      assertEqual(await keyCount(account), 2);
    });

    it('refuses a key whose account does not exist in its tenant with CONFLICT, storing nothing', async () => {
      const account = await storedAccount();
      const orphan = buildApiKeyFor(buildServiceAccount());
      assertMatches(await rejection(insert(orphan, 2)), { name: 'KeywardError', code: 'CONFLICT' });
      const elsewhere = buildApiKeyFor(account, { tenantId: buildServiceAccount().tenantId });
      assertMatches(await rejection(insert(elsewhere, 2)), { name: 'KeywardError', code: 'CONFLICT' });
      assertEqual(await adapter().findKeyForVerification({ keyId: orphan.id }), null);
      assertEqual(await adapter().findKeyForVerification({ keyId: elsewhere.id }), null);
    });

    it('does not count revoked keys', async () => {
      const account = await storedAccount();
      await insert(buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime() }), 10);
      await insert(buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime() }), 10);
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: true });
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: false, activeKeys: 1 });
    });

    it('frees a slot when a key is revoked through updateKey', async () => {
      const account = await storedAccount();
      const first = buildApiKeyFor(account);
      await insert(first, 1);
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: false, activeKeys: 1 });
      await adapter().updateKey({ key: { ...first, status: 'revoked', revokedAt: now } });
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: true });
    });

    it('does not count keys expired at or before now, and counts keys expiring after now', async () => {
      const account = await storedAccount();
      await insert(buildApiKeyFor(account, { expiresAt: fixtureTime(-1) }), 10);
      await insert(buildApiKeyFor(account, { expiresAt: now }), 10);
      assertDeepEqual(await insert(buildApiKeyFor(account, { expiresAt: new Date(now.getTime() + 1) }), 1), {
        inserted: true,
      });
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: false, activeKeys: 1 });
      assertDeepEqual(await insert(buildApiKeyFor(account), 2), { inserted: true });
    });

    it('counts only keys of the same account', async () => {
      const account = await storedAccount();
      const sibling = buildServiceAccount({ tenantId: account.tenantId, workspaceId: account.workspaceId });
      await adapter().insertServiceAccount({ account: sibling });
      await insert(buildApiKeyFor(sibling), 10);
      await insert(buildApiKeyFor(sibling), 10);
      assertDeepEqual(await insert(buildApiKeyFor(account), 1), { inserted: true });
    });

    it('reports every active key when the account is already over the limit', async () => {
      const account = await storedAccount();
      for (let index = 0; index < 3; index++) await insert(buildApiKeyFor(account), 10);
      assertDeepEqual(await insert(buildApiKeyFor(account), 2), { inserted: false, activeKeys: 3 });
    });

    it('50 concurrent inserts against a limit of 2 store exactly 2 keys', async () => {
      const account = await storedAccount();
      const keys = Array.from({ length: 50 }, () => buildApiKeyFor(account));
      const results = await Promise.all(keys.map((key) => insert(key, 2)));
      const inserted = keys.filter((_, index) => results[index]?.inserted === true);
      assertLength(inserted, 2);
      assertDeepEqual(
        results.filter((result) => !result.inserted),
        Array.from({ length: 48 }, () => ({ inserted: false, activeKeys: 2 })),
      );
      const stored = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 100,
      });
      assertDeepEqual(stored.map((key) => key.id).sort(), inserted.map((key) => key.id).sort());
    });

    it('concurrent inserts on two accounts each fill their own limit', async () => {
      const first = await storedAccount();
      const second = await storedAccount();
      const keys = Array.from({ length: 40 }, (_, index) => buildApiKeyFor(index % 2 === 0 ? first : second));
      const results = await Promise.all(keys.map((key) => insert(key, 3)));
      assertLength(
        results.filter((result) => result.inserted),
        6,
      );
      assertEqual(await keyCount(first), 3);
      assertEqual(await keyCount(second), 3);
    });
  });
}
