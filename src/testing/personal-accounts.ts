import { assertDeepEqual, assertEqual, assertMatches, rejection } from './assertions.js';
import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildServiceAccount, fixtureTime } from './fixtures.js';
import { idsInOrder } from './record-paging.js';

/**
 * Personal accounts (the hidden account of one person's own keys in one workspace): stored and
 * read like service accounts, listed only when asked for by kind, one per person and workspace.
 *
 * @internal
 */
export function describePersonalAccounts({ adapter, describe, it }: ConformanceContext): void {
  describe('personal accounts', () => {
    it('a personal account round-trips with its owner, and its keys verify with it', async () => {
      const account = buildServiceAccount({ roles: [], ownerUserId: 'user-7' });
      await adapter().insertServiceAccount({ account });
      assertDeepEqual(await adapter().findServiceAccount(account), account);
      const key = buildApiKeyFor(account, { scopes: ['datasets:read'] });
      await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
      assertDeepEqual(await adapter().findKeyForVerification({ keyId: key.id }), { key, account });
    });

    it('listServiceAccounts lists service accounts only unless asked for personal ones', async () => {
      const tenantId = testTenantId();
      const service = buildServiceAccount({ tenantId, createdAt: fixtureTime(1) });
      const alice = buildServiceAccount({ tenantId, ownerUserId: 'alice', createdAt: fixtureTime(2) });
      const aliceElsewhere = buildServiceAccount({
        tenantId,
        workspaceId: 'ws-other',
        ownerUserId: 'alice',
        createdAt: fixtureTime(3),
      });
      const bob = buildServiceAccount({ tenantId, ownerUserId: 'bob', createdAt: fixtureTime(4) });
      for (const account of [service, alice, aliceElsewhere, bob])
        await adapter().insertServiceAccount({ account });
      const ids = async (args: object) =>
        (await adapter().listServiceAccounts({ tenantId, limit: 100, ...args })).map((account) => account.id);
      assertDeepEqual(await ids({}), [service.id], 'no kind');
      assertDeepEqual(await ids({ kind: 'service' }), [service.id], 'service');
      assertDeepEqual(await ids({ kind: 'personal' }), idsInOrder([alice, aliceElsewhere, bob]), 'personal');
      assertDeepEqual(
        await ids({ kind: 'personal', ownerUserId: 'alice' }),
        idsInOrder([alice, aliceElsewhere]),
        'alice',
      );
      assertDeepEqual(
        await ids({ kind: 'personal', ownerUserId: 'alice', workspaceId: 'ws-other' }),
        [aliceElsewhere.id],
        'alice in ws-other',
      );
      assertDeepEqual(await ids({ ownerUserId: 'alice' }), [], 'an owner never matches a service account');
    });

    it('queryKeys with accountKind finds only keys of accounts of that kind', async () => {
      const tenantId = testTenantId();
      const service = buildServiceAccount({ tenantId });
      const personal = buildServiceAccount({ tenantId, ownerUserId: 'frank' });
      for (const account of [service, personal]) await adapter().insertServiceAccount({ account });
      const serviceKey = buildApiKeyFor(service, { createdAt: fixtureTime(1) });
      const personalKey = buildApiKeyFor(personal, { createdAt: fixtureTime(2), scopes: ['datasets:read'] });
      for (const key of [serviceKey, personalKey])
        await adapter().insertKeyIfUnderLimit({ key, limit: 10, now: fixtureTime() });
      const ids = async (accountKind?: 'service' | 'personal') =>
        (await adapter().queryKeys({ tenantId, accountKind, now: fixtureTime(), limit: 10 })).map(
          (key) => key.id,
        );
      assertDeepEqual(await ids(), [serviceKey.id, personalKey.id], 'any kind');
      assertDeepEqual(await ids('personal'), [personalKey.id], 'personal');
      assertDeepEqual(await ids('service'), [serviceKey.id], 'service');
    });

    it('a second personal account of the same person in the same workspace throws CONFLICT', async () => {
      const tenantId = testTenantId();
      const first = buildServiceAccount({ tenantId, ownerUserId: 'carol' });
      await adapter().insertServiceAccount({ account: first });
      const twin = buildServiceAccount({ tenantId, ownerUserId: 'carol' });
      assertMatches(await rejection(adapter().insertServiceAccount({ account: twin })), { code: 'CONFLICT' });
      // Another workspace, another person, another tenant, or a service account: all allowed.
      for (const account of [
        buildServiceAccount({ tenantId, ownerUserId: 'carol', workspaceId: 'ws-other' }),
        buildServiceAccount({ tenantId, ownerUserId: 'dave' }),
        buildServiceAccount({ ownerUserId: 'carol' }),
        buildServiceAccount({ tenantId }),
      ])
        await adapter().insertServiceAccount({ account });
      const personal = await adapter().listServiceAccounts({ tenantId, kind: 'personal', limit: 100 });
      assertEqual(personal.length, 3);
    });

    it('a personal account can be created once by concurrent callers', async () => {
      const tenantId = testTenantId();
      const attempts = await Promise.allSettled(
        [1, 2, 3].map(() =>
          adapter().transaction(async (tx) => {
            await tx.insertServiceAccount({
              account: buildServiceAccount({ tenantId, ownerUserId: 'erin' }),
            });
          }),
        ),
      );
      assertEqual(attempts.filter((attempt) => attempt.status === 'fulfilled').length, 1);
      for (const attempt of attempts)
        if (attempt.status === 'rejected') assertMatches(attempt.reason, { code: 'CONFLICT' });
    });
  });
}
