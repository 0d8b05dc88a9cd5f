import { describe, expect, it, vi } from 'vitest';
import {
  type ApiKeyVerifier,
  createApiKeyGuard,
  type GuardOutcome,
  type RequestResource,
} from '../../../src/entries/http.js';

const TOKEN = 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC';
const RESOURCE: RequestResource = { tenantId: 't_1', workspaceId: 'w_1' };

interface Principal {
  keyId: string;
  tenantId: string;
}

const PRINCIPAL: Principal = { keyId: '4f8Ws2Kd9QbZ1xLm', tenantId: 't_1' };

/**
 * A verifier keeping `kw.verify`'s contract: TOKEN is the only valid key (of tenant t_1), any
 * other token fails with `code` before the resource resolver is called; the resolver's `null` is
 * `resource_not_found`, its throw `evaluation_error`.
 */
function fakeVerifier(code = 'key_not_found'): ApiKeyVerifier<Principal> & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    async verify(token, request) {
      calls.push({ token, action: request.action, ip: request.ip });
      if (token !== TOKEN) return { ok: false, code };
      let resource: RequestResource | null;
      if (typeof request.resource === 'function') {
        try {
          resource = await request.resource(PRINCIPAL);
        } catch {
          return { ok: false, code: 'evaluation_error' };
        }
      } else resource = request.resource;
      if (resource === null) return { ok: false, code: 'resource_not_found' };
      if (resource.tenantId !== 't_1') return { ok: false, code: 'cross_tenant' };
      return { ok: true, principal: PRINCIPAL };
    },
  };
}

/** A verifier that never reads the client address: TOKEN is valid, any other token unknown. */
function blindVerifier(): ApiKeyVerifier<Principal> {
  return {
    verify: async (token) =>
      token === TOKEN ? { ok: true, principal: PRINCIPAL } : { ok: false, code: 'key_not_found' },
  };
}

const request = (
  headers: string[],
  extra: Partial<{
    resource: () => RequestResource | null | Promise<RequestResource | null>;
    url: string;
  }> = {},
) => ({
  headers,
  url: extra.url ?? '/workspaces/w_1',
  action: 'workspace:read',
  resource: extra.resource ?? (() => RESOURCE),
});

/** A denial's status, headers and body bytes: what a caller can compare. */
function seen(outcome: GuardOutcome<Principal>): string {
  if (outcome.ok) return 'allowed';
  const { status, headers, body } = outcome.denial;
  return JSON.stringify([status, headers, JSON.stringify(body)]);
}

