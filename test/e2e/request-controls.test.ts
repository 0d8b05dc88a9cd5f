/**
 * The request controls over real HTTP, on each example app (Express, Fastify, Hono over one SQLite
 * keyward): IP allowlists on accounts and keys, rate limits with the IETF `RateLimit` fields, usage
 * credits with refill, all set through the management API and in force on the data routes and on
 * the management API itself at once; refusals counted into the audit trail; and the throttle of
 * failed verifications per client address that every mount turns on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyRequest, VerifyResult } from '../../src/index.js';
import { createConformanceChecker } from '../support/openapi-conformance.js';
import {
  type Answer,
  API,
  adminSession,
  bearer,
  createAccount,
  type ExampleServers,
  FRAMEWORKS,
  send,
  startExampleServers,
} from './example-servers.js';

const DATASET = '/workspaces/w_sales/datasets/d_orders';
const MINUTE = 60_000;

let servers: ExampleServers;
const observed: { result: VerifyResult; request: VerifyRequest }[] = [];

beforeAll(async () => {
  servers = await startExampleServers({
    keyward: { onVerify: (result, request) => observed.push({ result, request }) },
  });
});

afterAll(() => servers.close());

/** Status and problem code of an answer, compared as one value so a failure shows both. */
const outcome = (answer: Answer) => [answer.status, answer.json.code];

