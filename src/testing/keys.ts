import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../entities/api-key.js';
import type { ServiceAccount } from '../entities/service-account.js';
import type { ConformanceContext } from './conformance-context.js';
import { testDigest, testKeyId, testServiceAccountId, testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { expectConflict, expectSameRecord } from './record-assertions.js';
import { idsInOrder, walkPages } from './record-paging.js';
import { richApiKey } from './rich-records.js';

/**
 * Keys: insert, find, the verification read, update, listing.
 *
 * @internal
 */
export function describeKeys({ adapter }: ConformanceContext): void {
  async function storedAccount(overrides: Partial<ServiceAccount> = {}): Promise<ServiceAccount> {
    const account = buildServiceAccount(overrides);
    await adapter().insertServiceAccount({ account });
    return account;
  }

  async function storedKeys(keys: readonly ApiKey[]): Promise<void> {
    for (const key of keys) {
      expect(await adapter().insertKeyIfUnderLimit({ key, limit: 1_000, now: fixtureTime() })).toEqual({
        inserted: true,
      });
    }
  }

  describe('keys', () => {
    it('round-trips every field of a fully populated key', async () => {
      const account = await storedAccount();
      const key = richApiKey(account);
      await storedKeys([key]);
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
    });

    it('round-trips a key whose nullable fields are all null', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      await storedKeys([key]);
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
    });

    it('findKey returns null for an unknown key id', async () => {
      expect(await adapter().findKey({ tenantId: testTenantId(), keyId: testKeyId() })).toBeNull();
    });

    it('insertKeyIfUnderLimit with an existing key id throws CONFLICT and keeps the stored key', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account, { name: 'original' });
      await storedKeys([key]);
      const other = await storedAccount();
      const clash = buildApiKeyFor(other, { id: key.id, name: 'clash' });
      await expectConflict(adapter().insertKeyIfUnderLimit({ key: clash, limit: 10, now: fixtureTime() }));
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
      expect(await adapter().findKey({ tenantId: other.tenantId, keyId: key.id })).toBeNull();
    });

    it('findKeyForVerification returns the key with its account, by key id alone', async () => {
      const account = await storedAccount();
      const key = richApiKey(account);
      await storedKeys([key]);
      const found = await adapter().findKeyForVerification({ keyId: key.id });
      expectSameRecord(found?.key, key);
      expectSameRecord(found?.account, account);
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
      expectSameRecord(found?.key, key);
      expectSameRecord(found?.account, account);
    });

    it('findKeyForVerification returns null for an unknown key id', async () => {
      expect(await adapter().findKeyForVerification({ keyId: testKeyId() })).toBeNull();
    });

    it('updateKey stores and returns the new record', async () => {
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
        start: `acme_${key.id}_wxyz`,
        regeneratedBy: { type: 'key', id: testKeyId(), serviceAccountId: account.id },
        updatedAt: fixtureTime(1_000),
      };
      expectSameRecord(await adapter().updateKey({ key: regenerated }), regenerated);
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), regenerated);
      const revoked: ApiKey = {
        ...regenerated,
        status: 'revoked',
        revokedAt: fixtureTime(2_000),
        updatedAt: fixtureTime(2_000),
      };
      expectSameRecord(await adapter().updateKey({ key: revoked }), revoked);
      expectSameRecord((await adapter().findKeyForVerification({ keyId: key.id }))?.key, revoked);
      const listed = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 10,
      });
      expect(listed).toHaveLength(1);
      expectSameRecord(listed[0], revoked);
    });

    it('updateKey keeps the stored lastUsedAt: only touchKeys moves it', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      await storedKeys([key]);
      await adapter().touchKeys({ entries: [{ keyId: key.id, lastUsedAt: fixtureTime(500) }] });
      const renamed: ApiKey = { ...key, name: 'renamed', lastUsedAt: null, updatedAt: fixtureTime(1_000) };
      const expected: ApiKey = { ...renamed, lastUsedAt: fixtureTime(500) };
      expectSameRecord(await adapter().updateKey({ key: renamed }), expected);
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), expected);
      const later: ApiKey = { ...renamed, lastUsedAt: fixtureTime(9_000) };
      expectSameRecord(await adapter().updateKey({ key: later }), expected);
    });

    it('updateKey of a revoked key throws CONFLICT and leaves it unchanged: revocation is final', async () => {
      const account = await storedAccount();
      const revoked = buildApiKeyFor(account, { status: 'revoked', revokedAt: fixtureTime(10) });
      await storedKeys([revoked]);
      const revived: ApiKey = { ...revoked, status: 'active', revokedAt: null, hash: testDigest() };
      await expectConflict(adapter().updateKey({ key: revived }));
      await expectConflict(adapter().updateKey({ key: { ...revoked, name: 'renamed' } }));
      await expectConflict(adapter().transaction((tx) => tx.updateKey({ key: revived })));
      expectSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: revoked.id }), revoked);
    });

    it('updateKey of a missing key returns null and stores nothing', async () => {
      const account = await storedAccount();
      const key = buildApiKeyFor(account);
      expect(await adapter().updateKey({ key })).toBeNull();
      expect(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id })).toBeNull();
      expect(await adapter().findKeyForVerification({ keyId: key.id })).toBeNull();
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
      expect(listed.map((key) => key.id)).toEqual(idsInOrder(keys));
      expect(listed.slice(1, 7).map((key) => key.id.charAt(0))).toEqual(['0', '9', 'A', 'Z', 'a', 'z']);
      const firstTwo = await adapter().listKeys({
        tenantId: account.tenantId,
        serviceAccountId: account.id,
        limit: 2,
      });
      expect(firstTwo.map((key) => key.id)).toEqual(idsInOrder(keys).slice(0, 2));
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
      expect(walked.ids).toEqual(idsInOrder(keys));
      expect(walked.pageSizes).toEqual([4, 4, 4, 4, 1]);
    });

    it('listKeys returns [] for an account without keys or an unknown account', async () => {
      const account = await storedAccount();
      expect(
        await adapter().listKeys({ tenantId: account.tenantId, serviceAccountId: account.id, limit: 10 }),
      ).toEqual([]);
      const unknown = { tenantId: account.tenantId, serviceAccountId: testServiceAccountId(), limit: 10 };
      expect(await adapter().listKeys(unknown)).toEqual([]);
    });
  });
}
