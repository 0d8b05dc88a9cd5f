/**
 * An account's details on the API management page: edit and Save (a conflicting edit shown, not
 * overwritten), data sets added with Select data sets and removed with the X, the endpoints base
 * URL copied, Disable / Enable (the keys stop and start), and Remove with a confirmation.
 */
import { expect, it } from 'vitest';
import { dialog, openAccount, section, uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

describeInBrowser('account details on the API management page', () => {
  it('edits name, contact email, description, roles and read-only, and saves them', async () => {
    const name = uniqueName('Before edit');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    const form = page.getByRole('form', { name: 'Account details' });
    await checkScreen(page, 'account-details', 'details');
    const renamed = uniqueName('After edit');
    await form.getByLabel('Account name').fill(renamed);
    await form.getByLabel('Contact email').fill('owner@acme.test');
    await form.getByLabel('Description').fill('Feeds the dashboard');
    const roles = form.getByRole('group', { name: 'Roles' });
    await roles.getByRole('checkbox', { name: 'viewer' }).uncheck();
    await roles.getByRole('checkbox', { name: 'analyst' }).check();
    await form.getByRole('checkbox', { name: 'Read-only' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: renamed, exact: true }).count())
      .toBe(1);
    await expect
      .poll(async () => (await app.api('GET', `/service-accounts/${account.id}`)).json)
      .toMatchObject({
        name: renamed,
        contactEmail: 'owner@acme.test',
        description: 'Feeds the dashboard',
        roles: ['analyst'],
        readOnly: true,
      });
    await checkScreen(page, 'account-details', 'saved');
  });

  it('shows a conflicting edit by someone else as such and overwrites nothing', async () => {
    const name = uniqueName('Contested');
    const account = await app.createAccount({ name, roles: ['viewer'], description: 'original' });
    const { page, watch } = await app.open();
    await openAccount(page, name);
    // Someone else renames the account after the page loaded it.
    const theirs = uniqueName('Renamed elsewhere');
    expect((await app.api('PATCH', `/service-accounts/${account.id}`, { name: theirs })).status).toBe(200);
    watch.allowStatuses(409, 412);
    const form = page.getByRole('form', { name: 'Account details' });
    await form.getByLabel('Description').fill('mine');
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'changed by someone else' });
    await alert.waitFor();
    await checkScreen(page, 'account-details', 'conflict');
    expect((await app.api('GET', `/service-accounts/${account.id}`)).json).toMatchObject({
      name: theirs,
      description: 'original',
    });
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => form.getByLabel('Account name').inputValue()).toBe(theirs);
    expect(await form.getByLabel('Description').inputValue()).toBe('original');
  });

  it('adds data sets with Select data sets, removes one with its X, and saves them', async () => {
    const name = uniqueName('Data sets');
    const account = await app.createAccount({
      name,
      roles: ['viewer'],
      datasetAccess: { mode: 'selected', datasetIds: ['d_orders'] },
    });
    const { page } = await app.open();
    await openAccount(page, name);
    await page.getByRole('button', { name: 'Select data sets' }).click();
    const select = dialog(page, 'Select data sets');
    await select.getByRole('checkbox', { name: 'Customers' }).check();
    await select.getByRole('checkbox', { name: 'Leads' }).check();
    await checkScreen(page, 'account-details', 'select-data-sets');
    await select.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: 'Remove Orders' }).click();
    await checkScreen(page, 'account-details', 'data-sets-edited');
    await page.getByRole('button', { name: 'Save data sets' }).click();
    await expect
      .poll(async () => {
        const access = (await app.api('GET', `/service-accounts/${account.id}`)).json.datasetAccess as {
          datasetIds?: string[];
        };
        return [...(access.datasetIds ?? [])].sort();
      })
      .toEqual(['d_customers', 'd_leads']);
  });

  it('copies the endpoints base URL of the workspace', async () => {
    const name = uniqueName('Endpoints');
    await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    const base = 'https://api.acme.test/workspaces/w_sales';
    await expect.poll(() => page.getByText(base).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Copy endpoints base URL' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(base);
  });

  it('disables the account (the page says all keys stop, the data API refuses its key) and enables it again', async () => {
    const name = uniqueName('Switched');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    expect(await app.callDataApi(account.token)).toBe(200);
    const { page } = await app.open();
    await openAccount(page, name);
    await expect.poll(() => page.getByText('Enabled', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByText('All keys of this account are refused until it is enabled again.').waitFor();
    await expect.poll(() => page.getByText('Disabled', { exact: true }).count()).toBeGreaterThan(0);
    // Each key's row says it stops too, though the key itself is untouched.
    const keys = section(page, 'API keys');
    await keys.getByText('Stopped: account disabled').waitFor();
    expect(await keys.getByText('Active', { exact: true }).count()).toBe(0);
    await checkScreen(page, 'account-details', 'disabled');
    expect((await app.api('GET', `/service-accounts/${account.id}`)).json.status).toBe('disabled');
    await expect.poll(() => app.callDataApi(account.token)).toBeOneOf([401, 403]);

    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByText('Keys of this account work again.').waitFor();
    await keys.getByText('Active', { exact: true }).waitFor();
    expect(await keys.getByText('Stopped: account disabled').count()).toBe(0);
    await checkScreen(page, 'account-details', 'enabled-again');
    await expect.poll(() => app.callDataApi(account.token)).toBe(200);
  });

  it('removes the account after a confirmation that says it cannot be undone and deletes every key', async () => {
    const name = uniqueName('Doomed');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const second = await app.api('POST', `/service-accounts/${account.id}/keys`, { name: 'second' });
    const secondToken = String(second.json.token);
    const { page } = await app.open();
    await openAccount(page, name);

    await page.getByRole('button', { name: 'Remove service account' }).click();
    const confirm = dialog(page, 'Remove service account?');
    const text = (await confirm.textContent()) ?? '';
    expect(text).toContain('This cannot be undone');
    expect(text).toContain('deletes every key');
    await checkScreen(page, 'account-details', 'remove-confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect((await app.api('GET', `/service-accounts/${account.id}`)).status).toBe(200);

    await page.getByRole('button', { name: 'Remove service account' }).click();
    await dialog(page, 'Remove service account?')
      .getByRole('button', { name: 'Remove', exact: true })
      .click();
    await expect.poll(async () => (await app.api('GET', `/service-accounts/${account.id}`)).status).toBe(404);
    await expect.poll(() => page.getByRole('link', { name, exact: true }).count()).toBe(0);
    await checkScreen(page, 'account-details', 'removed');
    await expect.poll(() => app.callDataApi(account.token)).toBe(401);
    await expect.poll(() => app.callDataApi(secondToken)).toBe(401);
  });
});
