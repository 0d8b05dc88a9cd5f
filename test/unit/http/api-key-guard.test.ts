import { describe, expect, it, vi } from 'vitest';
import { type ApiKeyVerifier, createApiKeyGuard, type RequestResource } from '../../../src/http/index.js';

const TOKEN = 'acme_4f8Ws2Kd9QbZ1xLm_zdrX53surynffJE3YzuEDe5P2SvBg6L1ZZQ9BoQlJoZ07pGjC';
const RESOURCE: RequestResource = { tenantId: 't_1', workspaceId: 'w_1' };

interface Principal {
  keyId: string;
  tenantId: string;
}

/** A verifier that accepts TOKEN for tenant t_1 and answers `code` otherwise. */
function fakeVerifier(code = 'key_not_found'): ApiKeyVerifier<Principal> & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    async verify(token, request) {
      calls.push({ token, request });
      if (token !== TOKEN) return { ok: false, code };
      if (request.resource.tenantId !== 't_1') return { ok: false, code: 'cross_tenant' };
      return { ok: true, principal: { keyId: '4f8Ws2Kd9QbZ1xLm', tenantId: 't_1' } };
    },
  };
}

const request = (
  headers: string[],
  extra: Partial<{ resource: () => RequestResource | null; url: string }> = {},
) => ({
  headers,
  url: extra.url ?? '/workspaces/w_1',
  action: 'workspace:read',
  resource: extra.resource ?? (() => RESOURCE),
});

describe('createApiKeyGuard', () => {
  it('verifies the key against the resolved resource and the route action', async () => {
    const verifier = fakeVerifier();
    const guard = createApiKeyGuard(verifier, { realm: 'acme' });
    const outcome = await guard.authenticate({ ...request(['x-api-key', TOKEN]), ip: '10.0.0.1' });
    expect(outcome).toEqual({ ok: true, principal: { keyId: '4f8Ws2Kd9QbZ1xLm', tenantId: 't_1' } });
    expect(verifier.calls).toEqual([
      { token: TOKEN, request: { action: 'workspace:read', resource: RESOURCE, ip: '10.0.0.1' } },
    ]);
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

  it('answers 404 for a missing resource only to a valid key, and 401 to an invalid one', async () => {
    const guard = createApiKeyGuard(fakeVerifier('invalid_secret'));
    const valid = await guard.authenticate(request(['x-api-key', TOKEN], { resource: () => null }));
    const invalid = await guard.authenticate(request(['x-api-key', `${TOKEN}x`], { resource: () => null }));
    expect(valid.ok ? null : [valid.denial.status, valid.denial.code]).toEqual([404, 'resource_not_found']);
    expect(invalid.ok ? null : [invalid.denial.status, invalid.denial.code]).toEqual([401, 'invalid_secret']);
  });

  it('keeps a storage failure as 503 even when the resource is missing', async () => {
    const guard = createApiKeyGuard(fakeVerifier('storage_unavailable'));
    const outcome = await guard.authenticate(request(['x-api-key', 'zzz'], { resource: () => null }));
    expect(outcome.ok ? null : outcome.denial.status).toBe(503);
  });

  it('asks the host limiter after verification and answers 429 with Retry-After', async () => {
    const limit = vi.fn(() => ({ limited: true as const, retryAfterSeconds: 7 }));
    const guard = createApiKeyGuard(fakeVerifier());
    const outcome = await guard.authenticate({ ...request(['x-api-key', TOKEN]), limit });
    expect(limit).toHaveBeenCalledWith({ keyId: '4f8Ws2Kd9QbZ1xLm', tenantId: 't_1' });
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
    const noCatalog = createApiKeyGuard(fakeVerifier());
    expect(() => noCatalog.assertRoute({ action: 'anything:goes', resource: () => RESOURCE })).not.toThrow();
  });
});
