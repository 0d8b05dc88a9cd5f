/**
 * A person's own keys on the API management page (My API keys): permissions offered only among
 * those the person has, a label, the secret once, and Revoke with a confirmation.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { dialog, section, shownText, shownToken, sidebar, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser, expectSecretGone } from '../support/browser.js';

const app = useAdminPage();

/** Opens My API keys and its Generate API key dialog; the labels of the permissions offered. */
async function offeredPermissions(page: Page): Promise<string[]> {
  await sidebar(page)
    .getByRole('link', { name: 'My API keys' })
    .or(sidebar(page).getByRole('button', { name: 'My API keys' }))
    .click();
  await page.getByRole('heading', { level: 2, name: 'My API keys' }).waitFor();
  await section(page, 'My API keys').getByRole('button', { name: 'Generate API key' }).click();
  const permissions = dialog(page, 'Generate API key').getByRole('group', { name: 'Permissions' });
  await permissions.getByRole('checkbox').first().waitFor();
  return permissions
    .getByRole('checkbox')
    .evaluateAll((boxes) =>
      boxes.map((box) => ((box as HTMLInputElement).labels?.[0]?.textContent ?? '').trim()),
    );
}

describeInBrowser('my API keys on the API management page', () => {
  it('offers a read-only person (victor) only permissions he has: no write permission', async () => {
    const { page } = await app.open({ user: 'victor' });
    const offered = await offeredPermissions(page);
    expect(offered.length).toBeGreaterThan(0);
    const held = ((await app.api('GET', '/me', undefined, 'victor')).json.permissions as string[]) ?? [];
    for (const label of offered) {
      expect(label, 'a read or list permission').toMatch(/:(read|list)\b/);
      expect(
        held.some((name) => label.includes(name)),
        `${label} is among /me's permissions`,
      ).toBe(true);
    }
    expect(offered.join(' ')).not.toMatch(/write|manage|ingest|delete/);
    await checkScreen(page, 'personal-keys', 'generate-dialog-victor');
  });

  it('offers an administrator (alice) the write permissions she has', async () => {
    const { page } = await app.open();
    const offered = await offeredPermissions(page);
    expect(offered.join(' ')).toContain('datasets:write');
  });

  it('generates a personal key with a label, shows the secret once, and revokes it after a confirmation', async () => {
    const { page } = await app.open({ user: 'victor' });
    await offeredPermissions(page);
    const generate = dialog(page, 'Generate API key');
    await generate.getByLabel('Label').fill('my notebook');
    await generate
      .getByRole('group', { name: 'Permissions' })
      .getByRole('checkbox', { name: 'datasets:read' })
      .check();
    await generate.getByRole('button', { name: 'Generate' }).click();

    const created = dialog(page, 'API key created');
    const token = await shownToken(created);
    expect(await shownText(created)).toContain('This secret is shown only once');
    await checkScreen(page, 'personal-keys', 'created-dialog');
    expect(await app.callDataApi(token)).toBe(200);
    await created.getByRole('button', { name: 'Done' }).click();
    await expectSecretGone(page, token);

    const mine = await app.api('GET', '/me/keys?workspaceId=w_sales', undefined, 'victor');
    expect((mine.json.items as { name: string }[]).map((key) => key.name)).toContain('my notebook');
    await expect.poll(() => section(page, 'My API keys').getByText('my notebook').count()).toBeGreaterThan(0);
    await checkScreen(page, 'personal-keys', 'list');

    await page.getByRole('button', { name: 'Revoke my notebook' }).click();
    const confirm = dialog(page, 'Revoke API key?');
    await checkScreen(page, 'personal-keys', 'revoke-confirmation');
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => app.callDataApi(token)).toBe(401);
    await expect
      .poll(async () => (await section(page, 'My API keys').textContent())?.toLowerCase())
      .toContain('revoked');
    await checkScreen(page, 'personal-keys', 'revoked');
  });
});
