/** fast-check arbitraries over small id pools, so that random requests often hit the principals. */
import fc from 'fast-check';
import type { UserActor } from '../../../../src/entities/actor.js';
import {
  type CreatorRights,
  createPolicy,
  defaultPermissions,
  type ForbidRule,
  type KeyPrincipal,
  type Policy,
  type Resource,
} from '../../../../src/policy/index.js';
import type { RefCreator, RefKey, RefRole, RefWorld } from './reference-evaluator.js';

export const NOW = 1_700_000_000_000;
const TENANTS = ['t1', 't2'];
/** Weighted towards t1/w1 and active principals, so that most cases reach the later layers. */
const often = <T>(common: T, ...rare: T[]) => fc.constantFrom(common, common, common, common, ...rare);
const WORKSPACES = ['w1', 'w2'];
const DATASETS = ['d1', 'd2', 'd3'];
const ROLE_NAMES = ['r1', 'r2', 'r3', 'owner', 'ghost'];
/** Valid grant patterns over the default catalog. */
const VALID_PATTERNS = [
  '*',
  '*:read',
  '*:list',
  '*:manage',
  'datasets:*',
  'datasets:read',
  'datasets:write',
  'datasets:delete',
  'workspace:*',
  'workspace:ingest',
  'api_keys:manage',
  'tenant.workspaces:list',
];
/** Scopes may be anything stored: also unknown or malformed patterns. */
const ANY_PATTERNS = [...VALID_PATTERNS, 'x:y', 'data*'];
const ACTIONS = [...defaultPermissions.permissions.map((p) => p.name), 'datasets:destroy', '*'];

const subset = <T>(values: readonly T[], min = 0) => fc.subarray([...values], { minLength: min });
const times = often<number | null>(null, NOW - 1, NOW, NOW + 1);

export const userArb: fc.Arbitrary<UserActor> = fc.record(
  {
    type: fc.constant('user' as const),
    id: fc.constant('u1'),
    tenantId: often('t1', 't2'),
    permissions: subset(ANY_PATTERNS),
    workspaceIds: subset(WORKSPACES),
  },
  { requiredKeys: ['type', 'id', 'tenantId', 'permissions'] },
);

const keyBase = {
  tenantId: often('t1', 't2'),
  workspaceId: often('w1', 'w2'),
  environment: fc.constantFrom('live' as const, 'test' as const),
  roles: subset(ROLE_NAMES, 1),
  scopes: fc.option(subset(ANY_PATTERNS), { nil: null }),
  readOnly: fc.boolean(),
  datasetAccess: fc.oneof(
    fc.constant({ mode: 'all' as const }),
    subset(DATASETS, 1).map((datasetIds) => ({ mode: 'selected' as const, datasetIds })),
  ),
  accountStatus: often<'active' | 'disabled' | 'deleted'>('active', 'disabled', 'deleted'),
  keyStatus: often<'active' | 'revoked' | 'disabled'>('active', 'revoked', 'disabled'),
  expiresAt: times,
  notBefore: often<number | null | undefined>(undefined, null, NOW, NOW + 1),
};

const userCreatorArb: fc.Arbitrary<RefCreator> = fc.record({
  type: fc.constant('user' as const),
  active: often(true, false),
  actor: userArb,
});

const leafKeyArb: fc.Arbitrary<RefKey> = fc.record({
  ...keyBase,
  creator: fc.option(userCreatorArb, { nil: null }),
});

/** A key whose creator is nobody, a user, or a key (itself created by nobody or a user). */
export const keyArb: fc.Arbitrary<RefKey> = fc.record({
  ...keyBase,
  creator: fc.oneof(
    fc.constant(null),
    userCreatorArb,
    leafKeyArb.map((facts): RefCreator => ({ type: 'key', facts })),
  ),
});

export const resourceArb: fc.Arbitrary<Resource> = fc.record(
  {
    tenantId: often('t1', 't2'),
    workspaceId: often('w1', 'w2'),
    datasetId: fc.constantFrom(...DATASETS),
  },
  { requiredKeys: ['tenantId'] },
);

export const actionArb = fc.constantFrom(...ACTIONS);

export const ruleArb: fc.Arbitrary<ForbidRule> = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    actions: subset(VALID_PATTERNS, 1),
    tenantIds: subset(TENANTS, 1),
    workspaceIds: subset(WORKSPACES, 1),
    datasetIds: subset(DATASETS, 1),
    environments: subset(['live', 'test'] as const, 1),
    principalTypes: subset(['user', 'key'] as const, 1),
  },
  { requiredKeys: ['id', 'actions'] },
);

export const rulesArb = fc.uniqueArray(ruleArb, { selector: (rule) => rule.id, maxLength: 3 });

export const rolesArb: fc.Arbitrary<Record<string, RefRole>> = fc.record({
  r1: fc.record({ grants: subset(VALID_PATTERNS), assignableToServiceAccounts: fc.constant(true) }),
  r2: fc.record({ grants: subset(VALID_PATTERNS), assignableToServiceAccounts: fc.constant(true) }),
  r3: fc.record({ grants: subset(VALID_PATTERNS), assignableToServiceAccounts: fc.boolean() }),
  owner: fc.constant({ grants: ['*'], assignableToServiceAccounts: false }),
});

/** The world as the reference evaluator sees it. */
export function refWorld(roles: Record<string, RefRole>, rules: readonly ForbidRule[]): RefWorld {
  return { permissions: defaultPermissions.permissions, roles, rules };
}

/** The same world as a compiled policy. */
export function policyOf(roles: Record<string, RefRole>, rules: readonly ForbidRule[]): Policy {
  return createPolicy({ permissions: defaultPermissions, roles, forbid: rules });
}

let keyCounter = 0;

/** Compiles a reference key (and its creator chain) for `policy`. */
export function compileRef(policy: Policy, key: RefKey): KeyPrincipal {
  keyCounter += 1;
  const id = keyCounter.toString().padStart(16, '0');
  return policy.compileKey({
    ...key,
    serviceAccountId: `sa_${id.slice(0, 16)}`,
    keyId: id,
    creator: creatorOf(policy, key.creator),
  });
}

function creatorOf(policy: Policy, creator: RefCreator | null): CreatorRights | null {
  if (creator === null || creator.type === 'user') return creator;
  return { type: 'key', principal: compileRef(policy, creator.facts) };
}
