import { describe, expect, it, vi } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createApiKeyGuard, type GuardOutcome } from '../../../src/entries/http.js';
import type { KeyEnvironment, Keyward, KeywardConfig, VerifiedPrincipal } from '../../../src/index.js';
import { formatToken } from '../../../src/keys/index.js';
import { admin, dataset, setup } from '../../support/keyward-fixture.js';

const PREFIXES = { live: 'acme_live', test: 'acme_test' } as const;
const read = { action: 'datasets:read', resource: dataset('d_1') } as const;

/** An account in w_sales with one key of each environment. */
async function world(overrides: Partial<KeywardConfig> = {}) {
  const { kw, clock } = setup({ tokenPrefix: PREFIXES, ...overrides });
  const { account, key } = await kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey: { name: 'prod' },
  });
  if (key === undefined) throw new Error('no key');
  const test = await kw.keys.issue(admin, {
    serviceAccountId: account.id,
    key: { name: 'ci', environment: 'test' },
  });
  return { kw, clock, account, live: key, test };
}

/** The same token under another prefix, with its checksum recomputed so that it parses. */
function withPrefix(token: string, from: string, to: string): string {
  const keyId = token.slice(from.length + 1, from.length + 17);
  const secret = token.slice(from.length + 18, -6);
  return formatToken({ prefix: to, keyId, secret });
}

/** What a caller sees of a guarded request with `token`: status, headers and body bytes. */
async function answer(
  kw: Keyward,
  token: string,
  environments?: readonly KeyEnvironment[],
): Promise<GuardOutcome<VerifiedPrincipal>> {
  const guard = createApiKeyGuard<VerifiedPrincipal>(kw, { realm: 'acme' });
  return guard.authenticate({
    headers: { authorization: `Bearer ${token}` },
    url: '/datasets/d_1',
    action: 'datasets:read',
    resource: () => dataset('d_1'),
    environments,
  });
}

function seen(outcome: GuardOutcome<VerifiedPrincipal>): string {
  if (outcome.ok) return 'ok';
  const { status, headers, body } = outcome.denial;
  return JSON.stringify({ status, headers, body });
}

