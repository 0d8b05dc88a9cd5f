import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/entities/actor.js';
import {
  type CreatorRights,
  defaultPermissions,
  type GrantExcess,
  type GrantShape,
  type KeyPrincipalFacts,
  type Policy,
  type Principal,
  type Resource,
} from '../../src/policy/index.js';
import { NOW, policyOf, rolesArb } from '../unit/policy/support/policy-arbitraries.js';

/**
 * Differential check of `exceedingGrant` against the evaluator: what a change gives is what a
 * key compiled from `after` is allowed and a key compiled from `before` is not; it exceeds the
 * actor exactly where `authorize` refuses the actor the same request.
 */

const RUNS = { numRuns: 1000 };
const SELECTABLE = ['d1', 'd2', 'd3'];
/** Never selected by anyone: stands for "every other dataset of the workspace" ('*'). */
const UNLISTED = 'd9';
const ROLE_NAMES = ['r1', 'r2', 'r3', 'owner', 'ghost'];
const PATTERNS = [
  '*',
  '*:read',
  '*:list',
  '*:manage',
  'datasets:*',
  'datasets:read',
  'datasets:write',
  'workspace:*',
  'api_keys:manage',
  'tenant.workspaces:list',
  'x:y',
];

const subset = <T>(values: readonly T[], minLength = 0) => fc.subarray([...values], { minLength });

const shapeArb: fc.Arbitrary<GrantShape> = fc.record({
  roles: subset(ROLE_NAMES, 1),
  readOnly: fc.boolean(),
  /** Mostly selected, so that dataset grants are often compared. */
  datasetAccess: fc.oneof(fc.constant({ mode: 'all' as const }), {
    arbitrary: subset(SELECTABLE).map((datasetIds) => ({ mode: 'selected' as const, datasetIds })),
    weight: 2,
  }),
  scopes: fc.oneof(fc.constant(undefined), fc.constant(null), subset(PATTERNS)),
});

/** A user of the account's tenant who reaches its workspace (w1). */
const userArb: fc.Arbitrary<UserActor> = fc
  .tuple(subset(PATTERNS), fc.constantFrom<string[] | undefined>(undefined, ['w1'], ['w1', 'w2']))
  .map(([permissions, workspaceIds]) => ({
    type: 'user',
    id: 'u1',
    tenantId: 't1',
    permissions,
    ...(workspaceIds === undefined ? {} : { workspaceIds }),
  }));

/** A creator of an acting key: active, in the tenant; a user (maybe confined elsewhere) or a key. */
type CreatorSpec = { user: UserActor } | { key: GrantShape; creator: UserActor | null } | null;
const creatorArb: fc.Arbitrary<CreatorSpec> = fc.oneof(
  fc.constant(null),
  fc
    .tuple(userArb, fc.boolean())
    .map(([user, elsewhere]) => ({ user: elsewhere ? { ...user, workspaceIds: ['w2'] } : user })),
  fc.record({ key: shapeArb, creator: fc.option(userArb, { nil: null }) }),
);

type ActorSpec = { user: UserActor } | { key: GrantShape; creator: CreatorSpec } | 'foreign';
const actorArb: fc.Arbitrary<ActorSpec> = fc.oneof(
  userArb.map((user) => ({ user })),
  { arbitrary: fc.record({ key: shapeArb, creator: creatorArb }), weight: 2 },
  fc.constant('foreign' as const),
);

let keyCounter = 0;

/** An active, unexpiring key of t1/w1 with `shape`'s rights. */
function compileShape(policy: Policy, shape: GrantShape, creator: CreatorRights | null) {
  keyCounter += 1;
  const facts: KeyPrincipalFacts = {
    tenantId: 't1',
    workspaceId: 'w1',
    serviceAccountId: 'sa_0000000000000001',
    keyId: keyCounter.toString().padStart(16, '0'),
    environment: 'live',
    roles: shape.roles,
    scopes: shape.scopes ?? null,
    readOnly: shape.readOnly,
    datasetAccess: shape.datasetAccess,
    accountStatus: 'active',
    keyStatus: 'active',
    expiresAt: null,
    creator,
  };
  return policy.compileKey(facts);
}

