/**
 * Errors on the API management page: invalid input next to the field it concerns, a 403 that
 * says which rule refused, and a 401 that leads to the host's sign-in form and back.
 */
import { expect, it } from 'vitest';
import { PAGE_PATH, sidebar, uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

describeInBrowser('errors on the API management page', () => {
  it('shows an invalid contact email next to the Contact email field, and creates nothing', async () => {
    const name = uniqueName('Badly addressed');
    const { page, watch } = await app.open();
    watch.allowStatuses(400, 422);
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add service account' });
    await form.getByLabel('Account name').fill(name);
    await form.getByLabel('Contact email').fill('not-an-email');
    await form.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'viewer' }).check();
    await form.getByRole('button', { name: 'Create' }).click();

    const email = form.getByLabel('Contact email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    const message = await page.evaluate(
      (ids) =>
        ids
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      describedBy,
    );
    expect(message.trim()).not.toBe('');
    expect(await form.getByLabel('Account name').getAttribute('aria-invalid')).not.toBe('true');
    await checkScreen(page, 'errors', 'invalid-contact-email');
    const listed = await app.api('GET', '/service-accounts?workspaceId=w_sales&limit=100');
    expect((listed.json.items as { name: string }[]).map((account) => account.name)).not.toContain(name);
  });

  it('says which rule refused when a read-only person (victor) tries to create an account', async () => {
    const { page, watch } = await app.open({ user: 'victor' });
    watch.allowStatuses(403);
    await sidebar(page).getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('form', { name: 'Add service account' });
    await form.getByLabel('Account name').fill(uniqueName('Not allowed'));
    await form.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'viewer' }).check();
    await form.getByRole('button', { name: 'Create' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Refused' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('service_accounts:manage');
    await checkScreen(page, 'errors', 'refused-403');
  });

  it('asks to sign in without a session, and the Sign in link leads back to the page through the login form', async () => {
    const { page, watch } = await app.open({ user: null });
    watch.allowStatuses(401);
    await page.getByRole('heading', { name: 'Sign in required' }).waitFor();
    await checkScreen(page, 'errors', 'sign-in-required');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.origin}/login`);
    await page.getByLabel('User').fill('alice');
    await page.getByLabel('Password').fill('alice-demo-password');
    await checkScreen(page, 'errors', 'login-form');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.origin}${PAGE_PATH}`);
    await expect.poll(() => sidebar(page).getByRole('button', { name: 'Add account' }).count()).toBe(1);
  });
});
