import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import type { StorageAdapter, UserActor } from '../../../src/index.js';
import { createManagementApi } from '../../../src/management-api/index.js';
import type { ManagementApiOptions } from '../../../src/management-api/management-request.js';
import { admin, setup } from '../../support/keyward-fixture.js';
import { bodyOf } from '../../support/management-api-client.js';

/**
 * docs/management-api.md, "Cookies and CSRF": the API does not act on writes another origin's
 * page makes the browser send. A bodiless `POST` without a content-type is a CORS "simple
 * request" (`fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' })`): no
 * preflight, no JSON rule to stop it, and `SameSite=Strict` does not cover a page on a sibling
 * subdomain (same site, other origin). The browser marks it (`Sec-Fetch-Site`, `Origin`).
 */

const SESSION = 's3cr3t-session';
const OWN_HOST = 'keys.acme.test';

/** The calls a test made to storage, by method name. */
type StorageCalls = string[];

/** Storage that records every call made to it. */
function recordedStorage(calls: StorageCalls): StorageAdapter {
  const storage = memoryAdapter();
  return new Proxy(storage, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A cookie-session host, as the examples' (the person comes from the session cookie). */
function cookieHost(options: Omit<ManagementApiOptions, 'authenticate'> = {}) {
  const storageCalls: StorageCalls = [];
  const hookCalls: string[] = [];
  const { kw } = setup({ storage: recordedStorage(storageCalls) });
  const api = createManagementApi(kw, {
    ...options,
    authenticate: (request): UserActor | null => {
      hookCalls.push('authenticate');
      const cookie = (request.headers as Record<string, string>).cookie ?? '';
      return cookie.includes(`session=${SESSION}`) ? admin : null;
    },
    limit: () => {
      hookCalls.push('limit');
      return { limited: false };
    },
  });
  return { kw, api, storageCalls, hookCalls };
}

async function accountWithKey(kw: ReturnType<typeof cookieHost>['kw']) {
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'Billing sync',
    roles: ['viewer'],
    firstKey: { name: 'prod' },
  });
  return { accountId: account.id, keyId: key?.key.id as string, token: key?.token as string };
}

/** What a browser sends for a no-cors, bodiless fetch from a sibling subdomain's page. */
const fromSiblingSite = {
  cookie: `session=${SESSION}`,
  host: OWN_HOST,
  origin: 'https://uploads.acme.test',
  'sec-fetch-site': 'same-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
};

