import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../../src/entities/actor.js';
import type { GrantShape, KeyPrincipalFacts } from '../../../src/policy/index.js';
import { ADMIN_USER, ANALYST_USER, keyFacts, policy } from './support/policy-fixture.js';

/** A user who may manage accounts and read, but not write data. */
const MANAGER_USER: UserActor = {
  type: 'user',
  id: 'u_manager',
  tenantId: 't1',
  permissions: ['*:read', '*:list', 'service_accounts:manage', 'api_keys:manage'],
};

const manager = policy.compileUser(MANAGER_USER);
const selected = (...datasetIds: string[]) => ({ mode: 'selected' as const, datasetIds });
const shape = (overrides: Partial<GrantShape> = {}): GrantShape => ({
  roles: ['viewer'],
  readOnly: false,
  datasetAccess: { mode: 'all' },
  ...overrides,
});
const keyActor = (overrides: Partial<KeyPrincipalFacts>) => policy.compileKey(keyFacts(overrides));
const NOTHING = { permissions: [], datasets: [] };

describe('exceedingGrant: widening an existing account', () => {
  it('readOnly true -> false gives the write actions the roles grant', () => {
    const before = shape({ roles: ['analyst'], readOnly: true });
    expect(policy.exceedingGrant(manager, { before, after: { ...before, readOnly: false } })).toEqual({
      permissions: ['datasets:write', 'workspace:ingest'],
      datasets: [],
    });
  });

  it('selected -> all gives the workspace- and tenant-level actions', () => {
    const reader = policy.compileUser({ ...MANAGER_USER, permissions: ['datasets:read'] });
    const before = shape({ datasetAccess: selected('d1') });
    expect(policy.exceedingGrant(reader, { before, after: shape() })).toEqual({
      permissions: [
        'service_accounts:read',
        'tenant.users.roles:read',
        'tenant.workspaces:list',
        'workspace.ledger:read',
        'workspace.schemas:read',
        'workspace.users.roles:read',
        'workspace:read',
      ],
      datasets: [],
    });
  });

  it("selected -> all gives every dataset ('*') beyond a key actor limited to some", () => {
    const actor = keyActor({ roles: ['viewer'], datasetAccess: selected('d1') });
    const before = shape({ datasetAccess: selected('d1') });
    const excess = policy.exceedingGrant(actor, { before, after: shape() });
    expect(excess.datasets).toEqual(['*']);
    expect(excess.permissions).toContain('datasets:read');
    expect(excess.permissions).toContain('workspace:read');
  });

  it('granting datasets gives the added ids only', () => {
    const actor = keyActor({ roles: ['analyst'], datasetAccess: selected('d1', 'd2') });
    const before = shape({ roles: ['analyst'], datasetAccess: selected('d1') });
    const after = { ...before, datasetAccess: selected('d1', 'd2', 'd3') };
    expect(policy.exceedingGrant(actor, { before, after })).toEqual({
      permissions: ['datasets:read', 'datasets:write'],
      datasets: ['d3'],
    });
    expect(
      policy.exceedingGrant(actor, { before, after: { ...before, datasetAccess: selected('d2') } }),
    ).toEqual(NOTHING);
  });

  it('adding a role gives what the new role adds', () => {
    const before = shape({ roles: ['viewer'] });
    expect(
      policy.exceedingGrant(manager, { before, after: shape({ roles: ['viewer', 'analyst'] }) }),
    ).toEqual({
      permissions: ['datasets:write', 'workspace:ingest'],
      datasets: [],
    });
  });

  it('readOnly true -> false on a dataset-scoped account gives its write actions on its datasets', () => {
    const before = shape({ roles: ['analyst'], datasetAccess: selected('d1'), readOnly: true });
    const after = shape({ roles: ['analyst'], datasetAccess: selected('d1') });
    const actor = keyActor({ roles: ['viewer'], datasetAccess: selected('d1') });
    expect(policy.exceedingGrant(actor, { before, after })).toEqual({
      permissions: ['datasets:write'],
      datasets: [],
    });
  });
});

