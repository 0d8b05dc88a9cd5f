import { describe, expect, it } from 'vitest';
import { formatToken } from '../../../src/entries/keys.js';
import type { Resource, ResourceResolver, VerifiedPrincipal } from '../../../src/index.js';
import { admin, dataset, setup } from '../../support/keyward-fixture.js';
import { seededWorld, userRef } from './support/verify-world.js';

/** A resolver that records each call and answers `answer`. */
function recording(answer: Resource | null | (() => never) = dataset('d_1')) {
  const calls: VerifiedPrincipal[] = [];
  const resolve: ResourceResolver = async (principal) => {
    calls.push(principal);
    return typeof answer === 'function' ? answer() : answer;
  };
  return { resolve, calls };
}

async function issued(firstKey: { name: string; expiresInSeconds?: number } = { name: 'k' }) {
  const fixture = setup();
  const { account, key } = await fixture.kw.serviceAccounts.create(admin, {
    workspaceId: 'w_sales',
    name: 'svc',
    roles: ['analyst'],
    firstKey,
  });
  if (key === undefined) throw new Error('no key');
  return { ...fixture, account, token: key.token, keyId: key.key.id };
}

describe('a resource resolver', () => {
  it('is called once, with the verified principal, for a good key', async () => {
    const { kw, token, keyId } = await issued();
    const { resolve, calls } = recording();
    const result = await kw.verify(token, { action: 'datasets:read', resource: resolve });
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.keyId).toBe(keyId);
    if (result.ok) expect(calls[0]).toBe(result.principal);
  });

  it('is never called for a malformed token, an unknown key or a wrong secret', async () => {
    const { kw, token, keyId } = await issued();
    const other = await issued();
    const { resolve, calls } = recording();
    const wrongSecret = formatToken({ prefix: 'acme', keyId, secret: 'Z'.repeat(43) });
    for (const [candidate, code] of [
      ['acme_garbage', 'malformed_token'],
      [`${token}x`, 'malformed_token'],
      [other.token, 'key_not_found'],
      [wrongSecret, 'invalid_secret'],
    ] as const) {
      expect(await kw.verify(candidate, { action: 'datasets:read', resource: resolve })).toMatchObject({
        ok: false,
        code,
      });
    }
    expect(calls).toHaveLength(0);
  });

  it('is never called for a revoked, expired or disabled key', async () => {
    const { kw, token, keyId, account, clock } = await issued();
    const { resolve, calls } = recording();
    await kw.serviceAccounts.disable(admin, { id: account.id });
    expect(await kw.verify(token, { action: 'datasets:read', resource: resolve })).toMatchObject({
      code: 'account_disabled',
    });
    await kw.serviceAccounts.enable(admin, { id: account.id });
    await kw.keys.revoke(admin, { keyId });
    expect(await kw.verify(token, { action: 'datasets:read', resource: resolve })).toMatchObject({
      code: 'key_revoked',
    });
    const short = await issued({ name: 'short', expiresInSeconds: 60 });
    short.clock.advance(60_000);
    expect(await short.kw.verify(short.token, { action: 'datasets:read', resource: resolve })).toMatchObject({
      code: 'key_expired',
    });
    expect(calls).toHaveLength(0);
    expect(clock.now).toBeGreaterThan(0);
  });

  it('is never called when the live creator chain is inactive', async () => {
    const world = seededWorld();
    const key = await world.key(await world.account(), userRef('u_gone'));
    const { resolve, calls } = recording();
    expect(await world.kw.verify(key.token, { action: 'datasets:read', resource: resolve })).toMatchObject({
      code: 'creator_inactive',
    });
    expect(calls).toHaveLength(0);
  });

  it('explains a credential refusal when asked', async () => {
    const { kw, token, keyId } = await issued();
    await kw.keys.revoke(admin, { keyId });
    const { resolve } = recording();
    const result = await kw.verify(token, { action: 'datasets:read', resource: resolve, explain: true });
    expect(result.decision?.trace).toContainEqual(expect.objectContaining({ layer: 1, outcome: 'deny' }));
  });

  it('answering null is resource_not_found; throwing is evaluation_error; verify never throws', async () => {
    const { kw, token } = await issued();
    expect(await kw.verify(token, { action: 'datasets:read', resource: recording(null).resolve })).toEqual({
      ok: false,
      code: 'resource_not_found',
    });
    const throwing = recording(() => {
      throw new Error('db down');
    });
    expect(await kw.verify(token, { action: 'datasets:read', resource: throwing.resolve })).toEqual({
      ok: false,
      code: 'evaluation_error',
    });
    const syncThrow = () => {
      throw new Error('sync');
    };
    expect(await kw.verify(token, { action: 'datasets:read', resource: syncThrow })).toEqual({
      ok: false,
      code: 'evaluation_error',
    });
  });

  it('has its resource go through every policy layer', async () => {
    const { kw, token } = await issued();
    const elsewhere = () => dataset('d_1', 'w_ops');
    expect(await kw.verify(token, { action: 'datasets:read', resource: elsewhere })).toMatchObject({
      code: 'outside_workspace_binding',
    });
    expect(
      await kw.verify(token, { action: 'datasets:delete', resource: () => dataset('d_1') }),
    ).toMatchObject({
      code: 'not_granted',
    });
    expect(await kw.verify(token, { action: 'nope:nope', resource: () => dataset('d_1') })).toMatchObject({
      code: 'invalid_request',
    });
  });
});
