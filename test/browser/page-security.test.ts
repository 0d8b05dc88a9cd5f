/**
 * The API management page's own protections, on each example app (Express, Fastify, Hono): a
 * strict Content-Security-Policy that is enforced (an injected inline script does not run), the
 * security headers, and no request to any origin but the page's.
 */
import { expect, it } from 'vitest';
import { API, FRAMEWORKS, send } from '../e2e/example-servers.js';
import { openAccount, PAGE_PATH, sidebar, uniqueName, useAdminPage } from '../support/admin-page-app.js';
import { checkScreen, describeInBrowser } from '../support/browser.js';

const app = useAdminPage();

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

describeInBrowser('the API management page protects itself', () => {
  it.each(FRAMEWORKS)(
    'is served by the %s example with a strict CSP and the security headers',
    async (framework) => {
      const origin = app.servers.url[framework];
      const html = await send(origin, 'GET', PAGE_PATH);
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.headers.get('content-security-policy')).toBe(CSP);
      expect(html.headers.get('x-content-type-options')).toBe('nosniff');
      expect(html.headers.get('referrer-policy')).toBe('no-referrer');
      expect(html.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(html.headers.get('cache-control')).toBe('no-store');
      expect(html.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html.text).not.toMatch(/<style|\sstyle=/);
      for (const asset of ['app.js', 'app.css']) {
        const answer = await send(origin, 'GET', `${API}/ui/${asset}`);
        expect(answer.status, asset).toBe(200);
        expect(answer.headers.get('content-security-policy'), asset).toBe(CSP);
      }

      const { page } = await app.open({ framework });
      await expect.poll(() => sidebar(page).getByRole('button', { name: 'Add account' }).count()).toBe(1);
      await checkScreen(page, 'page-security', `home-${framework}`);
    },
  );

  it.each(FRAMEWORKS)(
    'does not run an inline script injected into the page on the %s example',
    async (framework) => {
      const { page, watch } = await app.open({ framework });
      await sidebar(page).getByRole('button', { name: 'Add account' }).waitFor();
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__keywardInjected = true;';
        document.head.append(script);
        const handler = document.createElement('img');
        handler.setAttribute('src', 'data:,x');
        handler.setAttribute('onerror', 'window.__keywardInjected = true;');
        document.body.append(handler);
      });
      await expect.poll(() => watch.violations.length).toBeGreaterThan(0);
      expect(
        await page.evaluate(() => (window as { __keywardInjected?: boolean }).__keywardInjected),
      ).toBeUndefined();
      const violations = watch.takeCspViolations();
      expect(violations.every((violation) => violation.startsWith('script-src'))).toBe(true);
    },
  );

  it('sends no request to any other origin while the flows run', async () => {
    const name = uniqueName('Same origin');
    await app.createAccount({ name, roles: ['viewer'] });
    const { page, watch } = await app.open();
    await openAccount(page, name);
    const seen = watch.requests;
    expect(seen.some((url) => url.endsWith('/ui/app.js'))).toBe(true);
    expect(seen.some((url) => url.includes(`${API}/service-accounts`))).toBe(true);
    const others = seen.filter((url) => !url.startsWith(`${app.origin}/`) && !/^(data|blob):/.test(url));
    expect(others).toEqual([]);
    expect(watch.foreignRequests).toEqual([]);
  });
});