describe('createApiKeyGuard', () => {
  it('verifies the key first, then resolves the resource through verify', async () => {
    const verifier = fakeVerifier();
    const resource = vi.fn(() => RESOURCE);
    const guard = createApiKeyGuard(verifier, { realm: 'acme' });
    const outcome = await guard.authenticate({
      ...request(['x-api-key', TOKEN], { resource }),
      ip: '10.0.0.1',
    });
    expect(outcome).toEqual({ ok: true, principal: PRINCIPAL, headers: {} });
    expect(verifier.calls).toEqual([{ token: TOKEN, action: 'workspace:read', ip: '10.0.0.1' }]);
    expect(resource).toHaveBeenCalledOnce();
  });

  it('passes the route resource to verify as a resolver, never as a resolved value', async () => {
    const resolvers: unknown[] = [];
    const guard = createApiKeyGuard<Principal>({
      async verify(_token, req) {
        resolvers.push(req.resource);
        return { ok: false, code: 'key_not_found' };
      },
    });
    const resource = vi.fn(() => RESOURCE);
    await guard.authenticate(request(['x-api-key', TOKEN], { resource }));
    expect(typeof resolvers[0]).toBe('function');
    expect(resource).not.toHaveBeenCalled();
  });

  it('refuses missing and malformed credentials before resolving the resource or calling verify', async () => {
    const verifier = fakeVerifier();
    const resource = vi.fn(() => RESOURCE);
    const guard = createApiKeyGuard(verifier);
    const missing = await guard.authenticate(request([], { resource }));
    const doubled = await guard.authenticate(request(['x-api-key', TOKEN, 'x-api-key', TOKEN], { resource }));
    expect(missing.ok ? null : missing.denial.status).toBe(401);
    expect(doubled.ok ? null : doubled.denial.status).toBe(400);
    expect(resource).not.toHaveBeenCalled();
    expect(verifier.calls).toHaveLength(0);
  });

  it.each([
    'malformed_token',
    'key_not_found',
    'invalid_secret',
    'key_revoked',
    'key_disabled',
    'key_expired',
    'key_not_yet_valid',
    'account_disabled',
    'account_deleted',
    'creator_inactive',
  ])(
    'answers %s with the one 401 on an existing, a missing and another tenant’s resource, without resolving it',
    async (code) => {
      const guard = createApiKeyGuard(fakeVerifier(code), { realm: 'acme' });
      const reference = seen(await guard.authenticate(request(['x-api-key', 'acme_bad'])));
      const resolvers = [() => RESOURCE, () => null, () => ({ tenantId: 't_2', workspaceId: 'w_9' })];
      for (const resolve of resolvers) {
        const resource = vi.fn(resolve);
        const outcome = await guard.authenticate(request(['x-api-key', 'acme_bad'], { resource }));
        expect(outcome.ok ? null : [outcome.denial.status, outcome.denial.code]).toEqual([401, code]);
        expect(seen(outcome)).toBe(reference);
        expect(resource).not.toHaveBeenCalled();
      }
      const missing = await guard.authenticate(request([]));
      const invalid = await guard.authenticate(request(['x-api-key', 'acme_bad']));
      expect(missing.ok || invalid.ok ? null : JSON.stringify(missing.denial.body)).toBe(
        invalid.ok ? null : JSON.stringify(invalid.denial.body),
      );
    },
  );

  it('answers 404 to a valid key when its resolver finds nothing, as for another tenant', async () => {
    const guard = createApiKeyGuard(fakeVerifier());
    const missing = await guard.authenticate(request(['x-api-key', TOKEN], { resource: () => null }));
    const other = await guard.authenticate(
      request(['x-api-key', TOKEN], { resource: () => ({ tenantId: 't_2' }) }),
    );
    expect(missing.ok ? null : [missing.denial.status, missing.denial.code]).toEqual([
      404,
      'resource_not_found',
    ]);
    expect(other.ok ? null : [other.denial.status, other.denial.code]).toEqual([404, 'cross_tenant']);
    expect(seen(missing)).toBe(seen(other));
  });

  it('rethrows what the host resolver throws (sync or async), instead of a 500', async () => {
    const guard = createApiKeyGuard(fakeVerifier());
    const failure = new Error('directory down');
    const sync = () => {
      throw failure;
    };
    const async = async () => Promise.reject(failure);
    await expect(guard.authenticate(request(['x-api-key', TOKEN], { resource: sync }))).rejects.toBe(failure);
    await expect(guard.authenticate(request(['x-api-key', TOKEN], { resource: async }))).rejects.toBe(
      failure,
    );
  });

  it('answers 500 to an evaluation error of its own, and 503 to a storage failure, without resolving', async () => {
    const resource = vi.fn(() => RESOURCE);
    const failing = createApiKeyGuard(fakeVerifier('evaluation_error'));
    const down = createApiKeyGuard(fakeVerifier('storage_unavailable'));
    const failed = await failing.authenticate(request(['x-api-key', 'zzz'], { resource }));
    const unavailable = await down.authenticate(request(['x-api-key', 'zzz'], { resource }));
    expect(failed.ok ? null : failed.denial.status).toBe(500);
    expect(unavailable.ok ? null : unavailable.denial.status).toBe(503);
    expect(resource).not.toHaveBeenCalled();
  });

  it('asks the host limiter after verification and answers 429 with Retry-After', async () => {
    const limit = vi.fn(() => ({ limited: true as const, retryAfterSeconds: 7 }));
    const guard = createApiKeyGuard(fakeVerifier());
    const outcome = await guard.authenticate({ ...request(['x-api-key', TOKEN]), limit });
    expect(limit).toHaveBeenCalledWith(PRINCIPAL);
    expect(outcome.ok ? null : [outcome.denial.status, outcome.denial.headers['retry-after']]).toEqual([
      429,
      '7',
    ]);
    const unlimited = await guard.authenticate({ ...request(['x-api-key', TOKEN]), limit: () => undefined });
    expect(unlimited.ok).toBe(true);
  });

  it('does not ask the limiter for a refused key', async () => {
    const limit = vi.fn(() => undefined);
    const guard = createApiKeyGuard(fakeVerifier());
    await guard.authenticate({ ...request(['x-api-key', 'nope']), limit });
    expect(limit).not.toHaveBeenCalled();
  });

  it('asks for the client address at most once, and only when something reads it', async () => {
    const address = vi.fn(() => '10.0.0.1');
    // A verifier that never reads the address (a key without IP rules): never asked.
    const blind = blindVerifier();
    const unthrottled = createApiKeyGuard(blind, { failedVerificationThrottle: false });
    expect((await unthrottled.authenticate({ ...request(['x-api-key', TOKEN]), ip: address })).ok).toBe(true);
    expect(address).not.toHaveBeenCalled();
    // A verifier reading it twice (an allowlist, then an observer): asked once, the same answer.
    const seenAddresses: unknown[] = [];
    const reading: ApiKeyVerifier<Principal> = {
      verify: async (_token, verifyRequest) => {
        seenAddresses.push(verifyRequest.ip, verifyRequest.ip);
        return { ok: true, principal: PRINCIPAL };
      },
    };
    await createApiKeyGuard(reading).authenticate({ ...request(['x-api-key', TOKEN]), ip: address });
    expect(address).toHaveBeenCalledOnce();
    expect(seenAddresses).toEqual(['10.0.0.1', '10.0.0.1']);
  });

  it('throttles failed verifications by the address it asks for only once one has failed', async () => {
    const guard = createApiKeyGuard(blindVerifier(), {
      failedVerificationThrottle: { limit: 1, windowMs: 60_000 },
    });
    const first = vi.fn(() => '10.0.0.9');
    expect((await guard.authenticate({ ...request(['x-api-key', TOKEN]), ip: first })).ok).toBe(true);
    expect(first).not.toHaveBeenCalled();
    const failing = vi.fn(() => '10.0.0.9');
    expect((await guard.authenticate({ ...request(['x-api-key', 'acme_nope']), ip: failing })).ok).toBe(
      false,
    );
    expect(failing).toHaveBeenCalledOnce();
    // The budget of 10.0.0.9 is spent: refused before verify, whichever key it presents.
    const after = await guard.authenticate({ ...request(['x-api-key', TOKEN]), ip: () => '10.0.0.9' });
    expect(after.ok ? null : [after.denial.status, after.denial.body.code]).toEqual([
      429,
      'too_many_failures',
    ]);
    const other = await guard.authenticate({ ...request(['x-api-key', TOKEN]), ip: () => '10.0.0.10' });
    expect(other.ok).toBe(true);
  });

  it('refuses bad options when it is built', () => {
    const verifier = fakeVerifier();
    expect(() => createApiKeyGuard({} as never)).toThrow(TypeError);
    expect(() => createApiKeyGuard(verifier, { realm: 'a"b' })).toThrow(TypeError);
    expect(() => createApiKeyGuard(verifier, { maxCredentialLength: 3 })).toThrow(TypeError);
    expect(() => createApiKeyGuard(verifier, { queryParams: [''] })).toThrow(TypeError);
    expect(() => createApiKeyGuard(verifier, { typeBaseUri: 'not a uri' })).toThrow(TypeError);
  });

  it('checks route declarations against the verifier catalog when there is one', () => {
    const withCatalog = {
      ...fakeVerifier(),
      policy: { permissions: { permissions: [{ name: 'datasets:read' }] } },
    };
    const guard = createApiKeyGuard(withCatalog);
    expect(() => guard.assertRoute({ action: 'datasets:read', resource: () => RESOURCE })).not.toThrow();
    expect(() => guard.assertRoute({ action: 'datasets:raed', resource: () => RESOURCE })).toThrow(TypeError);
    expect(() => guard.assertRoute({ action: 'datasets:read', resource: RESOURCE as never })).toThrow(
      TypeError,
    );
    expect(() => guard.assertRoute(null as never)).toThrow(TypeError);
    for (const cost of [-1, 1.5, Number.NaN])
      expect(() => guard.assertRoute({ action: 'datasets:read', resource: () => RESOURCE, cost })).toThrow(
        'cost must be an integer of at least 0',
      );
    expect(() =>
      guard.assertRoute({ action: 'datasets:read', resource: () => RESOURCE, cost: 0 }),
    ).not.toThrow();
    const noCatalog = createApiKeyGuard(fakeVerifier());
    expect(() => noCatalog.assertRoute({ action: 'anything:goes', resource: () => RESOURCE })).not.toThrow();
  });
});
