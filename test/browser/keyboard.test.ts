/**
 * The API management page with the keyboard only: every control of the Add account flow reached
 * with Tab and shown with a visible focus, activated with Enter or Space, dialogs keeping the focus
 * and closing with Escape.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

/** The focused element, as the tests need it. */
interface Focused {
  readonly tag: string;
  readonly name: string;
  readonly inOpenDialog: boolean;
  readonly anyDialogOpen: boolean;
  readonly focusVisible: boolean;
}

function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (element === null || element === document.body) {
      return {
        tag: 'BODY',
        name: '',
        inOpenDialog: false,
        anyDialogOpen: document.querySelector('dialog[open]') !== null,
        focusVisible: false,
      };
    }
    const labels = 'labels' in element ? Array.from((element as HTMLInputElement).labels ?? []) : [];
    const name = (
      element.getAttribute('aria-label') ??
      (labels.length > 0 ? labels.map((label) => label.textContent ?? '').join(' ') : element.textContent) ??
      ''
    ).trim();
    const style = getComputedStyle(element);
    const outlined = style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
    return {
      tag: element.tagName,
      name,
      inOpenDialog: element.closest('dialog[open]') !== null,
      anyDialogOpen: document.querySelector('dialog[open]') !== null,
      focusVisible: outlined || style.boxShadow !== 'none',
    };
  });
}

/** Presses Tab until the focused control's name matches `name`; fails after 80 presses. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  const matches = (text: string) => (typeof name === 'string' ? text === name : name.test(text));
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    // Inside an open modal dialog the focus stays in it.
    if (now.anyDialogOpen && now.tag !== 'BODY')
      expect(now.inOpenDialog, `focus on "${now.name}"`).toBe(true);
    if (matches(now.name)) {
      expect(now.focusVisible, `visible focus on "${now.name}"`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached "${String(name)}"`);
}

describeInBrowser('the API management page with the keyboard only', () => {
  it('creates an account with a first key using only the keyboard, and closes a dialog with Escape', async () => {
    const name = uniqueName('Typed');
    const { page } = await app.open();
    await page.getByRole('button', { name: 'Add account' }).waitFor();
    await tabTo(page, 'Add account');
    await page.keyboard.press('Enter');
    await tabTo(page, 'Account name');
    await page.keyboard.type(name);
    await tabTo(page, /^viewer\b/);
    await page.keyboard.press('Space');
    await tabTo(page, 'Create a first API key');
    await page.keyboard.press('Space');
    await tabTo(page, 'Key name');
    await page.keyboard.type('typed');
    await checkScreen(page, 'keyboard', 'add-form-focused');
    await tabTo(page, 'Create');
    await page.keyboard.press('Enter');

    await page.getByRole('dialog', { name: 'Service account created' }).waitFor();
    await expect.poll(async () => (await focused(page)).inOpenDialog).toBe(true);
    await tabTo(page, 'Done');
    await checkScreen(page, 'keyboard', 'created-dialog-focused');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    const listed = await app.api('GET', '/service-accounts?workspaceId=w_sales&limit=100');
    const created = (listed.json.items as { id: string; name: string; roles: string[] }[]).find(
      (account) => account.name === name,
    );
    expect(created?.roles).toEqual(['viewer']);
    const keys = await app.api('GET', `/service-accounts/${created?.id}/keys`);
    expect((keys.json.items as { name: string }[]).map((key) => key.name)).toEqual(['typed']);

    // A confirmation dialog keeps the focus and Escape closes it without doing anything.
    await tabTo(page, name);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name }).waitFor();
    await tabTo(page, 'Remove service account');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Remove service account?' }).waitFor();
    await expect.poll(async () => (await focused(page)).inOpenDialog).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect((await app.api('GET', `/service-accounts/${created?.id}`)).status).toBe(200);
  });
});
