/**
 * Accounts on the API management page, in headless Chromium against the Express example over
 * SQLite: the sidebar list, Add account (roles without the owner, read-only, all data or a picked
 * set of data sets, a first key) and the secret shown once.
 */
import { expect, it } from 'vitest';
import {
  dialog,
  openAccount,
  shownText,
  sidebar,
  uniqueName,
  useAdminPage,
} from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser, expectSecretGone } from '../support/browser.js';

const app = useAdminPage();

describeInBrowser('accounts on the API management page', () => {
  it('lists the accounts of the workspace in the sidebar', async () => {
    const name = uniqueName('Listed by the API');
    await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await expect.poll(() => sidebar(page).getByRole('link', { name, exact: true }).count()).toBe(1);
    await expect.poll(() => sidebar(page).getByRole('button', { name: 'Add account' }).count()).toBe(1);
    await checkScreen(page, 'accounts', 'list');
    await openAccount(page, name);
  });

  it('creates an account with a first key: ids and secret shown once with copy buttons, gone after Done', async () => {
    const name = uniqueName('Nightly export');
    const { page } = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add service account' });
    await form.getByLabel('Account name').fill(name);
    await form.getByLabel('Description').fill('Exports orders every night');
    await form.getByLabel('Contact email').fill('data-team@acme.test');
    await form.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'analyst' }).check();
    await form.getByRole('radio', { name: 'Grant all workspace data' }).check();
    await form.getByRole('checkbox', { name: 'Create a first API key' }).check();
    await form.getByLabel('Key name').fill('nightly');
    await checkScreen(page, 'accounts', 'add-form');
    await form.getByRole('button', { name: 'Create' }).click();

    const created = dialog(page, 'Service account created');
    await created.waitFor();
    const text = await shownText(created);
    const token = /acme_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}/.exec(text)?.[0];
    expect(token, 'the token in the dialog').toBeDefined();
    const accountId = /sa_[0-9A-Za-z]{16}/.exec(text)?.[0] as string;
    expect(text).toContain('This secret is shown only once');
    for (const copy of ['Copy account id', 'Copy key id', 'Copy secret']) {
      expect(await created.getByRole('button', { name: copy }).count(), copy).toBe(1);
    }
    await checkScreen(page, 'accounts', 'created-dialog');

    // Stored as entered, and the key works on the data API.
    const stored = await app.api('GET', `/service-accounts/${accountId}`);
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({
      name,
      description: 'Exports orders every night',
      contactEmail: 'data-team@acme.test',
      roles: ['analyst'],
      readOnly: false,
      datasetAccess: { mode: 'all' },
      workspaceId: 'w_sales',
    });
    const keys = await app.api('GET', `/service-accounts/${accountId}/keys`);
    expect((keys.json.items as { name: string }[]).map((key) => key.name)).toEqual(['nightly']);
    expect(text).toContain((keys.json.items as { id: string }[])[0]?.id);
    expect(await app.callDataApi(token as string)).toBe(200);

    // Copy secret puts the token on the clipboard.
    await created.getByRole('button', { name: 'Copy secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await page.evaluate(() => navigator.clipboard.writeText(''));

    await created.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => created.isVisible()).toBe(false);
    await expectSecretGone(page, token as string);
    await expect.poll(() => sidebar(page).getByRole('link', { name, exact: true }).count()).toBe(1);
    await checkScreen(page, 'accounts', 'after-done');
  });

  it('offers only roles assignable to service accounts: never the owner role', async () => {
    const { page } = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const roles = page
      .getByRole('form', { name: 'Add service account' })
      .getByRole('group', { name: 'Roles' });
    await roles.getByRole('checkbox').first().waitFor();
    const offered = await roles
      .getByRole('checkbox')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).labels?.[0]?.textContent ?? ''));
    const catalog = await app.api('GET', '/catalog?workspaceId=w_sales');
    const assignable = (catalog.json.roles as { name: string }[]).map((role) => role.name);
    expect(assignable).not.toContain('owner');
    for (const role of assignable)
      expect(
        offered.some((label) => label.includes(role)),
        role,
      ).toBe(true);
    expect(offered.some((label) => /\bowner\b/i.test(label))).toBe(false);
    expect(offered).toHaveLength(assignable.length);
  });

  it('creates a read-only account on data sets picked manually, without a key: no secret shown', async () => {
    const name = uniqueName('Orders reader');
    const { page } = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add service account' });
    await form.getByLabel('Account name').fill(name);
    await form.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'viewer' }).check();
    await form.getByRole('checkbox', { name: 'Read-only' }).check();
    await form.getByRole('radio', { name: 'Select data sets manually' }).check();
    const picker = form.getByRole('group', { name: 'Data sets' });
    await picker.getByRole('checkbox', { name: 'Orders' }).check();
    await picker.getByRole('checkbox', { name: 'Customers' }).check();
    await checkScreen(page, 'accounts', 'dataset-picker');
    await form.getByRole('button', { name: 'Create' }).click();

    const created = dialog(page, 'Service account created');
    await created.waitFor();
    const text = await shownText(created);
    expect(text).not.toMatch(/acme_live_/);
    expect(await created.getByRole('button', { name: 'Copy secret' }).count()).toBe(0);
    await checkScreen(page, 'accounts', 'created-without-key');
    const accountId = /sa_[0-9A-Za-z]{16}/.exec(text)?.[0] as string;
    const stored = await app.api('GET', `/service-accounts/${accountId}`);
    expect(stored.json).toMatchObject({ name, roles: ['viewer'], readOnly: true });
    expect(stored.json.datasetAccess).toMatchObject({ mode: 'selected' });
    expect([...(stored.json.datasetAccess as { datasetIds: string[] }).datasetIds].sort()).toEqual([
      'd_customers',
      'd_orders',
    ]);
    await created.getByRole('button', { name: 'Done' }).click();
  });
});
