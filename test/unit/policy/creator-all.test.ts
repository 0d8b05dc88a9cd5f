import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreatorRights, Decision, Policy } from '../../../src/policy/index.js';
import {
  actionArb,
  compileRef,
  keyArb,
  NOW,
  policyOf,
  resourceArb,
  rolesArb,
  rulesArb,
} from './support/policy-arbitraries.js';
import type { RefKey } from './support/reference-evaluator.js';

const answer = (d: Decision) => ({ reason: d.reason, id: d.determining[0]?.id });

/** A reference key's creator, compiled (a creator key carries its own chain). */
function boundOf(policy: Policy, key: RefKey): CreatorRights | null {
  const creator = key.creator;
  if (creator === null || creator.type === 'user') return creator;
  return { type: 'key', principal: compileRef(policy, creator.facts) };
}

describe("an 'all' creator decides as its bounds do together", () => {
  it('allows exactly when every bound alone allows, and otherwise denies as one of them', () => {
    fc.assert(
      fc.property(
        rolesArb,
        rulesArb,
        keyArb,
        keyArb,
        keyArb,
        actionArb,
        resourceArb,
        (roles, rules, subject, first, second, action, resource) => {
          const policy = policyOf(roles, rules);
          const a = boundOf(policy, first);
          const b = boundOf(policy, second);
          fc.pre(a !== null && b !== null);
          if (a === null || b === null) return;
          const key = compileRef(policy, { ...subject, creator: null });
          const decide = (creator: CreatorRights) =>
            policy.authorize(policy.withCreator(key, creator), action, resource, { now: NOW });
          const both = decide({ type: 'all', bounds: [a, b] });
          const onlyA = decide(a);
          const onlyB = decide(b);
          expect(both.allowed).toBe(onlyA.allowed && onlyB.allowed);
          if (onlyA.allowed) expect(answer(both)).toEqual(answer(onlyB));
          else if (onlyB.allowed) expect(answer(both)).toEqual(answer(onlyA));
          else expect([onlyA.reason, onlyB.reason]).toContain(both.reason);
          expect(answer(decide({ type: 'all', bounds: [a] }))).toEqual(answer(onlyA));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
