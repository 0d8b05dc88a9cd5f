import { describe, expect, it } from 'vitest';
import {
  ADMIN_USER,
  ANALYST_USER,
  DATASET,
  keyFacts,
  NOW,
  policy,
  userCreator,
} from './support/policy-fixture.js';

const opts = { now: NOW };
const personal = (overrides = {}) =>
  keyFacts({ roles: [], scopes: ['datasets:read', 'datasets:delete'], personal: true, ...overrides });

describe('a personal key in the policy', () => {
  it("grants its scopes, not a role, within its owner's rights, and names key_scopes as the grant", () => {
    const key = policy.compileKey(personal({ creator: userCreator(ADMIN_USER) }));
    const allowed = policy.authorize(key, 'datasets:read', DATASET, opts);
    expect(allowed).toMatchObject({
      allowed: true,
      determining: [{ layer: 7, id: 'key_scopes', effect: 'allow' }],
    });
    expect(policy.authorize(key, 'datasets:write', DATASET, opts).reason).toBe('not_granted');
    const downgraded = policy.withCreator(key, userCreator(ANALYST_USER));
    expect(policy.authorize(downgraded, 'datasets:delete', DATASET, opts).reason).toBe(
      'exceeds_creator_rights',
    );
  });

  it("is refused without its owner's rights (fail closed), and without scopes", () => {
    const ownerless = policy.compileKey(personal({ creator: null }));
    expect(policy.authorize(ownerless, 'datasets:read', DATASET, opts).reason).toBe('creator_inactive');
    const again = policy.withCreator(policy.compileKey(personal({ creator: userCreator(ADMIN_USER) })), null);
    expect(policy.authorize(again, 'datasets:read', DATASET, opts).reason).toBe('creator_inactive');
    const unscoped = policy.compileKey(personal({ scopes: null, creator: userCreator(ADMIN_USER) }));
    expect(policy.authorize(unscoped, 'datasets:read', DATASET, opts).reason).toBe('evaluation_error');
  });

  it('exceedingGrant counts a personal shape as its scopes alone', () => {
    const analyst = policy.compileUser(ANALYST_USER);
    const shape = {
      roles: ['admin'],
      readOnly: false,
      datasetAccess: { mode: 'all' as const },
      personal: true,
    };
    expect(
      policy.exceedingGrant(analyst, { before: null, after: { ...shape, scopes: ['datasets:read'] } })
        .permissions,
    ).toEqual([]);
    expect(
      policy.exceedingGrant(analyst, { before: null, after: { ...shape, scopes: ['datasets:delete'] } })
        .permissions,
    ).toEqual(['datasets:delete']);
  });
});