describe.each(FRAMEWORKS)('request controls on the %s example', (framework) => {
  const url = () => servers.url[framework];
  const read = (token: string) => send(url(), 'GET', DATASET, { headers: bearer(token) });
  const patchKey = (keyId: string, body: Record<string, unknown>) =>
    send(url(), 'PATCH', `${API}/keys/${keyId}`, { headers: alice, body });
  let alice: Record<string, string>;
  let conforms: (method: string, path: string, answer: Answer) => void;

  beforeAll(async () => {
    alice = await adminSession(url());
    const check = createConformanceChecker(await (await fetch(`${url()}${API}/openapi.json`)).json());
    conforms = (method, path, answer) => {
      const headers: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        headers[name] = value;
      });
      expect(
        check({
          method,
          path,
          status: answer.status,
          contentType: answer.headers.get('content-type'),
          body: answer.json,
          headers,
        }),
      ).toEqual([]);
    };
  });

  it('refuses a key from an address outside its account allowlist (403 naming the layer), then its own narrower list', async () => {
    const account = await createAccount(url(), alice, {
      name: `fenced ${framework}`,
      roles: ['analyst'],
      ipAllowlist: ['10.0.0.0/8'],
    });
    const refused = await read(account.token);
    expect(outcome(refused)).toEqual([403, 'ip_not_allowed']);
    expect(refused.json.layer).toBe('account');
    // The client is on loopback: IPv4 and its IPv4-mapped IPv6 form both match 127.0.0.0/8.
    const opened = await send(url(), 'PATCH', `${API}/service-accounts/${account.id}`, {
      headers: alice,
      body: { ipAllowlist: ['127.0.0.0/8', '2001:DB8::/32'] },
    });
    expect(opened.status).toBe(200);
    conforms('PATCH', `${API}/service-accounts/${account.id}`, opened);
    expect(opened.json.ipAllowlist).toEqual(['127.0.0.0/8', '2001:db8::/32']);
    expect((await read(account.token)).status).toBe(200);
    const narrowed = await patchKey(account.keyId, { ipAllowlist: ['192.0.2.0/24'] });
    expect(narrowed.status).toBe(200);
    const byKey = await read(account.token);
    expect(outcome(byKey)).toEqual([403, 'ip_not_allowed']);
    expect(byKey.json.layer).toBe('key');
    // The management API verifies keys the same way: the allowlist holds there too.
    const managed = await send(url(), 'GET', `${API}/catalog`, { headers: bearer(account.token) });
    expect(outcome(managed)).toEqual([403, 'ip_not_allowed']);
    expect(managed.json.layer).toBe('key');
    conforms('GET', `${API}/catalog`, managed);
  });

  it('refuses an invalid or any-address allowlist when saved, pointing at the entry', async () => {
    const account = await createAccount(url(), alice, { name: `lists ${framework}`, roles: ['analyst'] });
    const bad = await patchKey(account.keyId, { ipAllowlist: ['127.0.0.1/32', '10.0.0.1/8'] });
    expect(outcome(bad)).toEqual([400, 'invalid_input']);
    conforms('PATCH', `${API}/keys/${account.keyId}`, bad);
    expect(JSON.stringify(bad.json.errors)).toContain('/ipAllowlist/1');
    const any = await patchKey(account.keyId, { ipAllowlist: ['0.0.0.0/0'] });
    expect(outcome(any)).toEqual([400, 'invalid_input']);
    expect((await read(account.token)).status).toBe(200);
  });

  it('enforces a key rate limit with RateLimit fields, 429 and Retry-After, and lets it refill', async () => {
    const account = await createAccount(url(), alice, { name: `limited ${framework}`, roles: ['analyst'] });
    const set = await patchKey(account.keyId, {
      rateLimits: [{ name: 'default', limit: 3, windowMs: MINUTE }],
    });
    expect(set.status).toBe(200);
    for (const remaining of [2, 1, 0]) {
      const answer = await read(account.token);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit-policy')).toBe('"key.default";q=3;w=60');
      expect(answer.headers.get('ratelimit')).toMatch(new RegExp(`^"key.default";r=${remaining};t=\\d+$`));
    }
    const limited = await read(account.token);
    expect(outcome(limited)).toEqual([429, 'rate_limited']);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(19);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(limited.headers.get('ratelimit')).toMatch(/^"key.default";r=0;t=\d+$/);
    // A third of the window later, one request's worth has come back.
    servers.clock.now += MINUTE / 3;
    expect((await read(account.token)).status).toBe(200);
    expect((await read(account.token)).status).toBe(429);
  });

  it('counts an account limit across all its keys', async () => {
    const account = await createAccount(url(), alice, {
      name: `shared ${framework}`,
      roles: ['analyst'],
      rateLimits: [{ name: 'default', limit: 2, windowMs: MINUTE }],
    });
    const second = await send(url(), 'POST', `${API}/service-accounts/${account.id}/keys`, {
      headers: alice,
      body: { name: 'second' },
    });
    expect(second.status).toBe(201);
    const token = (second.json as { token: string }).token;
    expect((await read(account.token)).status).toBe(200);
    const answer = await read(token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('ratelimit')).toMatch(/^"account.default";r=0;t=\d+$/);
    expect(outcome(await read(account.token))).toEqual([429, 'rate_limited']);
    expect(outcome(await read(token))).toEqual([429, 'rate_limited']);
  });

  it('spends usage credits only on allowed requests, answers usage_exceeded when spent, and refills by setting the balance', async () => {
    const account = await createAccount(url(), alice, {
      name: `metered ${framework}`,
      roles: ['analyst'],
      readOnly: true,
    });
    expect((await patchKey(account.keyId, { credits: { remaining: 2 } })).status).toBe(200);
    // A request the policy refuses spends nothing.
    const denied = await send(url(), 'PUT', DATASET, { headers: bearer(account.token), body: {} });
    expect(outcome(denied)).toEqual([403, 'read_only']);
    expect((await read(account.token)).status).toBe(200);
    expect((await read(account.token)).status).toBe(200);
    const spent = await read(account.token);
    expect(outcome(spent)).toEqual([429, 'usage_exceeded']);
    expect(spent.headers.get('retry-after')).toBeNull();
    const shown = await send(url(), 'GET', `${API}/keys/${account.keyId}`, { headers: alice });
    conforms('GET', `${API}/keys/${account.keyId}`, shown);
    expect(shown.json.credits).toMatchObject({ remaining: 0, refill: null });

    const refill = { amount: 5, intervalMs: 3_600_000 };
    expect((await patchKey(account.keyId, { credits: { remaining: 0, refill } })).status).toBe(200);
    const waiting = await read(account.token);
    expect(outcome(waiting)).toEqual([429, 'usage_exceeded']);
    expect(Number(waiting.headers.get('retry-after'))).toBe(3600);
    servers.clock.now += 3_600_000;
    expect((await read(account.token)).status).toBe(200);
    const after = await send(url(), 'GET', `${API}/keys/${account.keyId}`, { headers: alice });
    expect(after.json.credits).toMatchObject({ remaining: 4, refill });
  });

  it('writes refusals into the audit trail as counts per key and reason, and tells onVerify of each verification', async () => {
    const account = await createAccount(url(), alice, {
      name: `counted ${framework}`,
      roles: ['analyst'],
      ipAllowlist: ['198.51.100.0/24'],
    });
    const before = observed.length;
    for (let i = 0; i < 4; i++) expect((await read(account.token)).status).toBe(403);
    const seen = observed
      .slice(before)
      .filter(({ result }) => !result.ok && result.code === 'ip_not_allowed');
    expect(seen).toHaveLength(4);
    expect(seen.every(({ request }) => typeof request.ip === 'string' && request.ip !== '')).toBe(true);
    await servers.kw.flush();
    const trail = await send(url(), 'GET', `${API}/audit?targetId=${account.keyId}&action=api_key.refused`, {
      headers: alice,
    });
    expect(trail.status).toBe(200);
    const items = trail.json.items as { reason: string; outcome: string; after: { count: number } }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ reason: 'ip_not_allowed', outcome: 'denied', after: { count: 4 } });
    expect(trail.text).not.toContain(account.token);
  });

  it('throttles failed verifications per client address before storage, on data routes and the management API alike', async () => {
    const account = await createAccount(url(), alice, { name: `scanned ${framework}`, roles: ['analyst'] });
    const forged = `${account.token.slice(0, -6)}AAAAAA`;
    let answer: Answer | undefined;
    let failures = 0;
    for (; failures < 200; failures++) {
      answer = await read(forged);
      if (answer.status !== 401) break;
    }
    // The mounts' default budget: 100 failures per address per minute (refilling by one every
    // 600 ms while the loop runs). Earlier tests of this file may have spent some of it.
    expect(failures).toBeLessThanOrEqual(110);
    expect(outcome(answer as Answer)).toEqual([429, 'too_many_failures']);
    expect(Number((answer as Answer).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Spent budget: even a valid key from this address waits (the throttle runs before any read).
    expect(outcome(await read(account.token))).toEqual([429, 'too_many_failures']);
    // The management API has its own budget, spent the same way.
    let managed: Answer | undefined;
    for (let i = 0; i < 200; i++) {
      managed = await send(url(), 'GET', `${API}/catalog`, { headers: bearer(forged) });
      if (managed.status !== 401) break;
    }
    expect(outcome(managed as Answer)).toEqual([429, 'too_many_failures']);
    conforms('GET', `${API}/catalog`, managed as Answer);
    // A person's session is not an API key: the throttle never stands in its way.
    expect((await send(url(), 'GET', `${API}/catalog`, { headers: alice })).status).toBe(200);
  });
});
