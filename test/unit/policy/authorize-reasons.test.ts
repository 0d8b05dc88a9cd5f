import { describe, expect, it } from 'vitest';
import {
  createPolicy,
  type Decision,
  defaultPermissions,
  defaultRoles,
  type Principal,
  REASON_CODES,
  type ReasonCode,
  type Resource,
} from '../../../src/policy/index.js';
import {
  ADMIN_USER,
  ANALYST_USER,
  DATASET,
  keyFacts,
  NOW,
  policy,
  TENANT,
  userCreator,
  WORKSPACE,
} from './support/policy-fixture.js';

interface Case {
  readonly name: string;
  readonly principal: () => Principal;
  readonly action: string;
  readonly resource: unknown;
  readonly now?: unknown;
  readonly reason: ReasonCode;
  readonly layer: number;
  readonly id: string;
}

const key =
  (overrides: Parameters<typeof keyFacts>[0] = {}) =>
  () =>
    policy.compileKey(keyFacts(overrides));
const user =
  (actor = ADMIN_USER) =>
  () =>
    policy.compileUser(actor);
const selected = { mode: 'selected', datasetIds: ['d1', 'frozen'] } as const;
const revokedCreatorKey = () =>
  policy.compileKey(keyFacts({ keyId: 'k000000000000009', keyStatus: 'revoked' }));
const other = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });

