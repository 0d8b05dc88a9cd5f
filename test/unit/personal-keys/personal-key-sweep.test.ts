import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../../src/index.js';
import { admin, dataset, setup, TENANT } from '../../support/keyward-fixture.js';

/**
 * The sweep's `disableUnusedFor` disables keys unused for a while, reversibly (`kw.keys.enable`).
 * `kw.keys` does not touch a person's own key and its owner has no enable: the sweep leaves
 * personal keys out of that rule, or one it disabled would be stuck for good.
 */
describe('the stale-key sweep and personal keys', () => {
  it('does not disable a personal key for lack of use', async () => {
    const alice: UserActor = { type: 'user', id: 'u_alice', tenantId: TENANT, permissions: ['*'] };
    const { kw, clock } = setup({
      resolveActor: async ({ id }) => (id === alice.id ? alice : id === admin.id ? admin : null),
    });
    const { key, token } = await kw.personalKeys.issue(alice, {
      workspaceId: 'w_sales',
      name: 'laptop',
      scopes: ['datasets:read'],
    });
    clock.advance(50 * 86_400_000);
    const done = await kw.keys.sweep(admin, { disableUnusedFor: 45 * 86_400 });
    expect(done.disabled).toBe(0);
    const read = { action: 'datasets:read', resource: dataset('d_1') };
    expect((await kw.verify(token, read)).ok).toBe(true);
    expect(
      (await kw.personalKeys.list(alice, { workspaceId: 'w_sales' })).items.map((k) => [k.id, k.status]),
    ).toEqual([[key.id, 'active']]);
  });
});
