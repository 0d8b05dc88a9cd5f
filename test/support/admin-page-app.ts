/**
 * The API management page as its browser tests meet it: an example app over a fresh SQLite file
 * (the e2e tests' {@link startExampleServers}), one headless Chromium per test file and a new
 * browser context per page, signed in as a demo person through the `kw_demo_session` cookie.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { KeywardConfig } from '../../src/index.js';
import {
  type Answer,
  API,
  bearer,
  type CreatedAccount,
  createAccount,
  type ExampleServers,
  type Framework,
  send,
  startExampleServers,
} from '../e2e/example-servers.js';
import { launchChromium, type PageWatch, watchPage } from './browser.js';

/** Where the examples serve the page. */
export const PAGE_PATH = `${API}/ui/`;

/** A dataset route of the demo's data API (Sales / Orders), to try keys against. */
export const DATA_ROUTE = '/workspaces/w_sales/datasets/d_orders';

/** A page opened in its own browser context, and what its watch saw. */
export interface OpenedPage {
  readonly page: Page;
  readonly watch: PageWatch;
}

/** The fixture {@link useAdminPage} returns; usable from `beforeAll` on. */
export interface AdminPageApp {
  /** The example app's origin, `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The running example servers (keyward instance, clock). */
  readonly servers: ExampleServers;
  /** Sends a management API request as `user` (alice by default). */
  api(method: string, path: string, body?: unknown, user?: string): Promise<Answer>;
  /** Creates a service account in Sales through the API (with a first key unless told otherwise). */
  createAccount(input: Record<string, unknown>): Promise<CreatedAccount>;
  /** Calls the data API's dataset route with `token`; its status. */
  callDataApi(token: string): Promise<number>;
  /**
   * Opens the page in a new browser context, signed in as `user` (alice by default; `null`: not
   * signed in), with the Sales workspace selected; on the file's example app unless `framework`
   * names another (all three share one keyward and one set of sessions).
   */
  open(options?: {
    user?: string | null | undefined;
    framework?: Framework | undefined;
  }): Promise<OpenedPage>;
}

/**
 * Registers the hooks of a browser test file: example servers and Chromium in `beforeAll`; after
 * each test, every page it opened must have stayed clean (no console error, no CSP violation, no
 * unexpected error answer, no foreign request) and its contexts are closed.
 */
export function useAdminPage(
  options: { framework?: Framework; keyward?: Partial<Omit<KeywardConfig, 'storage'>> } = {},
): AdminPageApp {
  const framework = options.framework ?? 'express';
  let servers: ExampleServers | undefined;
  let browser: Browser | undefined;
  const sessions = new Map<string, Record<string, string>>();
  let opened: { context: BrowserContext; watch: PageWatch }[] = [];

  beforeAll(async () => {
    [servers, browser] = await Promise.all([
      startExampleServers({ keyward: { maxKeysPerAccount: 2, ...options.keyward } }),
      launchChromium(),
    ]);
  });
  afterEach(async () => {
    const closing = opened;
    opened = [];
    try {
      for (const { watch } of closing) watch.expectClean();
    } finally {
      await Promise.all(closing.map(({ context }) => context.close()));
    }
  });
  afterAll(async () => {
    await browser?.close();
    await servers?.close();
  });

  const running = (): ExampleServers => {
    if (servers === undefined) throw new Error('useAdminPage: the servers start in beforeAll');
    return servers;
  };
  const origin = () => running().url[framework];
  const session = async (user: string): Promise<string> => {
    const known = sessions.get(user);
    if (known !== undefined) return known['x-session'] as string;
    const answer = await send(origin(), 'POST', '/login', {
      body: { user, password: `${user}-demo-password` },
    });
    if (answer.status !== 200) throw new Error(`login of ${user} failed: ${answer.status}`);
    sessions.set(user, { 'x-session': String(answer.json.session) });
    return String(answer.json.session);
  };
  const app: AdminPageApp = {
    get origin() {
      return origin();
    },
    get servers() {
      return running();
    },
    async api(method, path, body, user = 'alice') {
      const headers = { 'x-session': await session(user) };
      return send(origin(), method, `${API}${path}`, body === undefined ? { headers } : { headers, body });
    },
    async createAccount(input) {
      return createAccount(origin(), { 'x-session': await session('alice') }, input);
    },
    async callDataApi(token) {
      return (await send(origin(), 'GET', DATA_ROUTE, { headers: bearer(token) })).status;
    },
    async open({ user = 'alice', framework: other } = {}) {
      if (browser === undefined) throw new Error('useAdminPage: the browser starts in beforeAll');
      const origin = () => running().url[other ?? framework];
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        acceptDownloads: true,
      });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: origin() });
      if (user !== null) {
        await context.addCookies([{ name: 'kw_demo_session', value: await session(user), url: origin() }]);
      }
      const page = await context.newPage();
      const watch = await watchPage(page, origin());
      opened.push({ context, watch });
      await page.goto(origin() + PAGE_PATH);
      if (user !== null) await selectSales(page);
      return { page, watch };
    },
  };
  return app;
}

/** Waits for the page to be ready and picks the Sales workspace. */
async function selectSales(page: Page): Promise<void> {
  const picker = page.getByLabel('Workspace', { exact: true });
  await expect.poll(() => picker.count(), { timeout: 10_000 }).toBe(1);
  if ((await picker.evaluate((element) => element.tagName)) === 'SELECT') {
    await picker.selectOption({ label: 'Sales' });
  } else {
    await picker.fill('w_sales');
    await picker.press('Enter');
  }
}

/** The sidebar of service accounts. */
export function sidebar(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Service accounts' });
}

/** Opens an account from the sidebar and waits for its details (`<h2>` = its name). */
export async function openAccount(page: Page, name: string): Promise<void> {
  await sidebar(page).getByRole('link', { name, exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { level: 2, name, exact: true }).count()).toBe(1);
}

/** A dialog by its accessible name. */
export function dialog(page: Page, name: string): Locator {
  return page.getByRole('dialog', { name, exact: true });
}

/** A unique name for what a test creates (the servers are shared by the tests of a file). */
export function uniqueName(base: string): string {
  uniqueCounter += 1;
  return `${base} ${uniqueCounter}`;
}
let uniqueCounter = 0;

/** The `<section>` whose heading is `heading` ("API keys", "Sample code", "Audit trail"...). */
export function section(page: Page, heading: string): Locator {
  return page
    .locator('section')
    .filter({ has: page.getByRole('heading', { name: heading, exact: true }) })
    .last();
}

/** What `locator` shows: its text and the values of its fields (an id may sit in a read-only input). */
export function shownText(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const fields = element.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
    return [element.textContent ?? '', ...Array.from(fields, (field) => field.value)].join('\n');
  });
}

/** The token (`acme_live_...`) shown in `locator`, failing when there is none. */
export async function shownToken(locator: Locator): Promise<string> {
  const token = /acme_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}/.exec(await shownText(locator))?.[0];
  expect(token, 'a token shown').toBeDefined();
  return token as string;
}