const CASES: readonly Case[] = [
  {
    name: 'an admin key reads a dataset of its workspace',
    principal: key(),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'allowed',
    layer: 7,
    id: 'admin',
  },
  {
    name: 'an analyst key lists the workspaces of its tenant',
    principal: key({ roles: ['analyst'] }),
    action: 'tenant.workspaces:list',
    resource: TENANT,
    reason: 'allowed',
    layer: 7,
    id: 'analyst',
  },
  {
    name: 'a user with permissions manages service accounts',
    principal: user(),
    action: 'service_accounts:manage',
    resource: WORKSPACE,
    reason: 'allowed',
    layer: 7,
    id: 'user_permissions',
  },
  {
    name: 'an action outside the catalog is an invalid request',
    principal: key(),
    action: 'datasets:destroy',
    resource: DATASET,
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a wildcard is never a request',
    principal: key(),
    action: 'datasets:*',
    resource: DATASET,
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a dataset action without a datasetId is an invalid request',
    principal: key(),
    action: 'datasets:read',
    resource: WORKSPACE,
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a workspace action without a workspaceId is an invalid request',
    principal: key(),
    action: 'workspace:read',
    resource: TENANT,
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a datasetId without its workspaceId is an invalid request',
    principal: key(),
    action: 'tenant.workspaces:list',
    resource: { tenantId: 't1', datasetId: 'd1' },
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a resource that is not an object is an invalid request',
    principal: key(),
    action: 'datasets:read',
    resource: 't1/w1/d1',
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'an empty tenantId is an invalid request',
    principal: key(),
    action: 'tenant.workspaces:list',
    resource: { tenantId: '' },
    reason: 'invalid_request',
    layer: 0,
    id: 'request',
  },
  {
    name: 'a revoked key is denied',
    principal: key({ keyStatus: 'revoked' }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'key_revoked',
    layer: 1,
    id: 'key_status',
  },
  {
    name: 'a disabled key is denied',
    principal: key({ keyStatus: 'disabled' }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'key_disabled',
    layer: 1,
    id: 'key_status',
  },
  {
    name: 'a key is expired at its expiresAt instant',
    principal: key({ expiresAt: NOW }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'key_expired',
    layer: 1,
    id: 'key_expiry',
  },
  {
    name: 'a key before its notBefore instant is not yet valid',
    principal: key({ notBefore: NOW + 1 }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'key_not_yet_valid',
    layer: 1,
    id: 'key_not_before',
  },
  {
    name: 'a key of a disabled account is denied',
    principal: key({ accountStatus: 'disabled' }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'account_disabled',
    layer: 1,
    id: 'account_status',
  },
  {
    name: 'a key of a deleted account is denied',
    principal: key({ accountStatus: 'deleted' }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'account_deleted',
    layer: 1,
    id: 'account_status',
  },
  {
    name: 'a key whose human creator is inactive is denied',
    principal: key({ creator: userCreator(ADMIN_USER, false) }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'creator_inactive',
    layer: 1,
    id: 'creator_status',
  },
  {
    name: 'a key whose creator key was revoked is denied',
    principal: key({ creator: { type: 'key', principal: revokedCreatorKey() } }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'creator_inactive',
    layer: 1,
    id: 'creator_status',
  },
  {
    name: 'a key cannot reach another tenant',
    principal: key(),
    action: 'datasets:read',
    resource: { ...DATASET, tenantId: 't2' },
    reason: 'cross_tenant',
    layer: 2,
    id: 'tenant',
  },
  {
    name: 'a user cannot reach another tenant',
    principal: user(),
    action: 'workspace:read',
    resource: { tenantId: 't2', workspaceId: 'w1' },
    reason: 'cross_tenant',
    layer: 2,
    id: 'tenant',
  },
  {
    name: 'a key cannot reach a dataset of another workspace',
    principal: key(),
    action: 'datasets:read',
    resource: { ...DATASET, workspaceId: 'w2' },
    reason: 'outside_workspace_binding',
    layer: 3,
    id: 'workspace_binding',
  },
  {
    name: 'a tenant-level action naming another workspace is outside the binding',
    principal: key(),
    action: 'tenant.users.roles:read',
    resource: { tenantId: 't1', workspaceId: 'w2' },
    reason: 'outside_workspace_binding',
    layer: 3,
    id: 'workspace_binding',
  },
  {
    name: 'a user confined to workspaces cannot reach another one',
    principal: user({ ...ADMIN_USER, workspaceIds: ['w1'] }),
    action: 'workspace:read',
    resource: { tenantId: 't1', workspaceId: 'w2' },
    reason: 'outside_workspace_binding',
    layer: 3,
    id: 'workspace_binding',
  },
  {
    name: 'a dataset-scoped account cannot call a workspace action',
    principal: key({ datasetAccess: selected }),
    action: 'workspace:read',
    resource: WORKSPACE,
    reason: 'dataset_scoped_account',
    layer: 4,
    id: 'dataset_access',
  },
  {
    name: 'a dataset-scoped account cannot call a tenant action',
    principal: key({ datasetAccess: selected }),
    action: 'tenant.workspaces:list',
    resource: TENANT,
    reason: 'dataset_scoped_account',
    layer: 4,
    id: 'dataset_access',
  },
  {
    name: 'a dataset-scoped account cannot reach an unselected dataset',
    principal: key({ datasetAccess: selected }),
    action: 'datasets:read',
    resource: { ...DATASET, datasetId: 'd2' },
    reason: 'dataset_not_granted',
    layer: 4,
    id: 'dataset_access',
  },
  {
    name: 'a read-only account cannot write',
    principal: key({ readOnly: true }),
    action: 'datasets:write',
    resource: DATASET,
    reason: 'read_only',
    layer: 5,
    id: 'read_only',
  },
  {
    name: 'a read-only account cannot use an admin action',
    principal: key({ readOnly: true }),
    action: 'api_keys:manage',
    resource: WORKSPACE,
    reason: 'read_only',
    layer: 5,
    id: 'read_only',
  },
  {
    name: 'a forbid rule denies a test key deleting a dataset',
    principal: key({ environment: 'test' }),
    action: 'datasets:delete',
    resource: DATASET,
    reason: 'forbidden_by_rule',
    layer: 6,
    id: 'no-test-deletes',
  },
  {
    name: 'a forbid rule on a dataset id denies writes to it',
    principal: key(),
    action: 'datasets:write',
    resource: { ...DATASET, datasetId: 'frozen' },
    reason: 'forbidden_by_rule',
    layer: 6,
    id: 'frozen-dataset',
  },
  {
    name: 'the smallest matching rule id is cited',
    principal: key({ environment: 'test' }),
    action: 'datasets:delete',
    resource: { ...DATASET, datasetId: 'frozen' },
    reason: 'forbidden_by_rule',
    layer: 6,
    id: 'frozen-dataset',
  },
  {
    name: 'forbid rules apply to users too',
    principal: user(),
    action: 'datasets:write',
    resource: { ...DATASET, datasetId: 'frozen' },
    reason: 'forbidden_by_rule',
    layer: 6,
    id: 'frozen-dataset',
  },
  {
    name: 'a viewer key is not granted a write',
    principal: key({ roles: ['viewer'] }),
    action: 'datasets:write',
    resource: DATASET,
    reason: 'not_granted',
    layer: 7,
    id: 'roles',
  },
  {
    name: 'an analyst key is not granted an admin action',
    principal: key({ roles: ['analyst'] }),
    action: 'datasets:delete',
    resource: DATASET,
    reason: 'not_granted',
    layer: 7,
    id: 'roles',
  },
  {
    name: "a key's scopes exclude what its roles grant",
    principal: key({ scopes: ['datasets:read'] }),
    action: 'datasets:write',
    resource: DATASET,
    reason: 'not_granted',
    layer: 7,
    id: 'key_scopes',
  },
  {
    name: 'a user lacking the permission is not granted',
    principal: user(ANALYST_USER),
    action: 'api_keys:manage',
    resource: WORKSPACE,
    reason: 'not_granted',
    layer: 7,
    id: 'user_permissions',
  },
  {
    name: 'the owner role grants nothing to a service account',
    principal: key({ roles: ['owner'] }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'not_granted',
    layer: 7,
    id: 'roles',
  },
  {
    name: 'an unknown role grants nothing',
    principal: key({ roles: ['superuser'] }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'not_granted',
    layer: 7,
    id: 'roles',
  },
  {
    name: "a key exceeding its creator's rights is denied",
    principal: key({ creator: userCreator(ANALYST_USER) }),
    action: 'datasets:delete',
    resource: DATASET,
    reason: 'exceeds_creator_rights',
    layer: 8,
    id: 'creator_rights',
  },
  {
    name: 'a creator confined to other workspaces bounds the key',
    principal: key({ creator: userCreator({ ...ADMIN_USER, workspaceIds: ['w2'] }) }),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'exceeds_creator_rights',
    layer: 8,
    id: 'creator_rights',
  },
  {
    name: 'a principal of another policy fails closed',
    principal: () => other.compileKey(keyFacts()),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'evaluation_error',
    layer: 0,
    id: 'evaluation',
  },
  {
    name: 'an uncompiled principal fails closed',
    principal: () => ({ type: 'key', keyId: 'k' }) as unknown as Principal,
    action: 'datasets:read',
    resource: DATASET,
    reason: 'evaluation_error',
    layer: 0,
    id: 'evaluation',
  },
  {
    name: 'malformed key facts fail closed',
    principal: () => policy.compileKey({ ...keyFacts(), roles: 'admin' } as never),
    action: 'datasets:read',
    resource: DATASET,
    reason: 'evaluation_error',
    layer: 0,
    id: 'evaluation',
  },
  {
    name: 'a missing clock fails closed',
    principal: key(),
    action: 'datasets:read',
    resource: DATASET,
    now: undefined,
    reason: 'evaluation_error',
    layer: 0,
    id: 'evaluation',
  },
];

function decide(c: Case): Decision {
  const now = 'now' in c ? c.now : NOW;
  return policy.authorize(c.principal(), c.action, c.resource as Resource, { now } as { now: number });
}

describe('authorize: every layer of section 5', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const decision = decide(c);
    expect(decision.reason).toBe(c.reason);
    expect(decision.allowed).toBe(c.reason === 'allowed');
    expect(decision.determining).toEqual([
      { layer: c.layer, id: c.id, effect: c.reason === 'allowed' ? 'allow' : 'deny' },
    ]);
    expect(decision.required).toBe(c.action);
  });

  it('reaches every reason code with at least one case', () => {
    const reached = new Set(CASES.map((c) => decide(c).reason));
    expect([...reached].sort()).toEqual(Object.values(REASON_CODES).sort());
  });

  it('classifies guards and rules as explicit, missing grants as implicit, and failures as errors', () => {
    const kinds = Object.fromEntries(CASES.map((c) => [c.reason, decide(c).kind]));
    expect(kinds).toMatchObject({
      allowed: 'allow',
      key_revoked: 'explicit_deny',
      key_disabled: 'explicit_deny',
      cross_tenant: 'explicit_deny',
      read_only: 'explicit_deny',
      forbidden_by_rule: 'explicit_deny',
      dataset_scoped_account: 'explicit_deny',
      dataset_not_granted: 'implicit_deny',
      not_granted: 'implicit_deny',
      exceeds_creator_rights: 'implicit_deny',
      invalid_request: 'error',
      evaluation_error: 'error',
    });
  });
});

describe('authorize: earlier layers decide first', () => {
  const now = { now: NOW };
  it('reports a revoked key before a cross-tenant resource', () => {
    const revoked = policy.compileKey(keyFacts({ keyStatus: 'revoked' }));
    expect(policy.authorize(revoked, 'datasets:read', { ...DATASET, tenantId: 't2' }, now).reason).toBe(
      'key_revoked',
    );
  });

  it('reports the workspace binding before dataset selection', () => {
    const scoped = policy.compileKey(keyFacts({ datasetAccess: { mode: 'selected', datasetIds: ['d1'] } }));
    expect(
      policy.authorize(scoped, 'datasets:read', { ...DATASET, workspaceId: 'w2', datasetId: 'zz' }, now)
        .reason,
    ).toBe('outside_workspace_binding');
  });

  it('reports read-only before a forbid rule and a forbid rule before a missing grant', () => {
    const readOnlyTest = policy.compileKey(
      keyFacts({ readOnly: true, environment: 'test', roles: ['viewer'] }),
    );
    expect(policy.authorize(readOnlyTest, 'datasets:delete', DATASET, now).reason).toBe('read_only');
    const testViewer = policy.compileKey(keyFacts({ environment: 'test', roles: ['viewer'] }));
    expect(policy.authorize(testViewer, 'datasets:delete', DATASET, now).reason).toBe('forbidden_by_rule');
  });

  it('reports a disabled key before its expiry', () => {
    const disabled = policy.compileKey(keyFacts({ keyStatus: 'disabled', expiresAt: NOW }));
    expect(policy.authorize(disabled, 'datasets:read', DATASET, now).reason).toBe('key_disabled');
  });

  it('reports an account status before the key status', () => {
    const both = policy.compileKey(keyFacts({ accountStatus: 'disabled', keyStatus: 'revoked' }));
    expect(policy.authorize(both, 'datasets:read', DATASET, now).reason).toBe('account_disabled');
  });

  it('accepts a key from its notBefore instant until just before its expiry', () => {
    const window = policy.compileKey(keyFacts({ notBefore: NOW, expiresAt: NOW + 1 }));
    expect(policy.authorize(window, 'datasets:read', DATASET, now).allowed).toBe(true);
    expect(policy.authorize(window, 'datasets:read', DATASET, { now: NOW + 1 }).reason).toBe('key_expired');
  });
});
