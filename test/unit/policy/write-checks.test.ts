import { describe, expect, it } from 'vitest';
import { ADMIN_USER, ANALYST_USER, keyFacts, policy, userCreator } from './support/policy-fixture.js';

describe('write-time checks', () => {
  it('lists unknown roles and non-assignable roles separately', () => {
    expect(policy.unknownRoles(['admin', 'root', 'owner', 'root'])).toEqual(['root']);
    expect(policy.nonAssignableRoles(['admin', 'owner', 'root'])).toEqual(['owner']);
  });

  it('lists unknown or malformed patterns, once each, in input order', () => {
    expect(policy.unknownPatterns(['datasets:*', 'x:y', 'data*', 'x:y', '*:read'])).toEqual(['x:y', 'data*']);
  });

  it('lists the datasets outside the binding', () => {
    expect(policy.datasetsOutsideBinding(['d1', 'd9', 'd2', 'd9'], ['d1', 'd2'])).toEqual(['d9']);
  });

  it('returns the permissions requested roles give beyond a user creator, sorted', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    expect(policy.exceedingCreator(analyst, { roles: ['admin'] })).toEqual([
      'api_keys:manage',
      'datasets:delete',
      'service_accounts:manage',
    ]);
    expect(policy.exceedingCreator(analyst, { roles: ['analyst', 'viewer'] })).toEqual([]);
  });

  it('lets scopes narrow the requested roles below the creator', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    expect(
      policy.exceedingCreator(analyst, { roles: ['admin'], scopes: ['datasets:read', 'datasets:write'] }),
    ).toEqual([]);
    expect(policy.exceedingCreator(analyst, { scopes: ['datasets:*'] })).toEqual(['datasets:delete']);
  });

  it("bounds by a creator key's effective rights: read-only, dataset scope and its own creator", () => {
    const creator = (overrides: Parameters<typeof keyFacts>[0]) => policy.compileKey(keyFacts(overrides));
    expect(policy.exceedingCreator(creator({ readOnly: true }), { roles: ['analyst'] })).toEqual([
      'datasets:write',
      'workspace:ingest',
    ]);
    expect(
      policy.exceedingCreator(creator({ datasetAccess: { mode: 'selected', datasetIds: ['d1'] } }), {
        roles: ['viewer'],
      }),
    ).toEqual([
      'service_accounts:read',
      'tenant.users.roles:read',
      'tenant.workspaces:list',
      'workspace.ledger:read',
      'workspace.schemas:read',
      'workspace.users.roles:read',
      'workspace:read',
    ]);
    expect(
      policy.exceedingCreator(creator({ creator: userCreator(ANALYST_USER) }), { roles: ['admin'] }),
    ).toHaveLength(3);
    expect(
      policy.exceedingCreator(creator({ creator: userCreator(ADMIN_USER) }), { roles: ['admin'] }),
    ).toEqual([]);
  });

  it('counts only roles a service account can hold, as compileKey does', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    expect(policy.exceedingCreator(analyst, { roles: ['owner', 'root'] })).toEqual([]);
    expect(policy.exceedingCreator(analyst, {})).toEqual([]);
  });

  it('agrees with exceedingGrant on a new full, writable account', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    for (const roles of [['admin'], ['analyst'], ['viewer', 'admin'], []]) {
      const after = { roles, readOnly: false, datasetAccess: { mode: 'all' as const } };
      expect(policy.exceedingCreator(analyst, { roles })).toEqual(
        policy.exceedingGrant(analyst, { before: null, after }).permissions,
      );
    }
  });

  it('lists every requested permission when the creator is not a compiled principal', () => {
    expect(policy.exceedingCreator({} as never, { scopes: ['datasets:read'] })).toEqual(['datasets:read']);
  });
});
