/**
 * An account's audit trail on the API management page: who did what and when, refused attempts
 * of its keys included with their count.
 */
import { expect, it } from 'vitest';
import { openAccount, section, uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

describeInBrowser('the audit trail on the API management page', () => {
  it('lists who did what and when on the account and its keys, refused attempts included with their count', async () => {
    const name = uniqueName('Audited');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    expect(
      (await app.api('PATCH', `/service-accounts/${account.id}`, { description: 'audited' })).status,
    ).toBe(200);
    expect((await app.api('POST', `/keys/${account.keyId}/revoke`, {})).status).toBe(200);
    // Three calls with the revoked key: refused, counted, written as one event once flushed.
    for (let i = 0; i < 3; i++) expect(await app.callDataApi(account.token)).toBe(401);
    await app.servers.kw.flush();

    const { page } = await app.open();
    await openAccount(page, name);
    const trail = section(page, 'Audit trail');
    const rows = trail.getByRole('row');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    const headers = (await trail.getByRole('columnheader').allTextContents()).map((header) => header.trim());
    expect(headers).toEqual(expect.arrayContaining(['When', 'Who', 'Action', 'Outcome']));
    const text = (await trail.textContent()) ?? '';
    for (const action of [
      'Account created',
      'Account edited',
      'Key generated',
      'Key revoked',
      'Key refused',
    ]) {
      expect(text, action).toContain(action);
    }
    const refused = rows.filter({ hasText: 'Key refused' });
    const refusedText = (await refused.textContent()) ?? '';
    expect(refusedText).toContain('Denied: key_revoked, 3 times');
    expect(refusedText).toContain(account.keyId);
    const created = (await rows.filter({ hasText: 'Account created' }).textContent()) ?? '';
    expect(created).toMatch(/alice|u_alice/);
    expect(text).not.toContain(account.token);
    await checkScreen(page, 'audit-trail', 'account');
  });
});
