import { describe, expect, it } from 'vitest';
import { createPolicy, definePermissions, defineRoles } from '../../../src/policy/index.js';
import { NOW } from './support/policy-fixture.js';

/** A catalog with sub-resources, to pin down what a wildcard reaches. */
const permissions = definePermissions({
  'datasets:read': { scope: 'dataset', access: 'read' },
  'datasets:write': { scope: 'dataset', access: 'write' },
  'datasets.x:read': { scope: 'dataset', access: 'read' },
  'datasets.x.y:purge': { scope: 'dataset', access: 'admin' },
  'workspace:read': { scope: 'workspace', access: 'read' },
  'workspace.schemas:read': { scope: 'workspace', access: 'read' },
  'tenant.users.roles:read': { scope: 'tenant', access: 'read' },
});
const roles = defineRoles(permissions, {
  all: { grants: ['*'] },
  allall: { grants: ['*:*'] },
  readers: { grants: ['*:read'] },
  datasets: { grants: ['datasets:*'] },
  workspace: { grants: ['workspace:*'] },
  subx: { grants: ['datasets.x:*'] },
});
const policy = createPolicy({ permissions, roles });

describe('grant wildcards cover whole segments only', () => {
  const expand = (pattern: string) => policy.expand([pattern]);

  it('`*` and `*:*` grant every permission', () => {
    expect(expand('*')).toEqual(permissions.permissions.map((p) => p.name));
    expect(expand('*:*')).toEqual(expand('*'));
  });

  it('`*:read` grants the read verb of every resource, nested ones included, and nothing else', () => {
    expect(expand('*:read')).toEqual([
      'datasets.x:read',
      'datasets:read',
      'tenant.users.roles:read',
      'workspace.schemas:read',
      'workspace:read',
    ]);
    expect(expand('*:read')).not.toContain('datasets:write');
  });

  it('`datasets:*` grants every verb of exactly `datasets`, not of `datasets.x`', () => {
    expect(expand('datasets:*')).toEqual(['datasets:read', 'datasets:write']);
  });

  it('`workspace:*` does not reach `workspace.schemas:read`', () => {
    expect(expand('workspace:*')).toEqual(['workspace:read']);
  });

  it('`datasets.x:*` does not reach the deeper `datasets.x.y:purge`', () => {
    expect(expand('datasets.x:*')).toEqual(['datasets.x:read']);
  });

  it.each([
    'data*',
    'datasets*',
    'datasets.*:read',
    '*.x:read',
    'datasets:re*',
    '**',
    '*:',
    ':read',
    'datasets:',
    'datasets:read:x',
    'Datasets:read',
    'datasets :read',
    '',
  ])('refuses the malformed pattern %j', (pattern) => {
    expect(policy.unknownPatterns([pattern])).toEqual([pattern]);
    expect(() => defineRoles(permissions, { bad: { grants: [pattern as 'datasets:read'] } })).toThrow(
      /whole-segment/,
    );
  });

  it.each(['nothing:*', '*:frobnicate', 'datasets:frobnicate', 'datasets.z:read'])(
    'refuses %j, which matches no permission of the catalog',
    (pattern) => {
      expect(policy.unknownPatterns([pattern])).toEqual([pattern]);
      expect(() => defineRoles(permissions, { bad: { grants: [pattern as 'datasets:read'] } })).toThrow(
        /matches no permission/,
      );
    },
  );
});

describe('wildcards in role grants at request time', () => {
  const key = (role: string, scopes: string[] | null = null) =>
    policy.compileKey({
      tenantId: 't1',
      workspaceId: 'w1',
      serviceAccountId: 'sa_0000000000000001',
      keyId: 'k000000000000001',
      environment: 'live',
      roles: [role],
      scopes,
      readOnly: false,
      datasetAccess: { mode: 'all' },
      accountStatus: 'active',
      keyStatus: 'active',
      expiresAt: null,
      creator: null,
    });
  const dataset = { tenantId: 't1', workspaceId: 'w1', datasetId: 'd1' };
  const opts = { now: NOW };

  it('a `*:read` role does not grant `datasets:write`', () => {
    expect(policy.authorize(key('readers'), 'datasets:write', dataset, opts).reason).toBe('not_granted');
    expect(policy.authorize(key('readers'), 'datasets.x:read', dataset, opts).allowed).toBe(true);
  });

  it('a `datasets:*` role does not grant `datasets.x:read`', () => {
    expect(policy.authorize(key('datasets'), 'datasets:write', dataset, opts).allowed).toBe(true);
    expect(policy.authorize(key('datasets'), 'datasets.x:read', dataset, opts).reason).toBe('not_granted');
  });

  it('a wildcard scope narrows a wildcard role to their intersection', () => {
    const scoped = key('all', ['*:read']);
    expect(policy.authorize(scoped, 'datasets.x:read', dataset, opts).allowed).toBe(true);
    const denied = policy.authorize(scoped, 'datasets.x.y:purge', dataset, opts);
    expect(denied.reason).toBe('not_granted');
    expect(denied.determining[0]?.id).toBe('key_scopes');
  });

  it('a request for a wildcard is an invalid request, even for a `*` role', () => {
    expect(policy.authorize(key('all'), '*' as 'datasets:read', dataset, opts).reason).toBe(
      'invalid_request',
    );
    expect(policy.authorize(key('all'), '*:read' as 'datasets:read', dataset, opts).reason).toBe(
      'invalid_request',
    );
  });
});
