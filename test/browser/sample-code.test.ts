/**
 * Sample code on the API management page: Python, TypeScript and curl with a placeholder for the
 * key, the real token only while a secret dialog is open, Copy code, and Download as a file.
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import {
  dialog,
  openAccount,
  section,
  shownToken,
  uniqueName,
  useAdminPage,
} from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser, expectSecretGone } from '../support/browser.js';

const app = useAdminPage();

const LANGUAGES = [
  { label: 'Python', file: 'keyward-sample.py' },
  { label: 'TypeScript', file: 'keyward-sample.ts' },
  { label: 'curl', file: 'keyward-sample.sh' },
] as const;

describeInBrowser('sample code on the API management page', () => {
  it('shows YOUR_API_KEY in each language, and downloads each as a file', async () => {
    const name = uniqueName('Sampled');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    const sample = section(page, 'Sample code');
    const code = sample.locator('pre code');
    for (const { label, file } of LANGUAGES) {
      await sample.getByLabel('Language').selectOption({ label });
      await expect.poll(() => code.textContent()).toContain('YOUR_API_KEY');
      const shown = (await code.textContent()) ?? '';
      expect(shown).toContain('https://api.acme.test/workspaces/w_sales');
      expect(shown).not.toContain(account.token);
      await checkScreen(page, 'sample-code', label.toLowerCase());
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        sample.getByRole('button', { name: 'Download' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(file);
      const saved = await readFile((await download.path()) as string, 'utf8');
      expect(saved).toBe(shown);
    }
    await sample.getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('YOUR_API_KEY');
  });

  it('holds the token only while the secret dialog is open, and the placeholder again after Done', async () => {
    const name = uniqueName('Sampled with a secret');
    await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    await section(page, 'API keys').getByRole('button', { name: 'Generate API key' }).click();
    const generate = dialog(page, 'Generate API key');
    await generate.getByLabel('Key name').fill('sampled');
    await generate.getByRole('button', { name: 'Generate' }).click();
    const created = dialog(page, 'API key created');
    const token = await shownToken(created);
    const code = created.locator('pre code');
    await expect.poll(() => code.textContent()).toContain(token);
    expect(await code.textContent()).not.toContain('YOUR_API_KEY');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      created.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(await readFile((await download.path()) as string, 'utf8')).toContain(token);
    await checkScreen(page, 'sample-code', 'with-secret');

    await created.getByRole('button', { name: 'Done' }).click();
    await expectSecretGone(page, token);
    await expect
      .poll(() => section(page, 'Sample code').locator('pre code').textContent())
      .toContain('YOUR_API_KEY');
  });
});
