/**
 * The API management page as every mount serves it over real HTTP (the Express, Fastify and Hono
 * examples, and `managementFetchHandler`): the same bytes and headers everywhere, its caching and
 * method rules; and the examples' cookie sign-in that puts a person in front of it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoSessions } from '../../examples/shared/demo-platform.js';
import { managementFetchHandler } from '../../src/entries/http.js';
import { API, type ExampleServers, FRAMEWORKS, send, startExampleServers } from './example-servers.js';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
const MOUNTS = [...FRAMEWORKS, 'fetch'] as const;
type Mount = (typeof MOUNTS)[number];

let servers: ExampleServers;
/** `managementFetchHandler` with the examples' options, asked with Web requests (no socket). */
let fetchHandler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  servers = await startExampleServers();
  const sessions = new DemoSessions();
  fetchHandler = managementFetchHandler(servers.kw, {
    basePath: API,
    authenticate: (request) => sessions.actor(request.raw?.headers.get('x-session') ?? undefined),
    adminPage: { signInUrl: '/login' },
  });
});

afterAll(() => servers.close());

/** What a client sees of one page request on `mount`. */
async function ask(mount: Mount, method: string, path: string, headers: Record<string, string> = {}) {
  const request = { method, headers, redirect: 'manual' } as const;
  const response =
    mount === 'fetch'
      ? await fetchHandler(new Request(`http://127.0.0.1${path}`, request))
      : await fetch(`${servers.url[mount]}${path}`, request);
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

/** The headers the page sets itself (the frameworks add their own: date, connection...). */
const PAGE_HEADERS = [
  'content-security-policy',
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-opener-policy',
  'content-type',
  'cache-control',
  'etag',
  'location',
  'allow',
];
const pageHeaders = (headers: Headers) =>
  Object.fromEntries(PAGE_HEADERS.flatMap((name) => (headers.has(name) ? [[name, headers.get(name)]] : [])));

describe.each(MOUNTS)('the admin page on the %s mount', (mount) => {
  it('serves the HTML shell with the CSP and security headers, no-store', async () => {
    const page = await ask(mount, 'GET', `${API}/ui/`);
    expect(page.status).toBe(200);
    expect(pageHeaders(page.headers)).toEqual({
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
    const html = new TextDecoder().decode(page.body);
    expect(html).toContain(
      '<div id="keyward-admin" data-api-base="/api/keyward" data-title="API management" data-sign-in-url="/login"></div>',
    );
  });

  it('serves the built app.js and app.css with a strong ETag, and 304 when the client has them', async () => {
    for (const name of ['app.js', 'app.css']) {
      const bytes = new Uint8Array(readFileSync(join('dist', 'admin-page', name)));
      const etag = `"${createHash('sha256').update(bytes).digest('hex')}"`;
      const asset = await ask(mount, 'GET', `${API}/ui/${name}`);
      expect([name, asset.status, asset.headers.get('etag'), asset.headers.get('cache-control')]).toEqual([
        name,
        200,
        etag,
        'no-cache',
      ]);
      expect(asset.body).toEqual(bytes);
      const cached = await ask(mount, 'GET', `${API}/ui/${name}`, { 'if-none-match': etag });
      expect([cached.status, cached.body.byteLength, cached.headers.get('etag')]).toEqual([304, 0, etag]);
      expect(cached.headers.get('content-security-policy')).toBe(CSP);
    }
  });

  it('answers HEAD with the length of GET and no body', async () => {
    for (const path of [`${API}/ui/`, `${API}/ui/app.js`]) {
      const get = await ask(mount, 'GET', path);
      const head = await ask(mount, 'HEAD', path);
      expect([path, head.status, head.body.byteLength, head.headers.get('content-length')]).toEqual([
        path,
        200,
        0,
        String(get.body.byteLength),
      ]);
      expect(pageHeaders(head.headers)).toEqual(pageHeaders(get.headers));
    }
  });

  it('redirects /ui to /ui/ (308) and refuses other methods (405, Allow: GET, HEAD)', async () => {
    const moved = await ask(mount, 'GET', `${API}/ui`);
    expect([moved.status, moved.headers.get('location')]).toEqual([308, `${API}/ui/`]);
    const posted = await ask(mount, 'POST', `${API}/ui/`);
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const deleted = await ask(mount, 'DELETE', `${API}/ui/app.js`);
    expect([deleted.status, deleted.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });
});

describe('the admin page across mounts', () => {
  it('answers the same bytes and page headers on every mount', async () => {
    for (const [method, path, headers] of [
      ['GET', `${API}/ui/`, {}],
      ['GET', `${API}/ui/app.js`, {}],
      ['GET', `${API}/ui/app.css`, {}],
      ['HEAD', `${API}/ui/app.css`, {}],
      ['GET', `${API}/ui`, {}],
      ['PATCH', `${API}/ui/`, {}],
      ['GET', `${API}/ui/missing.js`, {}],
    ] as const) {
      const answers = await Promise.all(MOUNTS.map((mount) => ask(mount, method, path, headers)));
      const [first, ...rest] = answers.map((answer) => ({
        status: answer.status,
        headers: pageHeaders(answer.headers),
        body: Buffer.from(answer.body).toString('base64'),
      }));
      for (const other of rest) expect([method, path, other]).toEqual([method, path, first]);
    }
  });
});

describe.each(FRAMEWORKS)('the cookie sign-in of the %s example', (framework) => {
  const url = () => servers.url[framework];
  /** Posts the sign-in form as a browser does, without following the redirect. */
  const signIn = (user: string, password: string) =>
    fetch(`${url()}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user, password }).toString(),
      redirect: 'manual',
    });

  it('serves a plain sign-in form: labelled User and Password, a Sign in button, nothing inline', async () => {
    const page = await send(url(), 'GET', '/login');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post" action="/login">');
    expect(page.text).toContain('<label for="user">User</label>');
    expect(page.text).toContain('<label for="password">Password</label>');
    expect(page.text).toContain('<button type="submit">Sign in</button>');
    expect(page.text).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/);
  });

  it('signs in with the form: 303 to the page and an HttpOnly, SameSite=Strict session cookie', async () => {
    const response = await signIn('alice', 'alice-demo-password');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${API}/ui/`);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kw_demo_session=[\w-]{32}; HttpOnly; SameSite=Strict; Path=\/$/);
    const session = { cookie: cookie.split(';')[0] as string };

    const me = await send(url(), 'GET', `${API}/me`, { headers: session });
    expect([me.status, me.json.type, me.json.id]).toEqual([200, 'user', 'u_alice']);
    const workspaces = await send(url(), 'GET', `${API}/workspaces`, { headers: session });
    expect(workspaces.json).toEqual({
      items: [
        { id: 'w_sales', name: 'Sales' },
        { id: 'w_ops', name: 'Operations' },
      ],
    });
    const datasets = await send(url(), 'GET', `${API}/workspaces/w_ops/datasets`, { headers: session });
    expect(datasets.json).toEqual({
      items: [
        { id: 'd_metrics', name: 'Metrics' },
        { id: 'd_incidents', name: 'Incidents' },
      ],
    });

    // A form posted to the API with the cookie (what a cross-site page could send) is refused.
    const forged = await send(url(), 'POST', `${API}/service-accounts`, {
      headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'workspaceId=w_sales&name=forged&roles=admin',
    });
    expect([forged.status, forged.json.code]).toEqual([415, 'unsupported_media_type']);
    const emptyForm = await send(url(), 'POST', `${API}/keys/sweep`, {
      headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: '',
    });
    expect([emptyForm.status, emptyForm.json.code]).toEqual([415, 'unsupported_media_type']);

    const out = await fetch(`${url()}/logout`, { method: 'POST', headers: session, redirect: 'manual' });
    expect([out.status, out.headers.get('location')]).toEqual([303, '/login']);
    expect(out.headers.get('set-cookie')).toBe(
      'kw_demo_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
    );
    expect((await send(url(), 'GET', `${API}/me`, { headers: session })).status).toBe(401);
  });

  it('keeps a confined person to their workspaces, and shows the form again on a wrong password', async () => {
    const victor = await signIn('victor', 'victor-demo-password');
    const session = { cookie: (victor.headers.get('set-cookie') ?? '').split(';')[0] as string };
    const workspaces = await send(url(), 'GET', `${API}/workspaces`, { headers: session });
    expect(workspaces.json).toEqual({ items: [{ id: 'w_sales', name: 'Sales' }] });
    const outside = await send(url(), 'GET', `${API}/workspaces/w_ops/datasets`, { headers: session });
    expect([outside.status, outside.json.code]).toEqual([404, 'not_found']);

    const refused = await signIn('alice', 'wrong');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await refused.text()).toContain('<p role="alert">Wrong user or password.</p>');
  });

  it('still answers a JSON sign-in with the session id (and sets the cookie too)', async () => {
    const answer = await send(url(), 'POST', '/login', {
      body: { user: 'alice', password: 'alice-demo-password' },
    });
    expect(answer.status).toBe(200);
    expect(typeof answer.json.session).toBe('string');
    expect(answer.headers.get('set-cookie')).toBe(
      `kw_demo_session=${answer.json.session}; HttpOnly; SameSite=Strict; Path=/`,
    );
  });
});