function creatorRights(policy: Policy, spec: CreatorSpec): CreatorRights | null {
  if (spec === null) return null;
  if ('user' in spec) return { type: 'user', active: true, actor: spec.user };
  const creator =
    spec.creator === null ? null : ({ type: 'user', active: true, actor: spec.creator } as const);
  return { type: 'key', principal: compileShape(policy, spec.key, creator) };
}

function compileActor(policy: Policy, spec: ActorSpec): Principal {
  if (spec === 'foreign') return {} as Principal;
  if ('user' in spec) return policy.compileUser(spec.user);
  return compileShape(policy, spec.key, creatorRights(policy, spec.creator));
}

function resourcesOf(policy: Policy, action: string): Resource[] {
  const scope = policy.permission(action)!.scope;
  if (scope === 'tenant') return [{ tenantId: 't1' }];
  if (scope === 'workspace') return [{ tenantId: 't1', workspaceId: 'w1' }];
  return [...SELECTABLE, UNLISTED].map((datasetId) => ({ tenantId: 't1', workspaceId: 'w1', datasetId }));
}

/** The requests a key from `after` may make, a key from `before` may not, and the actor may not. */
function witnesses(
  policy: Policy,
  actor: Principal,
  before: GrantShape | null,
  after: GrantShape,
): GrantExcess {
  const allowed = (p: Principal, action: string, r: Resource) =>
    policy.authorize(p, action, r, { now: NOW }).allowed;
  const afterKey = compileShape(policy, after, null);
  const beforeKey = before === null ? null : compileShape(policy, before, null);
  const held = new Set(policy.grantedPermissions(actor));
  const permissions: string[] = [];
  const datasets = new Set<string>();
  for (const { name } of defaultPermissions.permissions) {
    const lacking = resourcesOf(policy, name).filter(
      (r) =>
        allowed(afterKey, name, r) &&
        !(beforeKey !== null && allowed(beforeKey, name, r)) &&
        !allowed(actor, name, r),
    );
    if (lacking.length === 0) continue;
    permissions.push(name);
    if (!held.has(name)) continue;
    const ids = lacking.map((r) => r.datasetId!);
    for (const id of ids.includes(UNLISTED) ? ['*'] : ids) datasets.add(id);
  }
  return { permissions: permissions.sort(), datasets: [...datasets].sort() };
}

describe('exceedingGrant against the evaluator', () => {
  it('reports exactly the requests the change newly allows and the actor is refused', () => {
    fc.assert(
      fc.property(
        rolesArb,
        actorArb,
        fc.option(shapeArb, { nil: null }),
        shapeArb,
        (roles, actorSpec, before, after) => {
          const policy = policyOf(roles, []);
          const actor = compileActor(policy, actorSpec);
          const excess = policy.exceedingGrant(actor, { before, after });
          const expected = witnesses(policy, actor, before, after);
          expect({ ...excess }).toEqual(expected);
          // The two directions the write check promises, spelled out:
          const empty = excess.permissions.length === 0 && excess.datasets.length === 0;
          expect(empty).toBe(expected.permissions.length === 0);
        },
      ),
      RUNS,
    );
  });

  it('a change to the same shape, or to a narrower one, gives nothing', () => {
    fc.assert(
      fc.property(rolesArb, shapeArb, fc.boolean(), (roles, before, narrower) => {
        const policy = policyOf(roles, []);
        const after = narrower ? { ...before, readOnly: true, roles: before.roles.slice(1) } : { ...before };
        expect(policy.exceedingGrant({} as Principal, { before, after })).toEqual({
          permissions: [],
          datasets: [],
        });
      }),
      RUNS,
    );
  });
});
