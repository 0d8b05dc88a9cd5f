import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/entities/actor.js';
import type { Resource } from '../../src/policy/index.js';
import {
  actionArb,
  compileRef,
  keyArb,
  NOW,
  policyOf,
  resourceArb,
  rolesArb,
  ruleArb,
  rulesArb,
  userArb,
} from '../unit/policy/support/policy-arbitraries.js';
import type { RefKey, RefRole } from '../unit/policy/support/reference-evaluator.js';

const RUNS = { numRuns: 700 };
const without = <T>(values: readonly T[], index: number) =>
  values.filter((_, i) => i !== index % values.length);

function allowed(
  roles: Record<string, RefRole>,
  rules: Parameters<typeof policyOf>[1],
  key: RefKey,
  action: string,
  resource: Resource,
) {
  const policy = policyOf(roles, rules);
  return policy.authorize(compileRef(policy, key), action, resource, { now: NOW }).allowed;
}

function userAllowed(
  rules: Parameters<typeof policyOf>[1],
  user: UserActor,
  action: string,
  resource: Resource,
) {
  const policy = policyOf({}, rules);
  return policy.authorize(policy.compileUser(user), action, resource, { now: NOW }).allowed;
}

/** One way of taking a grant away, chosen by the property. */
type Removal = 'role-grant' | 'account-role' | 'scope' | 'creator-permission' | 'dataset';

function removeGrant(roles: Record<string, RefRole>, key: RefKey, removal: Removal, i: number) {
  switch (removal) {
    case 'role-grant': {
      const name = (['r1', 'r2', 'r3'] as const)[i % 3]!;
      const role = roles[name]!;
      if (role.grants.length === 0) return null;
      return { roles: { ...roles, [name]: { ...role, grants: without(role.grants, i) } }, key };
    }
    case 'account-role':
      return key.roles.length < 2 ? null : { roles, key: { ...key, roles: without(key.roles, i) } };
    case 'scope':
      return key.scopes === null || key.scopes.length === 0
        ? null
        : { roles, key: { ...key, scopes: without(key.scopes, i) } };
    case 'creator-permission': {
      const c = key.creator;
      if (c?.type !== 'user' || c.actor.permissions.length === 0) return null;
      return {
        roles,
        key: {
          ...key,
          creator: { ...c, actor: { ...c.actor, permissions: without(c.actor.permissions, i) } },
        },
      };
    }
    case 'dataset': {
      const access = key.datasetAccess;
      if (access.mode !== 'selected' || access.datasetIds.length < 2) return null;
      return {
        roles,
        key: {
          ...key,
          datasetAccess: { mode: 'selected' as const, datasetIds: without(access.datasetIds, i) },
        },
      };
    }
  }
}

describe('deny is monotonic', () => {
  it('adding a forbid rule never turns a deny into an allow', () => {
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        ruleArb,
        keyArb,
        actionArb,
        resourceArb,
        (roles, rules, extra, key, action, resource) => {
          const more = [...rules.filter((rule) => rule.id !== extra.id), extra];
          const base = rules.filter((rule) => rule.id !== extra.id);
          if (allowed(roles, more, key, action, resource))
            expect(allowed(roles, base, key, action, resource)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('adding a forbid rule never turns a deny into an allow for users', () => {
    fc.assert(
      fc.property(
        rulesArb,
        ruleArb,
        userArb,
        actionArb,
        resourceArb,
        (rules, extra, user, action, resource) => {
          const base = rules.filter((rule) => rule.id !== extra.id);
          if (userAllowed([...base, extra], user, action, resource))
            expect(userAllowed(base, user, action, resource)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('removing a grant never turns a deny into an allow', () => {
    const removalArb = fc.constantFrom<Removal>(
      'role-grant',
      'account-role',
      'scope',
      'creator-permission',
      'dataset',
    );
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        keyArb,
        actionArb,
        resourceArb,
        removalArb,
        fc.nat(),
        (roles, rules, key, action, resource, removal, i) => {
          const after = removeGrant(roles, key, removal, i);
          fc.pre(after !== null);
          if (allowed(after!.roles, rules, after!.key, action, resource)) {
            expect(allowed(roles, rules, key, action, resource)).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it("removing a user's permission never turns a deny into an allow", () => {
    fc.assert(
      fc.property(rulesArb, userArb, actionArb, resourceArb, fc.nat(), (rules, user, action, resource, i) => {
        fc.pre(user.permissions.length > 0);
        const fewer = { ...user, permissions: without(user.permissions, i) };
        if (userAllowed(rules, fewer, action, resource))
          expect(userAllowed(rules, user, action, resource)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('order never changes the answer', () => {
  it('shuffling forbid rules, account roles and key scopes gives the identical decision', () => {
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        keyArb,
        actionArb,
        resourceArb,
        fc.nat(),
        (roles, rules, key, action, resource, seed) => {
          const rotate = <T>(values: readonly T[]) =>
            values.map((_, i) => values[(i + seed) % values.length]!).reverse();
          const policy = policyOf(roles, rules);
          const shuffledPolicy = policyOf(roles, rotate(rules));
          const shuffledKey = {
            ...key,
            roles: rotate(key.roles),
            scopes: key.scopes === null ? null : rotate(key.scopes),
          };
          const a = policy.authorize(compileRef(policy, key), action, resource, { now: NOW });
          const b = shuffledPolicy.authorize(compileRef(shuffledPolicy, shuffledKey), action, resource, {
            now: NOW,
          });
          expect(b).toEqual(a);
        },
      ),
      RUNS,
    );
  });
});