describe('management API: writes another origin makes the browser send (CSRF)', () => {
  it('refuses a bodiless POST with the cookie from a sibling subdomain or another site: 403 cross_site_request, nothing changes', async () => {
    const { kw, api } = cookieHost();
    const { accountId, keyId } = await accountWithKey(kw);
    const disable = await api.handle({
      method: 'POST',
      path: `/service-accounts/${accountId}/disable`,
      headers: fromSiblingSite,
      body: new Uint8Array(0),
    });
    const revoke = await api.handle({
      method: 'POST',
      path: `/keys/${keyId}/revoke`,
      headers: { ...fromSiblingSite, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      body: new Uint8Array(0),
    });
    for (const answer of [disable, revoke]) {
      expect([answer.status, answer.headers['content-type'], answer.headers['cache-control']]).toEqual([
        403,
        'application/problem+json',
        'no-store',
      ]);
      expect(bodyOf(answer)).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        code: 'cross_site_request',
        detail: expect.any(String),
      });
      expect(JSON.stringify(answer.body)).not.toMatch(/uploads|evil|s3cr3t/);
    }
    expect((await kw.serviceAccounts.get(admin, { id: accountId })).status).toBe('active');
    expect((await kw.keys.get(admin, { keyId })).status).toBe('active');
  });

  it('refuses before any other work: no hook asked, no storage read, no audit event, whatever the body', async () => {
    const { kw, api, storageCalls, hookCalls } = cookieHost();
    const { accountId, keyId } = await accountWithKey(kw);
    const audited = (await kw.audit.list(admin, {})).items.length;
    storageCalls.length = 0;
    const writes: [string, string, unknown][] = [
      ['POST', `/service-accounts/${accountId}/disable`, ''],
      ['PATCH', `/service-accounts/${accountId}`, '{"name":"x"}'],
      ['PUT', `/service-accounts/${accountId}/datasets`, '{"datasetAccess":"all"}'],
      ['POST', `/keys/${keyId}/regenerate`, undefined],
      ['delete', `/service-accounts/${accountId}`, undefined],
      ['POST', '/service-accounts', 'name=forged'],
    ];
    for (const [method, path, body] of writes) {
      const answer = await api.handle({
        method,
        path,
        headers: { ...fromSiblingSite, 'content-type': 'application/json' },
        body,
      });
      expect([method, path, answer.status, bodyOf(answer).code]).toEqual([
        method,
        path,
        403,
        'cross_site_request',
      ]);
    }
    expect({ storageCalls, hookCalls }).toEqual({ storageCalls: [], hookCalls: [] });
    expect((await kw.audit.list(admin, {})).items.length).toBe(audited);
  });

  it('refuses every write a browser marks as not same-origin, and Origin: null whatever else is sent', async () => {
    const { kw, api } = cookieHost();
    const { accountId } = await accountWithKey(kw);
    const refused: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'same-site', origin: `https://${OWN_HOST}` },
      { 'sec-fetch-site': 'unknown-value' },
      { origin: 'null' },
      { origin: 'null', 'sec-fetch-site': 'same-origin' },
      // Browsers without Sec-Fetch-Site: Origin against the Host they addressed.
      { origin: 'https://evil.example' },
      { origin: `https://${OWN_HOST}:8443` },
      { origin: `https://${OWN_HOST}.evil.example` },
      { origin: `https://${OWN_HOST}/path` },
      { origin: 'not an origin' },
    ];
    for (const headers of refused) {
      const answer = await api.handle({
        method: 'POST',
        path: `/service-accounts/${accountId}/disable`,
        headers: { host: OWN_HOST, cookie: `session=${SESSION}`, ...headers },
      });
      expect([headers, answer.status, bodyOf(answer).code]).toEqual([headers, 403, 'cross_site_request']);
    }
    // Without a Host to compare with, an Origin alone is refused too.
    const hostless = await api.handle({
      method: 'POST',
      path: `/service-accounts/${accountId}/disable`,
      headers: { cookie: `session=${SESSION}`, origin: `https://${OWN_HOST}` },
    });
    expect(bodyOf(hostless).code).toBe('cross_site_request');
    expect((await kw.serviceAccounts.get(admin, { id: accountId })).status).toBe('active');
  });

  it("acts on the page's own writes: Sec-Fetch-Site same-origin or none, or (older browsers) an Origin of the request's Host", async () => {
    const { kw, api } = cookieHost();
    const { accountId } = await accountWithKey(kw);
    const own: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin', origin: `https://${OWN_HOST}` },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      { origin: `https://${OWN_HOST}` },
      { origin: `http://${OWN_HOST}`, host: OWN_HOST.toUpperCase() },
    ];
    for (const headers of own) {
      for (const action of ['disable', 'enable']) {
        const answer = await api.handle({
          method: 'POST',
          path: `/service-accounts/${accountId}/${action}`,
          headers: { host: OWN_HOST, cookie: `session=${SESSION}`, ...headers },
          body: '',
        });
        expect([headers, action, answer.status]).toEqual([headers, action, 200]);
      }
    }
    const host8443 = await api.handle({
      method: 'POST',
      path: `/service-accounts/${accountId}/disable`,
      headers: { host: `${OWN_HOST}:8443`, cookie: `session=${SESSION}`, origin: `https://${OWN_HOST}:8443` },
    });
    expect(host8443.status).toBe(200);
  });

  it('keeps curl-like and API-key writes without Origin or Sec-Fetch-Site working as before', async () => {
    const { kw, api } = cookieHost();
    const { accountId, keyId } = await accountWithKey(kw);
    const { token } = await kw.serviceAccounts
      .create(admin, {
        workspaceId: 'w_sales',
        name: 'Automation',
        roles: ['admin'],
        firstKey: { name: 'ops' },
      })
      .then(({ key }) => ({ token: key?.token as string }));
    const bySession = await api.handle({
      method: 'POST',
      path: `/service-accounts/${accountId}/disable`,
      headers: { host: OWN_HOST, cookie: `session=${SESSION}` },
      body: new Uint8Array(0),
    });
    const byKey = await api.handle({
      method: 'POST',
      path: `/keys/${keyId}/revoke`,
      headers: { host: OWN_HOST, authorization: `Bearer ${token}` },
    });
    expect([bySession.status, byKey.status]).toEqual([200, 200]);
    expect((await kw.keys.get(admin, { keyId })).status).toBe('revoked');
  });

  it('leaves GET and HEAD alone, whoever sends them', async () => {
    const { kw, api } = cookieHost();
    const { accountId } = await accountWithKey(kw);
    const read = await api.handle({
      method: 'GET',
      path: `/service-accounts/${accountId}`,
      headers: { ...fromSiblingSite, origin: 'null', 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
    const head = await api.handle({ method: 'HEAD', path: '/service-accounts', headers: fromSiblingSite });
    expect([head.status, bodyOf(head).code]).toEqual([405, 'method_not_allowed']);
  });

  it('acts on writes from an origin listed in trustedOrigins, and on those only', async () => {
    const { kw, api } = cookieHost({ trustedOrigins: ['https://admin.acme.test', 'http://localhost:3000'] });
    const { accountId } = await accountWithKey(kw);
    const ask = (headers: Record<string, string>, action = 'disable') =>
      api.handle({
        method: 'POST',
        path: `/service-accounts/${accountId}/${action}`,
        headers: { host: OWN_HOST, cookie: `session=${SESSION}`, ...headers },
      });
    expect((await ask({ origin: 'https://admin.acme.test', 'sec-fetch-site': 'same-site' })).status).toBe(
      200,
    );
    expect(
      (await ask({ origin: 'http://localhost:3000', 'sec-fetch-site': 'cross-site' }, 'enable')).status,
    ).toBe(200);
    expect((await ask({ origin: 'https://admin.acme.test' })).status).toBe(200);
    for (const headers of [
      { origin: 'https://uploads.acme.test', 'sec-fetch-site': 'same-site' },
      { origin: 'https://ADMIN.acme.test', 'sec-fetch-site': 'same-site' },
      { origin: 'http://admin.acme.test', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://admin.acme.test:8443' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      expect([headers, bodyOf(await ask(headers, 'enable')).code]).toEqual([headers, 'cross_site_request']);
    }
  });

  it('refuses a trustedOrigins that is not a list of origins as browsers send them, with TypeError at startup', () => {
    const { kw } = setup();
    const build = (trustedOrigins: unknown) => () =>
      createManagementApi(kw, { authenticate: () => null, trustedOrigins } as ManagementApiOptions);
    for (const bad of [
      'https://admin.acme.test',
      [42],
      ['null'],
      ['*'],
      ['https://admin.acme.test/'],
      ['https://admin.acme.test/ui'],
      ['https://Admin.acme.test'],
      ['https://admin.acme.test:443'],
      ['admin.acme.test'],
      ['ftp://admin.acme.test'],
      [''],
    ]) {
      expect(build(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
    for (const good of [
      undefined,
      [],
      ['https://admin.acme.test', 'http://localhost:3000', 'https://[::1]:8443'],
    ]) {
      expect(build(good), JSON.stringify(good)).not.toThrow();
    }
  });
});
