import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionArb,
  compileRef,
  keyArb,
  NOW,
  policyOf,
  refWorld,
  resourceArb,
  rolesArb,
  rulesArb,
  userArb,
} from '../unit/policy/support/policy-arbitraries.js';
import { referenceKey, referenceUser } from '../unit/policy/support/reference-evaluator.js';

const answer = (d: { reason: string; determining: readonly { id: string }[] }) => ({
  reason: d.reason,
  id: d.determining[0]?.id,
});

describe('the compiled evaluator agrees with a naive reading of section 5', () => {
  it('for keys, on every reason and determining id', () => {
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        keyArb,
        actionArb,
        resourceArb,
        (roles, rules, key, action, resource) => {
          const policy = policyOf(roles, rules);
          const decision = policy.authorize(compileRef(policy, key), action, resource, { now: NOW });
          expect(answer(decision)).toEqual(referenceKey(refWorld(roles, rules), key, action, resource, NOW));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('for users, on every reason and determining id', () => {
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        userArb,
        actionArb,
        resourceArb,
        (roles, rules, user, action, resource) => {
          const policy = policyOf(roles, rules);
          const decision = policy.authorize(policy.compileUser(user), action, resource, { now: NOW });
          expect(answer(decision)).toEqual(referenceUser(refWorld(roles, rules), user, action, resource));
        },
      ),
      { numRuns: 500 },
    );
  });
});