describe('per-environment token prefixes', () => {
  it('mints each key with the prefix of its environment, and regenerate keeps it', async () => {
    const { kw, live, test } = await world();
    expect(kw.tokenPrefix).toBe('acme_live');
    expect(kw.tokenPrefixes).toEqual(PREFIXES);
    expect(live.token).toMatch(/^acme_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect(live.key.start.startsWith('acme_live_')).toBe(true);
    expect(test.token).toMatch(/^acme_test_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect(test.key.start.startsWith('acme_test_')).toBe(true);
    const again = await kw.keys.regenerate(admin, { keyId: test.key.id });
    expect(again.key.environment).toBe('test');
    expect(again.token.startsWith(`acme_test_${test.key.id}_`)).toBe(true);
    expect((await kw.verify(again.token, read)).ok).toBe(true);
  });

  it('accepts the token of each environment under its own prefix', async () => {
    const { kw, live, test } = await world();
    const a = await kw.verify(live.token, read);
    const b = await kw.verify(test.token, read);
    expect(a.ok && a.principal.environment).toBe('live');
    expect(b.ok && b.principal.environment).toBe('test');
  });

  it('refuses a token whose prefix was swapped to the other environment as a wrong secret, with the identical 401', async () => {
    const { kw, live, test } = await world();
    const liveAsTest = withPrefix(live.token, 'acme_live', 'acme_test');
    const testAsLive = withPrefix(test.token, 'acme_test', 'acme_live');
    expect(await kw.verify(liveAsTest, read)).toEqual({ ok: false, code: 'invalid_secret' });
    expect(await kw.verify(testAsLive, read)).toEqual({ ok: false, code: 'invalid_secret' });
    const unknown = withPrefix(
      live.token.replace(/_[0-9A-Za-z]{16}_/, '_0000000000000000_'),
      'acme_live',
      'acme_live',
    );
    expect((await kw.verify(unknown, read)).ok).toBe(false);
    const reference = seen(await answer(kw, unknown));
    expect(reference).toContain('"status":401');
    expect(seen(await answer(kw, liveAsTest))).toBe(reference);
    expect(seen(await answer(kw, testAsLive))).toBe(reference);
  });

  it("refuses a key whose token prefix names another environment than the key's stored one", async () => {
    // The digest covers the prefix, so a swapped token already fails the compare; this instance
    // swaps the configured prefixes instead, so the digest matches and only the environment differs.
    const storage = memoryAdapter();
    const { live } = await world({ storage });
    const swapped = setup({ storage, tokenPrefix: { live: 'acme_test', test: 'acme_live' } }).kw;
    expect(await swapped.verify(live.token, read)).toEqual({ ok: false, code: 'invalid_secret' });
  });

  it('never reads storage for a token under no configured prefix', async () => {
    const storage = memoryAdapter();
    const find = vi.spyOn(storage, 'findKeyForVerification');
    const { live } = await world({ storage });
    const other = withPrefix(live.token, 'acme_live', 'acme');
    expect(await setup({ storage, tokenPrefix: PREFIXES }).kw.verify(other, read)).toEqual({
      ok: false,
      code: 'malformed_token',
    });
    expect(find).not.toHaveBeenCalled();
  });
});

describe('accepted environments', () => {
  it('refuses a valid key of an environment the request does not accept, before resolving the resource', async () => {
    const { kw, live, test } = await world();
    const resource = vi.fn(() => dataset('d_1'));
    expect(await kw.verify(test.token, { ...read, resource, environments: ['live'] })).toEqual({
      ok: false,
      code: 'environment_not_accepted',
    });
    expect(resource).not.toHaveBeenCalled();
    expect(await kw.verify(live.token, { ...read, environments: ['test'] })).toEqual({
      ok: false,
      code: 'environment_not_accepted',
    });
    expect((await kw.verify(live.token, { ...read, environments: ['live'] })).ok).toBe(true);
    expect((await kw.verify(test.token, { ...read, environments: ['live', 'test'] })).ok).toBe(true);
  });

  it('takes the instance default from acceptEnvironments, which a request may override', async () => {
    const { kw, live, test } = await world({ acceptEnvironments: ['live'] });
    expect((await kw.verify(live.token, read)).ok).toBe(true);
    expect(await kw.verify(test.token, read)).toMatchObject({ code: 'environment_not_accepted' });
    expect((await kw.verify(test.token, { ...read, environments: ['test'] })).ok).toBe(true);
  });

  it('answers a revoked or wrong key as such, whatever its environment', async () => {
    const { kw, test } = await world();
    // The secret's last character changed (to one it is not: 1 in 62 secrets already end in 'A'),
    // the checksum recomputed: a well-formed token with a wrong secret.
    const last = test.token.slice(-7, -6);
    const wrong = withPrefix(
      `${test.token.slice(0, -7)}${last === 'A' ? 'B' : 'A'}${test.token.slice(-6)}`,
      'acme_test',
      'acme_test',
    );
    expect(wrong).not.toBe(test.token);
    expect(await kw.verify(wrong, { ...read, environments: ['live'] })).toEqual({
      ok: false,
      code: 'invalid_secret',
    });
    await kw.keys.revoke(admin, { keyId: test.key.id });
    expect(await kw.verify(test.token, { ...read, environments: ['live'] })).toMatchObject({
      ok: false,
      code: 'key_revoked',
    });
  });

  it('answers 401 environment_not_accepted over HTTP, with a challenge that says why', async () => {
    const { kw, test } = await world();
    const outcome = await answer(kw, test.token, ['live']);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.denial.status).toBe(401);
    expect(outcome.denial.code).toBe('environment_not_accepted');
    expect(outcome.denial.body).toMatchObject({ status: 401, code: 'environment_not_accepted' });
    expect(outcome.denial.headers['www-authenticate']).toMatch(
      /^Bearer realm="acme", error="invalid_token", error_description="The API key belongs to an environment/,
    );
    expect(JSON.stringify(outcome.denial)).not.toContain(test.token);
  });

  it('refuses route environments that are not a non-empty list of distinct environments, at startup', async () => {
    const { kw } = await world();
    const guard = createApiKeyGuard<VerifiedPrincipal>(kw);
    const route = { action: 'datasets:read', resource: () => dataset('d_1') };
    for (const environments of [[], ['prod'], ['live', 'live'], 'live']) {
      expect(() => guard.assertRoute({ ...route, environments: environments as never })).toThrow(TypeError);
    }
    expect(() => guard.assertRoute({ ...route, environments: ['test'] })).not.toThrow();
  });
});

describe('one string prefix', () => {
  it('mints both environments with it and verifies both, as before', async () => {
    const { kw, live, test } = await world({ tokenPrefix: 'acme' });
    expect(kw.tokenPrefix).toBe('acme');
    expect(kw.tokenPrefixes).toEqual({ live: 'acme', test: 'acme' });
    expect(live.token).toMatch(/^acme_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect(test.token).toMatch(/^acme_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}$/);
    expect((await kw.verify(live.token, read)).ok).toBe(true);
    expect((await kw.verify(test.token, read)).ok).toBe(true);
    // The stored environment still decides what a request accepts.
    expect(await kw.verify(test.token, { ...read, environments: ['live'] })).toMatchObject({
      code: 'environment_not_accepted',
    });
  });
});