describe('exceedingGrant: changes that give nothing', () => {
  it('narrowing (fewer roles, read-only, fewer datasets, scopes) is allowed to anyone', () => {
    const nobody = policy.compileUser({ ...MANAGER_USER, permissions: [] });
    const before = shape({ roles: ['admin'] });
    for (const after of [
      shape({ roles: ['viewer'] }),
      { ...before, readOnly: true },
      { ...before, datasetAccess: selected('d1') },
      { ...before, scopes: ['datasets:read'] },
    ]) {
      expect(policy.exceedingGrant(nobody, { before, after })).toEqual(NOTHING);
    }
    const some = shape({ roles: ['admin'], datasetAccess: selected('d1', 'd2') });
    expect(
      policy.exceedingGrant(nobody, { before: some, after: { ...some, datasetAccess: selected('d2') } }),
    ).toEqual(NOTHING);
  });

  it('renaming an account whose rights exceed the actor gives nothing', () => {
    const account = shape({ roles: ['admin'] });
    expect(policy.exceedingGrant(manager, { before: account, after: { ...account } })).toEqual(NOTHING);
  });

  it('a user actor holding everything may give everything', () => {
    const admin = policy.compileUser(ADMIN_USER);
    expect(policy.exceedingGrant(admin, { before: null, after: shape({ roles: ['admin'] }) })).toEqual(
      NOTHING,
    );
  });

  it('non-assignable and undefined roles give nothing, as compileKey counts them', () => {
    const after = shape({ roles: ['owner', 'root'] });
    expect(policy.exceedingGrant(manager, { before: null, after })).toEqual(NOTHING);
  });
});

describe('exceedingGrant: new accounts and secrets (before: null)', () => {
  it('a key actor with selected datasets may not give other datasets', () => {
    const actor = keyActor({ roles: ['viewer'], datasetAccess: selected('d1') });
    expect(
      policy.exceedingGrant(actor, { before: null, after: shape({ datasetAccess: selected('d2') }) }),
    ).toEqual({
      permissions: ['datasets:read'],
      datasets: ['d2'],
    });
    expect(
      policy.exceedingGrant(actor, { before: null, after: shape({ datasetAccess: selected('d1') }) }),
    ).toEqual(NOTHING);
  });

  it('a read-only key actor may give reads only', () => {
    const actor = keyActor({ roles: ['admin'], readOnly: true });
    expect(policy.exceedingGrant(actor, { before: null, after: shape({ roles: ['analyst'] }) })).toEqual({
      permissions: ['datasets:write', 'workspace:ingest'],
      datasets: [],
    });
    expect(
      policy.exceedingGrant(actor, { before: null, after: shape({ roles: ['analyst'], readOnly: true }) }),
    ).toEqual(NOTHING);
  });

  it('a key actor reaches only the datasets every creator key up its chain selects', () => {
    const creator = keyActor({ keyId: 'k000000000000002', datasetAccess: selected('d1', 'd2') });
    const actor = keyActor({
      datasetAccess: selected('d2', 'd3'),
      creator: { type: 'key', principal: creator },
    });
    const give = (...ids: string[]) =>
      policy.exceedingGrant(actor, { before: null, after: shape({ datasetAccess: selected(...ids) }) });
    expect(give('d2')).toEqual(NOTHING);
    expect(give('d2', 'd3')).toEqual({ permissions: ['datasets:read'], datasets: ['d3'] });
  });

  it('key scopes narrow what a secret gives', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    const after = shape({ roles: ['admin'], scopes: ['datasets:read', 'datasets:write'] });
    expect(policy.exceedingGrant(analyst, { before: null, after })).toEqual(NOTHING);
    expect(
      policy.exceedingGrant(analyst, { before: null, after: { ...after, scopes: ['datasets:*'] } }),
    ).toEqual({
      permissions: ['datasets:delete'],
      datasets: [],
    });
  });

  it('a principal that is not compiled by this policy holds nothing', () => {
    const excess = policy.exceedingGrant({} as never, {
      before: null,
      after: shape({ scopes: ['datasets:read'] }),
    });
    expect(excess).toEqual({ permissions: ['datasets:read'], datasets: [] });
    expect(Object.isFrozen(excess) && Object.isFrozen(excess.permissions)).toBe(true);
  });
});
