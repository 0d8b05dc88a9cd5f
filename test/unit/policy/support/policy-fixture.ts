import type { UserActor } from '../../../../src/entities/actor.js';
import {
  type CreatorRights,
  createPolicy,
  defaultPermissions,
  defaultRoles,
  type ForbidRule,
  type KeyPrincipalFacts,
  type Resource,
} from '../../../../src/policy/index.js';

/** A fixed clock: the policy never reads one. */
export const NOW = 1_700_000_000_000;

/** The forbid rules of the default test policy. */
export const RULES: readonly ForbidRule[] = [
  { id: 'no-test-deletes', actions: ['datasets:delete'], environments: ['test'] },
  { id: 'frozen-dataset', actions: ['datasets:write', 'datasets:delete'], datasetIds: ['frozen'] },
];

/** The default catalog and roles with {@link RULES}. */
export const policy = createPolicy({ permissions: defaultPermissions, roles: defaultRoles, forbid: RULES });

/** A user holding every permission of tenant t1. */
export const ADMIN_USER: UserActor = { type: 'user', id: 'u_admin', tenantId: 't1', permissions: ['*'] };

/** A user holding the analyst's rights of tenant t1. */
export const ANALYST_USER: UserActor = {
  type: 'user',
  id: 'u_analyst',
  tenantId: 't1',
  permissions: ['*:read', '*:list', 'datasets:write', 'workspace:ingest'],
};

/** Creator rights of an active user. */
export function userCreator(actor: UserActor, active = true): CreatorRights {
  return { type: 'user', active, actor };
}

/** Facts of an active admin key bound to t1/w1, created by {@link ADMIN_USER}; override any field. */
export function keyFacts(overrides: Partial<KeyPrincipalFacts> = {}): KeyPrincipalFacts {
  return {
    tenantId: 't1',
    workspaceId: 'w1',
    serviceAccountId: 'sa_0000000000000001',
    keyId: 'k000000000000001',
    environment: 'live',
    roles: ['admin'],
    scopes: null,
    readOnly: false,
    datasetAccess: { mode: 'all' },
    accountStatus: 'active',
    keyStatus: 'active',
    expiresAt: null,
    creator: userCreator(ADMIN_USER),
    ...overrides,
  };
}

/** Dataset d1 of t1/w1. */
export const DATASET: Resource = { tenantId: 't1', workspaceId: 'w1', datasetId: 'd1' };
/** Workspace t1/w1. */
export const WORKSPACE: Resource = { tenantId: 't1', workspaceId: 'w1' };
/** Tenant t1. */
export const TENANT: Resource = { tenantId: 't1' };
