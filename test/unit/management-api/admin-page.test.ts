import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAdminPageAssets } from '../../../src/management-api/admin-page/admin-page-assets.js';
import { buildManagementApi, createManagementApi } from '../../../src/management-api/management-api.js';
import type { ManagementApiOptions } from '../../../src/management-api/management-request.js';
import { setup } from '../../support/keyward-fixture.js';
import { managementApiSetup } from '../../support/management-api-client.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
/** What `npm run build:page` wrote (vitest's global setup builds it before any test). */
const built = (name: string) => new Uint8Array(readFileSync(join('dist', 'admin-page', name)));
const text = (body: unknown) => new TextDecoder().decode(body as Uint8Array);

function pageApi(options: Omit<ManagementApiOptions, 'authenticate'> = {}) {
  return managementApiSetup({ basePath: '/api/keyward', adminPage: true, ...options });
}

describe('the admin page served by the management API', () => {
  it('answers GET /ui/ with the HTML shell, no-store and the security headers, without a session', async () => {
    const { call } = pageApi({ adminPage: { title: 'Acme API', signInUrl: '/login' } });
    const page = await call('GET', '/api/keyward/ui/', { as: null });
    expect(page.status).toBe(200);
    expect(page.headers).toEqual({
      ...SECURITY_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    expect(text(page.body)).toBe(
      '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>Acme API</title><link rel="stylesheet" href="/api/keyward/ui/app.css">' +
        '<script type="module" src="/api/keyward/ui/app.js"></script></head><body>' +
        '<div id="keyward-admin" data-api-base="/api/keyward" data-title="Acme API" data-sign-in-url="/login">' +
        '</div></body></html>',
    );
  });

  it('escapes the title and the sign-in URL, and defaults the title without a sign-in link', async () => {
    const { call } = pageApi({
      adminPage: { title: `<script>alert("x")</script> & 'co'`, signInUrl: '/login?next=a&b="c"' },
    });
    const html = text((await call('GET', '/api/keyward/ui/', { as: null })).body);
    expect(html).toContain(
      '<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</title>',
    );
    expect(html).toContain('data-sign-in-url="/login?next=a&amp;b=&quot;c&quot;"');
    expect(html).not.toContain('<script>alert');
    const plain = text((await pageApi({ basePath: '' }).call('GET', '/ui/', { as: null })).body);
    expect(plain).toContain('<title>API management</title>');
    expect(plain).toContain('<div id="keyward-admin" data-api-base="" data-title="API management"></div>');
    expect(plain).toContain('<script type="module" src="/ui/app.js"></script>');
  });

  it('serves app.js and app.css as built, with a strong sha256 ETag and no-cache', async () => {
    const { call } = pageApi();
    for (const [name, type] of [
      ['app.js', 'text/javascript; charset=utf-8'],
      ['app.css', 'text/css; charset=utf-8'],
    ] as const) {
      const asset = await call('GET', `/api/keyward/ui/${name}`, { as: null });
      const bytes = built(name);
      expect(asset.status).toBe(200);
      expect(asset.body).toEqual(bytes);
      expect(asset.headers).toEqual({
        ...SECURITY_HEADERS,
        'content-type': type,
        'cache-control': 'no-cache',
        etag: `"${createHash('sha256').update(bytes).digest('hex')}"`,
      });
    }
  });

  it('answers 304 without a body when If-None-Match names the ETag (also weak, in a list, or *)', async () => {
    const { call } = pageApi();
    const etag = (await call('GET', '/api/keyward/ui/app.js', { as: null })).headers.etag as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await call('GET', '/api/keyward/ui/app.js', {
        as: null,
        headers: { 'if-none-match': ifNoneMatch },
      });
      expect([ifNoneMatch, cached.status, cached.body, cached.headers.etag]).toEqual([
        ifNoneMatch,
        304,
        null,
        etag,
      ]);
      expect(cached.headers['content-security-policy']).toBe(CSP);
    }
    const changed = await call('GET', '/api/keyward/ui/app.js', {
      as: null,
      headers: { 'if-none-match': '"an-older-build"' },
    });
    expect(changed.status).toBe(200);
  });

  it('answers HEAD with the headers of GET and its length, without a body', async () => {
    const { call } = pageApi();
    for (const path of ['/api/keyward/ui/', '/api/keyward/ui/app.js', '/api/keyward/ui/app.css']) {
      const get = await call('GET', path, { as: null });
      const head = await call('HEAD', path, { as: null });
      expect(head.status).toBe(200);
      expect(head.body).toBeNull();
      expect(head.headers).toEqual({
        ...get.headers,
        'content-length': String((get.body as Uint8Array).byteLength),
      });
    }
  });

  it('redirects /ui to /ui/ with 308, keeping the query', async () => {
    const { call } = pageApi();
    const moved = await call('GET', '/api/keyward/ui?workspace=w_sales', { as: null });
    expect(moved.status).toBe(308);
    expect(moved.headers).toMatchObject({
      ...SECURITY_HEADERS,
      location: '/api/keyward/ui/?workspace=w_sales',
    });
    expect(moved.body).toBeNull();
  });

  it('refuses other methods with 405 and Allow: GET, HEAD; an unknown file under /ui/ is 404', async () => {
    const { call } = pageApi();
    for (const [method, path] of [
      ['POST', '/api/keyward/ui/'],
      ['DELETE', '/api/keyward/ui/app.js'],
      ['PUT', '/api/keyward/ui'],
    ] as const) {
      const refused = await call(method, path, { as: null });
      expect([method, path, refused.status, refused.headers.allow]).toEqual([method, path, 405, 'GET, HEAD']);
      expect(refused.headers['content-security-policy']).toBe(CSP);
    }
    const missing = await call('GET', '/api/keyward/ui/secrets.json', { as: null });
    expect([missing.status, (missing.body as { code: string }).code]).toEqual([404, 'not_found']);
  });

  it('is absent unless asked for: /ui/ is then 404 like any unknown path', async () => {
    for (const adminPage of [undefined, false] as const) {
      const { call } = managementApiSetup({ basePath: '/api/keyward', adminPage });
      for (const path of ['/api/keyward/ui/', '/api/keyward/ui/app.js', '/api/keyward/ui']) {
        const answer = await call('GET', path, { as: null });
        expect([path, answer.status, (answer.body as { code: string }).code]).toEqual([
          path,
          404,
          'not_found',
        ]);
      }
    }
  });

  it('refuses bad adminPage options with TypeError at startup', () => {
    const { kw } = setup();
    const build = (adminPage: unknown) => () =>
      createManagementApi(kw, { authenticate: () => null, adminPage: adminPage as never });
    for (const bad of [
      'yes',
      { title: '' },
      { title: 'x'.repeat(201) },
      { signInUrl: 'javascript:alert(1)' },
      { signInUrl: '//evil.example/login' },
      { signInUrl: '/login with spaces' },
    ]) {
      expect(build(bad)).toThrow(TypeError);
    }
    expect(build({ signInUrl: 'https://sso.acme.test/login?app=1' })).not.toThrow();
  });

  it('throws TypeError at startup when the page is not built', () => {
    const empty = mkdtempSync(join(tmpdir(), 'keyward-no-page-'));
    try {
      const dir = pathToFileURL(`${empty}/`);
      const message = 'keyward: the admin page is not built; run npm run build';
      expect(() => loadAdminPageAssets(dir)).toThrow(new TypeError(message));
      const { kw } = setup();
      expect(() => buildManagementApi(kw, { authenticate: () => null, adminPage: true }, dir)).toThrow(
        new TypeError(message),
      );
      // Without the page, nothing is read.
      expect(() => buildManagementApi(kw, { authenticate: () => null }, dir)).not.toThrow();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a form-encoded body, even an empty one, with 415: a form posts with the cookies', async () => {
    const { api } = pageApi();
    for (const body of ['', 'name=x']) {
      const refused = await api.handle({
        method: 'POST',
        path: '/api/keyward/keys/key_1/revoke',
        headers: { 'x-test-user': 'admin', 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      expect([body, refused.status, (refused.body as { code: string }).code]).toEqual([
        body,
        415,
        'unsupported_media_type',
      ]);
    }
    // An empty body without a content-type is still no body (a POST from curl -X POST): the call
    // runs, and refuses the malformed key id.
    const bare = await api.handle({
      method: 'POST',
      path: '/api/keyward/keys/key_1/revoke',
      headers: { 'x-test-user': 'admin' },
      body: '',
    });
    expect([bare.status, (bare.body as { code: string }).code]).toEqual([400, 'invalid_input']);
  });
});
