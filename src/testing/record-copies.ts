import type { ConformanceContext } from './conformance-context.js';
import { testTenantId } from './fixture-ids.js';
import { buildApiKeyFor, buildAuditEvent, buildServiceAccount, fixtureTime } from './fixtures.js';
import { assertSameRecord, attemptChange } from './record-assertions.js';
import { richApiKey, richAuditEvent, richServiceAccount } from './rich-records.js';

/**
 * Stored records belong to the adapter: changing an object after writing it, or a record a
 * read returned, never changes what is stored.
 *
 * @internal
 */
export function describeRecordCopies({ adapter, describe, it }: ConformanceContext): void {
  describe('stored records are not shared with callers', () => {
    it('changing written objects afterwards does not change the stored records', async () => {
      const account = richServiceAccount(testTenantId());
      const key = richApiKey(account);
      const event = richAuditEvent(account.tenantId);
      const expected = structuredClone({ account, key, event });
      await adapter().insertServiceAccount({ account });
      await adapter().insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
      await adapter().insertAuditEvent({ event });

      account.name = 'changed';
      account.roles.push('admin');
      account.metadata.team = 'changed';
      account.createdAt.setTime(0);
      key.scopes?.push('*');
      key.expiresAt?.setTime(0);
      (event.after as Record<string, unknown>).note = 'changed';
      event.request.ip = '198.51.100.1';

      const found = await adapter().findKeyForVerification({ keyId: key.id });
      assertSameRecord(found?.account, expected.account);
      assertSameRecord(found?.key, expected.key);
      const events = await adapter().listAuditEvents({ tenantId: account.tenantId, limit: 10 });
      assertSameRecord(events[0], expected.event);
    });

    it('changing records returned by reads does not change the stored records', async () => {
      const account = buildServiceAccount({ roles: ['reader'], metadata: { team: 'data' } });
      const key = buildApiKeyFor(account, { scopes: ['datasets:read'], lastUsedAt: fixtureTime(5) });
      const event = buildAuditEvent({ tenantId: account.tenantId, after: { roles: ['reader'] } });
      await adapter().insertServiceAccount({ account });
      await adapter().insertKeyIfUnderLimit({ key, limit: 2, now: fixtureTime() });
      await adapter().insertAuditEvent({ event });

      const found = await adapter().findKeyForVerification({ keyId: key.id });
      const listed = await adapter().listAuditEvents({ tenantId: account.tenantId, limit: 10 });
      const returned = { account: found?.account, key: found?.key, event: listed[0] };
      attemptChange(() => returned.account?.roles.push('admin'));
      attemptChange(() => returned.account?.createdAt.setTime(0));
      attemptChange(() => Object.assign(returned.account?.metadata ?? {}, { team: 'changed' }));
      attemptChange(() => returned.key?.scopes?.push('*'));
      attemptChange(() => returned.key?.lastUsedAt?.setTime(0));
      attemptChange(() => Object.assign(returned.key ?? {}, { status: 'revoked' }));
      attemptChange(() => ((returned.event?.after?.roles as string[] | undefined) ?? []).push('admin'));

      assertSameRecord(
        await adapter().findServiceAccount({ tenantId: account.tenantId, id: account.id }),
        account,
      );
      assertSameRecord(await adapter().findKey({ tenantId: account.tenantId, keyId: key.id }), key);
      assertSameRecord(
        (await adapter().listAuditEvents({ tenantId: account.tenantId, limit: 10 }))[0],
        event,
      );
    });
  });
}
