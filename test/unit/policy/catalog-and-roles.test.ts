import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors/error-codes.js';
import { isKeywardError } from '../../../src/errors/keyward-error.js';
import {
  createPolicy,
  defaultPermissions,
  defaultRoles,
  definePermissions,
  defineRoles,
  type ForbidRule,
} from '../../../src/policy/index.js';
import { ADMIN_USER, DATASET, NOW } from './support/policy-fixture.js';

function configError(fn: () => unknown): {
  message: string;
  issues: readonly { path: readonly PropertyKey[] }[];
} {
  try {
    fn();
  } catch (error) {
    if (isKeywardError(error, ERROR_CODES.INVALID_CONFIG)) return error;
    throw error;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('definePermissions', () => {
  it('defaults an unclassified permission to write access', () => {
    const catalog = definePermissions({ 'reports:run': { scope: 'workspace' } });
    expect(catalog.permissions).toEqual([{ name: 'reports:run', scope: 'workspace', access: 'write' }]);
  });

  it.each([
    [{ 'Reports:run': { scope: 'workspace' } }],
    [{ 'reports:*': { scope: 'workspace' } }],
    [{ reports: { scope: 'workspace' } }],
    [{ 'reports:run': { scope: 'org' } }],
    [{ 'reports:run': { scope: 'workspace', access: 'execute' } }],
    [{ 'reports:run': { scope: 'workspace', extra: true } }],
    [{}],
  ])('refuses the bad catalog %j with INVALID_CONFIG', (catalog) => {
    expect(configError(() => definePermissions(catalog as never)).message).toMatch(
      /Invalid permission catalog/,
    );
  });
});

describe('defineRoles', () => {
  it('checks grants against the catalog when the roles are defined', () => {
    const error = configError(() =>
      defineRoles(defaultPermissions, {
        // @ts-expect-error 'datasets:destroy' is not in the catalog
        broken: { grants: ['datasets:read', 'datasets:destroy'] },
      }),
    );
    expect(error.message).toMatch(/Role 'broken': 'datasets:destroy' matches no permission of the catalog/);
    expect(error.issues[0]?.path).toEqual(['roles', 'broken', 'grants', 1]);
  });

  it('refuses a misplaced wildcard even without the catalog', () => {
    expect(configError(() => defineRoles({ bad: { grants: ['datasets.*:read'] } })).message).toMatch(
      /whole-segment/,
    );
  });

  it('refuses a bad role name and unknown keys', () => {
    const error = configError(() => defineRoles({ Admin: { grants: ['*'], assignable: false } as never }));
    expect(error.message).toMatch(/Role name 'Admin'/);
    expect(error.message).toMatch(/unknown key 'assignable'/);
  });

  it('defaults roles to assignable and keeps owner unassignable', () => {
    const byName = Object.fromEntries(
      defaultRoles.roles.map((role) => [role.name, role.assignableToServiceAccounts]),
    );
    expect(byName).toEqual({ admin: true, analyst: true, owner: false, viewer: true });
  });

  it('checks roles defined without the catalog when the policy is created', () => {
    const roles = defineRoles({ odd: { grants: ['datasets:frobnicate'] } });
    expect(configError(() => createPolicy({ permissions: defaultPermissions, roles })).message).toMatch(
      /matches no permission/,
    );
  });
});

describe('the default catalog and roles', () => {
  const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
  const grants = (role: string) =>
    policy.grantedPermissions(
      policy.compileKey({
        tenantId: 't1',
        workspaceId: 'w1',
        serviceAccountId: 'sa_0000000000000001',
        keyId: 'k000000000000001',
        environment: 'live',
        roles: [role],
        scopes: null,
        readOnly: false,
        datasetAccess: { mode: 'all' },
        accountStatus: 'active',
        keyStatus: 'active',
        expiresAt: null,
        creator: null,
      }),
    );
  const all = defaultPermissions.permissions;
  const withAccess = (...access: string[]) => all.filter((p) => access.includes(p.access)).map((p) => p.name);

  it('gives admin every permission', () => expect(grants('admin')).toEqual(all.map((p) => p.name)));
  it('gives analyst every read and write, no admin', () =>
    expect(grants('analyst')).toEqual(withAccess('read', 'write')));
  it('gives viewer every read', () => expect(grants('viewer')).toEqual(withAccess('read')));
  it('gives a service account nothing through owner', () => expect(grants('owner')).toEqual([]));

  it('classifies the permissions by scope as the issue lists them', () => {
    const scopes = Object.fromEntries(all.map((p) => [p.name, p.scope]));
    expect(scopes).toEqual({
      'api_keys:manage': 'workspace',
      'datasets:delete': 'dataset',
      'datasets:read': 'dataset',
      'datasets:write': 'dataset',
      'service_accounts:manage': 'workspace',
      'service_accounts:read': 'workspace',
      'tenant.users.roles:read': 'tenant',
      'tenant.workspaces:list': 'tenant',
      'workspace.ledger:read': 'workspace',
      'workspace.schemas:read': 'workspace',
      'workspace.users.roles:read': 'workspace',
      'workspace:ingest': 'workspace',
      'workspace:read': 'workspace',
    });
  });
});

describe('createPolicy', () => {
  it('refuses permissions that did not come from definePermissions', () => {
    const permissions = { 'datasets:read': { scope: 'dataset' } } as never;
    expect(configError(() => createPolicy({ permissions, roles: defaultRoles })).message).toMatch(
      /definePermissions/,
    );
  });

  it.each<[string, readonly ForbidRule[], RegExp]>([
    [
      'a duplicate id',
      [
        { id: 'r', actions: ['datasets:read'] },
        { id: 'r', actions: ['datasets:write'] },
      ],
      /Duplicate/,
    ],
    [
      'an unknown action',
      [{ id: 'r', actions: ['datasets:destroy' as 'datasets:read'] }],
      /matches no permission/,
    ],
    ['a misplaced wildcard', [{ id: 'r', actions: ['data*' as 'datasets:read'] }], /whole-segment/],
    ['an empty condition list', [{ id: 'r', actions: ['datasets:read'], tenantIds: [] }], /Forbid rule 0/],
    [
      'an unknown condition',
      [{ id: 'r', actions: ['datasets:read'], when: 'x' } as ForbidRule],
      /Forbid rule 0/,
    ],
    ['no actions', [{ id: 'r', actions: [] }], /Forbid rule 0/],
  ])('refuses a forbid rule with %s', (_, forbid, message) => {
    expect(
      configError(() => createPolicy({ permissions: defaultPermissions, roles: defaultRoles, forbid }))
        .message,
    ).toMatch(message);
  });

  it('types actions against the catalog at the call site', () => {
    const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
    const user = policy.compileUser(ADMIN_USER);
    // @ts-expect-error 'datasets:destroy' is not an action of the catalog
    const decision = policy.authorize(user, 'datasets:destroy', DATASET, { now: NOW });
    expect(decision.reason).toBe('invalid_request');
    const action: string = 'datasets:read';
    expect(policy.isAction(action) && policy.authorize(user, action, DATASET, { now: NOW }).allowed).toBe(
      true,
    );
  });

  it('answers the scope and access of a permission', () => {
    const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
    expect(policy.permission('workspace:ingest')).toMatchObject({ scope: 'workspace', access: 'write' });
    expect(policy.permission('workspace:destroy')).toBeUndefined();
    expect(policy.isAction('datasets:*')).toBe(false);
  });
});
