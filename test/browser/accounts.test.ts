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

  it('pages through the accounts with "Load more": every account once, no button after the last page', async () => {
    // The sidebar asks for 50 accounts a page: 120 make three pages (50, 50, 20). They go in
    // Operations, where no other test of this file creates accounts, so the list is exactly these.
    const names = Array.from({ length: 120 }, (_, i) => `Paged account ${String(i + 1).padStart(3, '0')}`);
    for (let start = 0; start < names.length; start += 20) {
      const batch = names.slice(start, start + 20);
      const created = await Promise.all(
        batch.map((name) =>
          app.api('POST', '/service-accounts', { workspaceId: 'w_ops', name, roles: ['viewer'] }),
        ),
      );
      expect(created.map((answer) => answer.status)).toEqual(batch.map(() => 201));
    }
    const { page } = await app.open();
    const nav = sidebar(page);
    // Sales' list has loaded before Operations is picked, so no late answer for Sales lands after.
    await nav.getByRole('button', { name: 'Add account' }).waitFor();
    await expect.poll(() => nav.getByText('Loading…').count()).toBe(0);
    await page.getByLabel('Workspace', { exact: true }).selectOption({ label: 'Operations' });
    const links = nav.getByRole('list').getByRole('link');
    const loadMore = nav.getByRole('button', { name: 'Load more' });
    const shown = () => links.allTextContents();

    // The first page of Operations (order is the API's: all share one creation instant here).
    await expect.poll(async () => (await shown()).filter((name) => names.includes(name)).length).toBe(50);
    expect(await links.count()).toBe(50);
    expect(await loadMore.count()).toBe(1);
    await loadMore.click();
    await expect.poll(() => links.count()).toBe(100);
    expect(await loadMore.count()).toBe(1);
    await checkScreen(page, 'accounts', 'load-more');
    await loadMore.click();
    await expect.poll(() => links.count()).toBe(120);
    await expect.poll(() => loadMore.count()).toBe(0);
    expect([...(await shown())].sort()).toEqual(names);
  });

  it("never offers a workspace's data sets after the person has left it, whatever arrives late", async () => {
    const { page } = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add account' }).waitFor();
    // From now on, what the page reads about Sales (its catalog, its data sets) answers only when
    // the test lets it.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const aboutSales = (url: URL) =>
      url.pathname.endsWith('/workspaces/w_sales/datasets') ||
      (url.pathname.endsWith('/catalog') && url.searchParams.get('workspaceId') === 'w_sales');
    let heldRequests = 0;
    let answered = 0;
    await page.route(aboutSales, async (route) => {
      heldRequests += 1;
      await held;
      await route.continue();
    });
    page.on('requestfinished', (request) => {
      if (aboutSales(new URL(request.url()))) answered += 1;
    });
    const workspace = page.getByLabel('Workspace', { exact: true });
    await workspace.selectOption({ label: 'Operations' });
    await sidebar(page).getByRole('button', { name: 'Add account' }).waitFor();
    await workspace.selectOption({ label: 'Sales' });
    await expect.poll(() => heldRequests).toBe(2);
    await workspace.selectOption({ label: 'Operations' });
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add service account' });
    await form.getByRole('radio', { name: 'Select data sets manually' }).check();
    const picker = form.getByRole('group', { name: 'Data sets' });
    await picker.getByRole('checkbox', { name: 'Metrics' }).waitFor();
    release();
    // Sales' answers arrive now, for a workspace no longer chosen: the picker keeps Operations'.
    await expect.poll(() => answered).toBe(heldRequests);
    await page.waitForTimeout(200);
    expect(await picker.getByRole('checkbox', { name: 'Orders' }).count()).toBe(0);
    expect(await picker.getByRole('checkbox', { name: 'Metrics' }).count()).toBe(1);
    await page.unroute(aboutSales);
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
