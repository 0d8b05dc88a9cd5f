/**
 * The keys of an account on the API management page: the list, Generate API key (name, expiry,
 * scopes narrower than the account's; the secret once), the key limit, Regenerate (same key id,
 * new secret, optional grace period) and Revoke with a confirmation.
 */
import { expect, it } from 'vitest';
import { bearer, send } from '../e2e/example-servers.js';
import {
  DATA_ROUTE,
  dialog,
  openAccount,
  section,
  shownText,
  shownToken,
  uniqueName,
  useAdminPage,
} from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser, expectSecretGone } from '../support/browser.js';

const app = useAdminPage({ keyward: { maxKeysPerAccount: 2 } });

/** The keys of an account as the API lists them. */
async function keysOf(accountId: string) {
  const answer = await app.api('GET', `/service-accounts/${accountId}/keys`);
  return answer.json.items as {
    id: string;
    name: string;
    start: string;
    status: string;
    scopes: string[] | null;
    expiresAt: string | null;
    previousSecretActive: boolean;
  }[];
}

describeInBrowser('API keys on the API management page', () => {
  it('lists the keys with name, start of the key, created, last used, expiry and status', async () => {
    const name = uniqueName('Listed keys');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    const keys = section(page, 'API keys');
    await keys.getByRole('row').filter({ hasText: 'first' }).waitFor();
    const headers = await keys.getByRole('columnheader').allTextContents();
    expect(headers.map((header) => header.trim())).toEqual(
      expect.arrayContaining(['Name', 'Key', 'Created', 'Last used', 'Expires', 'Status']),
    );
    const [key] = await keysOf(account.id);
    const row = keys.getByRole('row').filter({ hasText: 'first' });
    const rowText = await shownText(row);
    expect(rowText).toContain(key?.start);
    expect(rowText).not.toContain(account.token);
    await checkScreen(page, 'keys', 'list');
  });

  it('generates a key with a name, an expiry and narrower scopes: the secret once, gone after Done; then the limit of 2 disables Generate', async () => {
    const name = uniqueName('Generates');
    const account = await app.createAccount({ name, roles: ['analyst'] });
    const { page } = await app.open();
    await openAccount(page, name);
    await section(page, 'API keys').getByRole('button', { name: 'Generate API key' }).click();
    const generate = dialog(page, 'Generate API key');
    await generate.getByLabel('Key name').fill('reporting');
    await generate.getByLabel('Expires').fill('2031-01-15');
    const scopes = generate.getByRole('group', { name: 'Scopes' });
    await scopes.getByRole('checkbox').first().waitFor();
    // Only the account's permissions: an analyst reads and writes data, it administers nothing.
    const offered = (
      await scopes
        .getByRole('checkbox')
        .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).labels?.[0]?.textContent ?? ''))
    ).join(' | ');
    expect(offered).toContain('datasets:read');
    expect(offered).not.toContain('service_accounts:manage');
    expect(offered).not.toContain('api_keys:manage');
    await scopes.getByRole('checkbox', { name: 'datasets:read' }).check();
    await checkScreen(page, 'keys', 'generate-dialog');
    await generate.getByRole('button', { name: 'Generate' }).click();

    const created = dialog(page, 'API key created');
    const token = await shownToken(created);
    expect(await shownText(created)).toContain('This secret is shown only once');
    await checkScreen(page, 'keys', 'created-dialog');
    const stored = (await keysOf(account.id)).find((key) => key.name === 'reporting');
    expect(stored?.scopes).toEqual(['datasets:read']);
    expect(stored?.expiresAt?.slice(0, 7)).toBe('2031-01');
    expect(await app.callDataApi(token)).toBe(200);
    const write = await send(app.origin, 'PUT', DATA_ROUTE, { headers: bearer(token), body: { rows: [] } });
    expect(write.status).toBe(403);

    await created.getByRole('button', { name: 'Done' }).click();
    await expectSecretGone(page, token);
    // Two keys now: the configured limit.
    const button = section(page, 'API keys').getByRole('button', { name: 'Generate API key' });
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await section(page, 'API keys').textContent()).toContain('At most 2 keys per account');
    await checkScreen(page, 'keys', 'limit-reached');
  });

  it('disables Generate API key at the key limit for an account that already has 2 keys', async () => {
    const name = uniqueName('Full');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    await app.api('POST', `/service-accounts/${account.id}/keys`, { name: 'second' });
    const { page } = await app.open();
    await openAccount(page, name);
    const button = section(page, 'API keys').getByRole('button', { name: 'Generate API key' });
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await section(page, 'API keys').textContent()).toContain('At most 2 keys per account');
  });

  it('regenerates a key: same key id, the new secret once, and the old token stops working', async () => {
    const name = uniqueName('Rotated');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    await page.getByRole('button', { name: 'Regenerate first' }).click();
    const confirm = dialog(page, 'Regenerate API key?');
    await confirm.getByLabel('Grace period (minutes)').waitFor();
    await checkScreen(page, 'keys', 'regenerate-confirmation');
    await confirm.getByRole('button', { name: 'Regenerate' }).click();

    const regenerated = dialog(page, 'API key regenerated');
    const token = await shownToken(regenerated);
    expect(token).not.toBe(account.token);
    expect(await shownText(regenerated)).toContain(account.keyId);
    await checkScreen(page, 'keys', 'regenerated-dialog');
    expect((await keysOf(account.id)).map((key) => key.id)).toEqual([account.keyId]);
    await expect.poll(() => app.callDataApi(account.token)).toBe(401);
    expect(await app.callDataApi(token)).toBe(200);
    await regenerated.getByRole('button', { name: 'Done' }).click();
    await expectSecretGone(page, token);
  });

  it('regenerates with a grace period: the old token keeps working meanwhile', async () => {
    const name = uniqueName('Graceful');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    await page.getByRole('button', { name: 'Regenerate first' }).click();
    const confirm = dialog(page, 'Regenerate API key?');
    await confirm.getByLabel('Grace period (minutes)').fill('30');
    await confirm.getByRole('button', { name: 'Regenerate' }).click();
    const regenerated = dialog(page, 'API key regenerated');
    const token = await shownToken(regenerated);
    expect((await keysOf(account.id))[0]?.previousSecretActive).toBe(true);
    expect(await app.callDataApi(account.token)).toBe(200);
    expect(await app.callDataApi(token)).toBe(200);
    await regenerated.getByRole('button', { name: 'Done' }).click();
  });

  it('revokes a key after a confirmation: its status says so and the token stops working', async () => {
    const name = uniqueName('Revoked');
    const account = await app.createAccount({ name, roles: ['viewer'] });
    const { page } = await app.open();
    await openAccount(page, name);
    await page.getByRole('button', { name: 'Revoke first' }).click();
    const confirm = dialog(page, 'Revoke API key?');
    await checkScreen(page, 'keys', 'revoke-confirmation');
    await confirm.getByRole('button', { name: 'Revoke', exact: true }).click();
    const row = section(page, 'API keys').getByRole('row').filter({ hasText: 'first' });
    await expect.poll(async () => (await row.textContent())?.toLowerCase()).toContain('revoked');
    await checkScreen(page, 'keys', 'revoked');
    expect((await keysOf(account.id))[0]?.status).toBe('revoked');
    await expect.poll(() => app.callDataApi(account.token)).toBe(401);
  });
});
