/**
 * The page reads its screen from the URL fragment. A link whose account part is no account id (a
 * malformed escape such as `%E0%A4%A`, which `decodeURIComponent` throws on, or `..`) opens the
 * home screen: anyone can send such a link to an admin, and the page must not stay blank.
 */
import { expect, it } from 'vitest';
import { PAGE_PATH, sidebar, useAdminPage } from '../support/admin-page-app.js';
import { describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

describeInBrowser('a malformed account fragment', () => {
  it('still opens the API management page from a link', async () => {
    const { page } = await app.open();
    await sidebar(page).getByRole('button', { name: 'Add account' }).waitFor();
    await page.goto('about:blank');
    await page.goto(`${app.origin}${PAGE_PATH}#/accounts/%E0%A4%A`);
    await expect
      .poll(() => sidebar(page).getByRole('button', { name: 'Add account' }).count(), { timeout: 5_000 })
      .toBe(1);
    // A fragment changed later, while the page runs, as well.
    await page.evaluate(() => {
      location.hash = '#/accounts/..';
    });
    await page.evaluate(() => {
      location.hash = '#/accounts/%';
    });
    await expect
      .poll(() => sidebar(page).getByRole('button', { name: 'Add account' }).count(), { timeout: 5_000 })
      .toBe(1);
  });
});
