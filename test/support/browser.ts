/**
 * Real-browser support for the API management page's tests: the system Chromium driven by
 * playwright-core (browsers cannot be downloaded here), axe-core run inside the page, screenshots
 * of each screen, and a watch that fails a test on console errors, CSP violations, unexpected
 * error answers and requests to other origins.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go: `test-results/admin-page/<flow>-<screen>.png` (git-ignored). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'admin-page');

const SKIP_WARNING = [
  '',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '!! keyward: THE BROWSER TESTS OF THE API MANAGEMENT PAGE ARE SKIPPED',
  '!! CHROMIUM_PATH is not set and no chromium program was found on PATH.',
  '!! Install it (apt-get install chromium) or set CHROMIUM_PATH. Everything else still runs.',
  '!! CI sets KEYWARD_REQUIRE_BROWSER=1, which turns this skip into a failure.',
  '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
  '',
].join('\n');

/** `CHROMIUM_PATH`, else `chromium` (Debian) or `chromium-browser` from PATH, else `null`. */
function findChromium(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given !== undefined && given !== '') return given;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (found !== '' && existsSync(found)) return found;
    } catch {
      // Not on PATH.
    }
  }
  return null;
}

/** The Chromium the tests drive, or `null` when the machine has none. */
export const chromiumPath: string | null = findChromium();

/**
 * `describe` for a browser suite: runs when Chromium is found; else a loud warning and the suite
 * is skipped, unless `KEYWARD_REQUIRE_BROWSER=1` (set by `.ci/run`), which fails the file.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  if (chromiumPath === null) {
    if (process.env.KEYWARD_REQUIRE_BROWSER === '1') {
      throw new Error('KEYWARD_REQUIRE_BROWSER=1 but there is no CHROMIUM_PATH and no chromium on PATH');
    }
    console.warn(SKIP_WARNING);
  }
  describe.runIf(chromiumPath !== null)(name, suite);
}

/** Launches headless Chromium (`--no-sandbox` when running as root, which its sandbox refuses). */
export function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error('no Chromium to launch');
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: asRoot ? ['--no-sandbox'] : [],
  });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe violation, as reported. */
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page and fails when it finds a serious or critical violation, naming each
 * rule, the elements it flags and the help text. axe is evaluated through the DevTools protocol
 * (`page.evaluate`), never as a `<script>` element: the page's CSP blocks inline scripts, as it
 * should.
 */
export async function expectNoSeriousAxeViolations(page: Page, screen: string): Promise<void> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (loaded !== true) await page.evaluate(axeSource);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  )) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>\n` +
      v.nodes.map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`).join('\n'),
  );
  expect(report, `axe on screen "${screen}"`).toEqual([]);
}

/** Saves a full-page screenshot as `test-results/admin-page/<flow>-<screen>.png`; its path. */
export async function saveScreenshot(page: Page, flow: string, screen: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${flow}-${screen}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A screen of a flow is done: axe finds nothing serious and its screenshot is saved. */
export async function checkScreen(page: Page, flow: string, screen: string): Promise<void> {
  await expectNoSeriousAxeViolations(page, `${flow}-${screen}`);
  await saveScreenshot(page, flow, screen);
}

/** What a {@link watchPage} saw that should not happen on the page. */
export interface PageWatch {
  /** HTTP statuses the test provokes on purpose (a 403, a 412...): answers with them are fine. */
  allowStatuses(...statuses: number[]): void;
  /** CSP violations reported so far (`securitypolicyviolation` events): directive and blocked URI. */
  readonly violations: string[];
  /** Every request the page sent (URLs, in order). */
  readonly requests: string[];
  /** Requests sent to an origin other than the page's. */
  readonly foreignRequests: string[];
  /**
   * The CSP violations seen so far, which the test provoked on purpose and checks itself: they
   * (and the browser's console reports of them) no longer fail the test.
   */
  takeCspViolations(): string[];
  /** Fails unless nothing unexpected was seen: console errors, page errors, violations... */
  expectClean(): void;
}

const FAILED_LOAD = /Failed to load resource: the server responded with a status of (\d+)/;

/**
 * Watches `page` from now on: console errors and uncaught exceptions, CSP violations (a listener
 * installed before any page script), answers with an error status the test did not allow, and
 * requests to any origin but `origin`.
 */
export async function watchPage(page: Page, origin: string): Promise<PageWatch> {
  const allowed = new Set<number>();
  const problems: string[] = [];
  const violations: string[] = [];
  const foreignRequests: string[] = [];
  const requests: string[] = [];
  const cspConsole: string[] = [];
  await page.exposeFunction('__keywardCspViolation', (text: string) => {
    violations.push(text);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __keywardCspViolation(text: string): void })
        .__keywardCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = FAILED_LOAD.exec(message.text())?.[1];
    // The browser logs every error answer; those the test provokes are allowed by status below.
    if (status !== undefined && allowed.has(Number(status))) return;
    if (status !== undefined) return; // Reported (with its URL) by the response listener.
    if (message.text().includes('Content Security Policy')) cspConsole.push(message.text());
    else problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed.has(response.status())) {
      problems.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
    }
  });
  page.on('request', (request) => {
    requests.push(request.url());
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) foreignRequests.push(request.url());
  });
  return {
    allowStatuses: (...statuses) => {
      for (const status of statuses) allowed.add(status);
    },
    violations,
    requests,
    foreignRequests,
    takeCspViolations: () => {
      cspConsole.length = 0;
      return violations.splice(0);
    },
    expectClean: () => {
      expect(problems, 'console errors, page errors or unexpected error answers').toEqual([]);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
      expect(cspConsole, 'Content-Security-Policy violations in the console').toEqual([]);
      expect(foreignRequests, 'requests to other origins').toEqual([]);
    },
  };
}

/**
 * Fails when `secret` can still be found anywhere the page keeps things: the DOM (markup and
 * form values), localStorage, sessionStorage, the URL or the history state.
 */
export async function expectSecretGone(page: Page, secret: string): Promise<void> {
  const places = await page.evaluate((text) => {
    const found: string[] = [];
    if (document.documentElement.outerHTML.includes(text)) found.push('DOM');
    const fields = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
    if (Array.from(fields).some((field) => field.value.includes(text))) found.push('form values');
    const stored = (storage: Storage) =>
      Array.from({ length: storage.length }, (_, i) => storage.key(i) ?? '').some(
        (key) => key.includes(text) || (storage.getItem(key) ?? '').includes(text),
      );
    if (stored(localStorage)) found.push('localStorage');
    if (stored(sessionStorage)) found.push('sessionStorage');
    if (location.href.includes(text)) found.push('URL');
    if (JSON.stringify(history.state ?? null).includes(text)) found.push('history state');
    return found;
  }, secret);
  // Every entry of the tab's history, not only the current one (the page cannot read those).
  const cdp = await page.context().newCDPSession(page);
  const navigation = (await cdp.send('Page.getNavigationHistory')) as { entries: { url: string }[] };
  await cdp.detach();
  if (navigation.entries.some((entry) => entry.url.includes(secret))) places.push('history');
  expect(places, 'places still holding the secret').toEqual([]);
}
