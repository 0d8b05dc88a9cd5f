import { describe, expect, it } from 'vitest';
import { memoryAdapter } from '../../../adapters/memory/index.js';
import { createKeyward, defaultPermissions, definePermissions, defineRoles } from '../../../src/index.js';
import { admin, dataset } from '../../support/keyward-fixture.js';
import { rejection } from '../../support/rejection.js';

/**
 * `kw.keys.update` lets scopes only narrow. Comparing the patterns' expansion over today's catalog
 * is not enough: an explicit list swapped for a wildcard that equals it today would reach every
 * permission the host adds to the catalog later. A wildcard must stay under a wildcard.
 */
describe('kw.keys.update: scopes cannot widen through a wildcard', () => {
  it('refuses a wildcard in place of the explicit list it equals today, and keeps one under a wildcard', async () => {
    const v = createKeyward({ storage: memoryAdapter(), tokenPrefix: 'acme' });
    const created = await v.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['admin'],
      firstKey: { name: 'etl', scopes: ['datasets:read', 'datasets:write', 'datasets:delete'] },
    });
    const keyId = created.key?.key.id as string;
    const refused = await rejection(v.keys.update(admin, { keyId, scopes: ['datasets:*'] }));
    expect([refused.code, refused.issues.map((issue) => issue.message)]).toEqual([
      'INVALID_INPUT',
      [
        "Not covered by a wildcard of the key's current scopes: datasets:* (it would reach permissions added to the catalog later)",
      ],
    ]);
    expect((await v.keys.get(admin, { keyId })).scopes).toEqual([
      'datasets:read',
      'datasets:write',
      'datasets:delete',
    ]);
    const wide = await v.keys.issue(admin, {
      serviceAccountId: created.account.id,
      key: { name: 'wide', scopes: ['*:*'] },
    });
    const narrowed = await v.keys.update(admin, { keyId: wide.key.id, scopes: ['datasets:*'] });
    expect(narrowed.scopes).toEqual(['datasets:*']);
  });

  it('an explicit list replaced by datasets:* does not gain a permission added to the catalog later', async () => {
    const storage = memoryAdapter();
    const now = Date.UTC(2026, 0, 1);
    const v1 = createKeyward({ storage, tokenPrefix: 'acme', clock: () => now });
    const created = await v1.serviceAccounts.create(admin, {
      workspaceId: 'w_sales',
      name: 'etl',
      roles: ['admin'],
      firstKey: { name: 'etl', scopes: ['datasets:read', 'datasets:write', 'datasets:delete'] },
    });
    const keyId = created.key?.key.id as string;
    const token = created.key?.token as string;
    // An actor that may narrow the key changes its scopes to a pattern that names the same three
    // permissions today.
    await v1.keys.update(admin, { keyId, scopes: ['datasets:*'] }).catch(() => undefined); // refused

    // The host later adds a dataset permission; its admin role grants everything, as before.
    const permissions = definePermissions({
      ...Object.fromEntries(
        defaultPermissions.permissions.map(({ name, scope, access, description }) => [
          name,
          { scope, access, description },
        ]),
      ),
      'datasets:export': { scope: 'dataset', access: 'read', description: 'Export a dataset' },
    } as never);
    const roles = defineRoles(permissions, { admin: { grants: ['*'] } } as never);
    const v2 = createKeyward({ storage, tokenPrefix: 'acme', clock: () => now, permissions, roles });
    // The key was issued without datasets:export and nobody gave it: it must not have it.
    expect(await v2.verify(token, { action: 'datasets:export', resource: dataset('d_1') })).toMatchObject({
      ok: false,
    });
  });
});
