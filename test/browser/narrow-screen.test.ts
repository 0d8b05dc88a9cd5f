/**
 * The API management page on a narrow screen (480 px, a phone held upright) and a wide one
 * (1280 px): the keys table scrolls sideways inside its own box, which only then is a named region
 * a keyboard can reach and scroll; the page itself never scrolls sideways.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { openAccount, section, uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

/** Whether the page is wider than the window (it would scroll sideways). */
function pageOverflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

describeInBrowser('the API management page on a narrow screen', () => {
  it('scrolls the keys table inside a focusable named region at 480 px, and not at 1280 px', async () => {
    const name = uniqueName('Narrow screen');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const second = await app.api('POST', `/service-accounts/${account.id}/keys`, { name: 'second' });
    expect(second.status).toBe(201);

    const { page } = await app.open();
    await page.setViewportSize({ width: 480, height: 900 });
    await openAccount(page, name);
    const keys = section(page, 'API keys');
    await expect.poll(() => keys.getByRole('row').filter({ hasText: 'second' }).count()).toBe(1);
    expect(await keys.getByRole('row').filter({ hasText: 'first' }).count()).toBe(1);

    const label = `API keys of ${name}`;
    const region = keys.getByRole('region', { name: label, exact: true });
    await expect.poll(() => region.count()).toBe(1);
    expect(await region.getAttribute('tabindex')).toBe('0');
    expect(await region.getByRole('table').count()).toBe(1);
    expect(await region.evaluate((box) => box.scrollWidth > box.clientWidth)).toBe(true);
    expect(await pageOverflows(page)).toBe(false);

    // Reached by the keyboard and scrolled with it: Tab from the section's heading (a click there
    // sets where Tab starts) lands on the region within a few stops, then → scrolls it.
    await keys.getByRole('heading', { name: 'API keys', exact: true }).click();
    let stops = 0;
    while (!(await region.evaluate((box) => box === document.activeElement)) && stops < 10) {
      await page.keyboard.press('Tab');
      stops += 1;
    }
    expect(await region.evaluate((box) => box === document.activeElement), 'the region has the focus').toBe(
      true,
    );
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((box) => box.scrollLeft)).toBeGreaterThan(0);
    expect(await pageOverflows(page)).toBe(false);
    await checkScreen(page, 'narrow-screen', 'keys-480');

    // Wide enough for the table: a plain box again, no extra stop in the Tab order.
    await page.setViewportSize({ width: 1280, height: 900 });
    await expect.poll(() => keys.getByRole('region').count()).toBe(0);
    const table = keys.getByRole('table', { name: label, exact: true });
    expect(await table.count()).toBe(1);
    const box = table.locator('xpath=..');
    expect(await box.getAttribute('tabindex')).toBeNull();
    expect(await box.getAttribute('role')).toBeNull();
    expect(await pageOverflows(page)).toBe(false);
  });
});
