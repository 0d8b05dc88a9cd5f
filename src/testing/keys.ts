import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import { assertDeepEqual, assertEqual, assertLength } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testDigest, testKeyId, testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertConflict, assertSameRecord } from './record-assertions.js';
import { idsInOrder, walkPages } from './record-paging.js';
import { richApiKey } from './rich-records.js';

/**
 * Keys: insert, find, the verification read, update, listing.
 *
 * @internal
 */
export function describeKeys({ adapter, describe, it }: ConformanceContext): void {
  async function storedAccount(overrides: Partial<ServiceAccount> = {}): Promise<ServiceAccount> {
    const account = buildServiceAccount(overrides);
    await adapter().insertServiceAccount({ account });
    return account;
  }

  async function storedKeys(keys: readonly ApiKey[]): Promise<void> {
    for (const key of keys) {
      assertDeepEqual(await adapter().insertKeyIfUnderLimit({ key, limit: 1_000, now: fixtureTime() }), {
        inserted: true,
      });
    }
  }

  describe('keys', () => {
    it('round-trips every field of a fully populated key', async () => {
      const account = await storedAccount();
      const key = richApiKey(account);
      await storedKeys([key]);
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
    });

    it('round-trips a key whose nullable fields are all null', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      await storedKeys([key]);
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
    });

    it('findKey returns null for an unknown key id', async () => {
      assertEqual(await adapter().findKey({ tenantId: testTenantId(), keyId: testKeyId() }), null);
    });

    it('insertKeyIfUnderLimit with an existing key id throws CONFLICT and keeps the stored key', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account, { name: 'original' });
      await storedKeys([key]);
      const other = await storedAccount();
      const clash = buildApiKeyFor(other, { id: key.id, name: 'clash' });
      await assertConflict(adapter().insertKeyIfUnderLimit({ key: clash, limit: 10, now: fixtureTime() }));
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
      assertEqual(await adapter().findKey({ tenantId: other.tenantId, keyId: key.id }), null);
    });

    it('findKeyForVerification returns the key with its account, by key id alone', async () => {
      const account = await storedAccount();
      const key = richApiKey(account);
      await storedKeys([key]);
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertSameRecord(found?.key, key);
      assertSameRecord(found?.account, account);
    });

    it('findKeyForVerification returns revoked keys and disabled accounts as stored', async () => {
      const account = await storedAccount({ status: 'disabled' });
      const key = buildApiKeyFor(account, {
        status: 'revoked',
        revokedAt: fixtureTime(-10),
        expiresAt: fixtureTime(-5),
      });
      await storedKeys([key]);
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertSameRecord(found?.key, key);
      assertSameRecord(found?.account, account);
    });

    it('findKeyForVerification returns null for an unknown key id', async () => {
      assertEqual(await adapter().findKeyForVerification({ keyId: testKeyId() }), null);
    });

    it('updateKey stores and returns the new record, who received the previous secret included', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      await storedKeys([key]);
      const regenerated: ApiKey = {
        ...key,
        hash: testDigest(),
        hashVersion: 2,
        pepperId: 'pepper-2',
        previousHash: key.hash,
        previousHashVersion: key.hashVersion,
        previousPepperId: null,
        previousHashExpiresAt: fixtureTime(60_000),
        previousRegeneratedBy: { type: 'user', id: 'user-1' },
        start: `acme_${key.id}_wxyz`,
        regeneratedBy: { type: 'key', id: testKeyId(), serviceAccountId: account.id },
        updatedAt: fixtureTime(1_000),
      };
      assertSameRecord(await adapter().updateKey({ key: regenerated }), regenerated);
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), regenerated);
      assertSameRecord((await adapter().findKeyForVerification({ keyId: key.id }))?.key, regenerated);
      // A revoke drops the previous secret and who received it.
      const revoked: ApiKey = {
        ...regenerated,
        status: 'revoked',
        revokedAt: fixtureTime(2_000),
        previousHash: null,
        previousHashVersion: null,
        previousPepperId: null,
        previousHashExpiresAt: null,
        previousRegeneratedBy: null,
        updatedAt: fixtureTime(2_000),
      };
      assertSameRecord(await adapter().updateKey({ key: revoked }), revoked);
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertSameRecord(found?.key, revoked);
      assertEqual(found?.key.previousRegeneratedBy, null);
      const listed = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 10,
      });
      assertLength(listed, 1);
      assertSameRecord(listed[0], revoked);
    });

    it('updateKey keeps the stored lastUsedAt: only touchKeys moves it', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      await storedKeys([key]);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(500) }] });
      const renamed: ApiKey = { ...key, name: 'renamed', lastUsedAt: null, updatedAt: fixtureTime(1_000) };
      const expected: ApiKey = { ...renamed, lastUsedAt: fixtureTime(500) };
      assertSameRecord(await adapter().updateKey({ key: renamed }), expected);
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), expected);
      const later: ApiKey = { ...renamed, lastUsedAt: fixtureTime(9_000) };
      assertSameRecord(await adapter().updateKey({ key: later }), expected);
    });

    it('updateKey of a revoked key throws CONFLICT and leaves it unchanged: revocation is final', async () => {
      const account = await storedAccount();
      const revoked = buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime(10) });
      await storedKeys([revoked]);
      const revived: ApiKey = { ...revoked, status: 'active', revokedAt: null, hash: testDigest() };
      await assertConflict(adapter().updateKey({ key: revived }));
      await assertConflict(adapter().updateKey({ key: { ...revoked, name: 'renamed' } }));
      await assertConflict(adapter().transaction((tx) => tx.updateKey({ key: revived })));
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: revoked.id }), revoked);
    });

    it('updateKey of a missing key returns null and stores nothing', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      assertEqual(await adapter().updateKey({ key }), null);
      assertEqual(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), null);
      assertEqual(await adapter().findKeyForVerification({ keyId: key.id }), null);
    });

    it("listKeys lists only that account's keys, by createdAt then id in binary order", async () => {
      const account = await storedAccount();
      const sibling = await storedAccount({ tenantId: account.tenantId });
      const keys = [
        buildApiKeyFor(account, { createdAt: fixtureTime(50) }),
        ...['z', 'A', '9', 'a', 'Z', '0'].map((first) => buildApiKeyFor(account, { id: testKeyId(first) })),
        buildApiKeyFor(account, { createdAt: fixtureTime(-50), status: 'revoked', revokedAt: fixtureTime() }),
      ];
      await storedKeys([
        ...keys,
        buildApiKeyFor(sibling),
        buildApiKeyFor(sibling, { createdAt: fixtureTime(1) }),
      ]);
      const listed = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 100,
      });
      assertDeepEqual(
        listed.map((key) => key.id),
        idsInOrder(keys),
      );
      assertDeepEqual(
        listed.slice(1, 7).map((key) => key.id.charAt(0)),
        ['0', '9', 'A', 'Z', 'a', 'z'],
      );
      const firstTwo = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 2,
      });
      assertDeepEqual(
        firstTwo.map((key) => key.id),
        idsInOrder(keys).slice(0, 2),
      );
    });

    it('pages through keys sharing one millisecond without repeating or skipping any', async () => {
      const account = await storedAccount();
      const keys = Array.from({ length: 17 }, (_, index) =>
        buildApiKeyFor(account, { createdAt: fixtureTime(index < 12 ? 3 : index) }),
      );
      await storedKeys(keys);
      const walked = await walkPages((after) =>
        adapter().listKeys({ tenantId: account.tenantId, serviceAccountId: account.id, limit: 4, after }),
      );
      assertDeepEqual(walked.ids, idsInOrder(keys));
      assertDeepEqual(walked.pageSizes, [4, 4, 4, 4, 1]);
    });

    it('listKeys returns [] for an account without keys or an unknown account', async () => {
      const account = await storedAccount();
      assertDeepEqual(
        await adapter().listKeys({ tenantId: account.tenantId, serviceAccountId: account.id, limit: 10 }),
        [],
      );
      const unknown = { tenantId: account.tenantId, serviceAccountId: testServiceAccountId(), limit: 10 };
      assertDeepEqual(await adapter().listKeys(unknown), []);
    });
  });
}
