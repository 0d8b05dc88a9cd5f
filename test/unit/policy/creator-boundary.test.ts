import { describe, expect, it } from 'vitest';
import { createPolicy, defaultPermissions, defaultRoles } from '../../../src/policy/index.js';
import {
  ADMIN_USER,
  ANALYST_USER,
  DATASET,
  keyFacts,
  NOW,
  policy,
  userCreator,
  WORKSPACE,
} from './support/policy-fixture.js';

const opts = { now: NOW };

describe('the creator boundary (layer 8) is evaluated on every call', () => {
  it('a creator downgraded after the key was issued takes the right away at once', () => {
    const issued = policy.compileKey(keyFacts({ creator: userCreator(ADMIN_USER) }));
    expect(policy.authorize(issued, 'datasets:delete', DATASET, opts).allowed).toBe(true);
    const downgraded = policy.withCreator(issued, userCreator(ANALYST_USER));
    expect(policy.authorize(downgraded, 'datasets:delete', DATASET, opts).reason).toBe(
      'exceeds_creator_rights',
    );
    expect(policy.authorize(downgraded, 'datasets:write', DATASET, opts).allowed).toBe(true);
  });

  it('withCreator refuses a key compiled by another policy by failing closed', () => {
    const other = createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
    const foreign = policy.withCreator(other.compileKey(keyFacts()), userCreator(ADMIN_USER));
    expect(policy.authorize(foreign, 'datasets:read', DATASET, opts).reason).toBe('evaluation_error');
  });

  it('withCreator leaves the original principal untouched', () => {
    const issued = policy.compileKey(keyFacts());
    policy.withCreator(issued, userCreator(ANALYST_USER, false));
    expect(policy.authorize(issued, 'datasets:delete', DATASET, opts).allowed).toBe(true);
  });

  it('a creator that is deactivated denies every request of the key', () => {
    const key = policy.withCreator(policy.compileKey(keyFacts()), userCreator(ADMIN_USER, false));
    expect(policy.authorize(key, 'datasets:read', DATASET, opts).reason).toBe('creator_inactive');
  });

  it('an unknown creator (null) skips the boundary and says so in the trace', () => {
    const key = policy.compileKey(keyFacts({ creator: null }));
    const decision = policy.authorize(key, 'datasets:delete', DATASET, { now: NOW, explain: true });
    expect(decision.allowed).toBe(true);
    expect(decision.trace).toContainEqual(expect.objectContaining({ layer: 8, outcome: 'skip' }));
  });

  it('the boundary never grants: an admin creator does not widen a viewer key', () => {
    const viewer = policy.compileKey(keyFacts({ roles: ['viewer'], creator: userCreator(ADMIN_USER) }));
    expect(policy.authorize(viewer, 'datasets:write', DATASET, opts).reason).toBe('not_granted');
  });

  it('a user creator moved to another tenant no longer covers the key', () => {
    const key = policy.compileKey(keyFacts({ creator: userCreator({ ...ADMIN_USER, tenantId: 't2' }) }));
    expect(policy.authorize(key, 'datasets:read', DATASET, opts).reason).toBe('exceeds_creator_rights');
  });
});

describe('a key created by another key', () => {
  const creatorFacts = keyFacts({ keyId: 'kcreator00000001', serviceAccountId: 'sa_000000000000000c' });
  const child = (creator: Parameters<typeof keyFacts>[0]) =>
    policy.compileKey(
      keyFacts({ creator: { type: 'key', principal: policy.compileKey({ ...creatorFacts, ...creator }) } }),
    );

  it('is allowed what its creator key may do', () => {
    expect(policy.authorize(child({}), 'datasets:delete', DATASET, opts).allowed).toBe(true);
  });

  it('is inactive when the creator key expires, is revoked or its account is disabled', () => {
    expect(policy.authorize(child({ expiresAt: NOW }), 'datasets:read', DATASET, opts).reason).toBe(
      'creator_inactive',
    );
    expect(policy.authorize(child({ keyStatus: 'revoked' }), 'datasets:read', DATASET, opts).reason).toBe(
      'creator_inactive',
    );
    expect(
      policy.authorize(child({ accountStatus: 'disabled' }), 'datasets:read', DATASET, opts).reason,
    ).toBe('creator_inactive');
  });

  it("is inactive when its creator's own creator is inactive", () => {
    const grandchild = child({ creator: userCreator(ADMIN_USER, false) });
    expect(policy.authorize(grandchild, 'datasets:read', DATASET, opts).reason).toBe('creator_inactive');
  });

  it("is bounded by the creator key's read-only flag, scopes, dataset selection and own creator", () => {
    expect(policy.authorize(child({ readOnly: true }), 'datasets:write', DATASET, opts).reason).toBe(
      'exceeds_creator_rights',
    );
    expect(
      policy.authorize(child({ scopes: ['datasets:read'] }), 'datasets:write', DATASET, opts).reason,
    ).toBe('exceeds_creator_rights');
    const selected = child({ datasetAccess: { mode: 'selected', datasetIds: ['d9'] } });
    expect(policy.authorize(selected, 'datasets:read', DATASET, opts).reason).toBe('exceeds_creator_rights');
    expect(policy.authorize(selected, 'workspace:read', WORKSPACE, opts).reason).toBe(
      'exceeds_creator_rights',
    );
    const viaAnalyst = child({ creator: userCreator(ANALYST_USER) });
    expect(policy.authorize(viaAnalyst, 'datasets:delete', DATASET, opts).reason).toBe(
      'exceeds_creator_rights',
    );
  });

  it('is bounded by the workspace binding of the creator key', () => {
    expect(policy.authorize(child({ workspaceId: 'w2' }), 'datasets:read', DATASET, opts).reason).toBe(
      'exceeds_creator_rights',
    );
  });
});

describe('key scopes narrow the account and never widen it', () => {
  it('a `*` scope on a viewer account still grants only reads', () => {
    const key = policy.compileKey(keyFacts({ roles: ['viewer'], scopes: ['*'] }));
    expect(policy.authorize(key, 'datasets:read', DATASET, opts).allowed).toBe(true);
    const write = policy.authorize(key, 'datasets:write', DATASET, opts);
    expect(write.reason).toBe('not_granted');
    expect(write.determining[0]?.id).toBe('roles');
  });

  it('a scope naming an ungranted permission grants nothing', () => {
    const key = policy.compileKey(
      keyFacts({ roles: ['viewer'], scopes: ['datasets:delete', 'datasets:read'] }),
    );
    expect(policy.authorize(key, 'datasets:delete', DATASET, opts).reason).toBe('not_granted');
  });

  it('an empty scope list grants nothing (fail closed)', () => {
    const key = policy.compileKey(keyFacts({ scopes: [] }));
    expect(policy.authorize(key, 'datasets:read', DATASET, opts).reason).toBe('not_granted');
  });

  it('an unknown scope grants nothing and the trace notes it', () => {
    const key = policy.compileKey(keyFacts({ scopes: ['datasets:frobnicate'] }));
    const decision = policy.authorize(key, 'datasets:read', DATASET, { now: NOW, explain: true });
    expect(decision.reason).toBe('not_granted');
    expect(decision.trace?.map((s) => s.detail).join('\n')).toMatch(
      /scope 'datasets:frobnicate' matches no permission/,
    );
  });
});

describe("an 'all' creator (every creator of a chain, and whoever regenerated the key)", () => {
  const creatorKey = (overrides: Parameters<typeof keyFacts>[0]) =>
    policy.compileKey(
      keyFacts({ keyId: 'kcreator00000002', serviceAccountId: 'sa_000000000000000d', ...overrides }),
    );

  it('covers an action only where every bound covers it, and explains the first denying bound', () => {
    const key = policy.withCreator(policy.compileKey(keyFacts()), {
      type: 'all',
      bounds: [userCreator(ADMIN_USER), userCreator(ANALYST_USER)],
    });
    expect(policy.authorize(key, 'datasets:write', DATASET, opts).allowed).toBe(true);
    const denied = policy.authorize(key, 'datasets:delete', DATASET, { now: NOW, explain: true });
    expect(denied.reason).toBe('exceeds_creator_rights');
    expect(denied.trace).toContainEqual(
      expect.objectContaining({
        layer: 8,
        outcome: 'deny',
        detail: expect.stringContaining('user u_analyst'),
      }),
    );
  });

  it('is inactive when any bound is, and valid only while every creator key is', () => {
    const inactive = policy.withCreator(policy.compileKey(keyFacts()), {
      type: 'all',
      bounds: [userCreator(ADMIN_USER), userCreator(ADMIN_USER, false)],
    });
    expect(policy.authorize(inactive, 'datasets:read', DATASET, opts).reason).toBe('creator_inactive');
    const expiring = policy.compileKey(
      keyFacts({
        creator: {
          type: 'all',
          bounds: [
            { type: 'key', principal: creatorKey({ expiresAt: NOW + 10 }) },
            { type: 'key', principal: creatorKey({ expiresAt: NOW + 5 }) },
          ],
        },
      }),
    );
    expect(policy.authorize(expiring, 'datasets:read', DATASET, { now: NOW + 4 }).allowed).toBe(true);
    expect(policy.authorize(expiring, 'datasets:read', DATASET, { now: NOW + 5 }).reason).toBe(
      'creator_inactive',
    );
  });

  it("keeps every creator key's dataset selection", () => {
    const key = policy.compileKey(
      keyFacts({
        creator: {
          type: 'all',
          bounds: [
            {
              type: 'key',
              principal: creatorKey({ datasetAccess: { mode: 'selected', datasetIds: ['d1', 'd2'] } }),
            },
            {
              type: 'key',
              principal: creatorKey({ datasetAccess: { mode: 'selected', datasetIds: ['d2', 'd3'] } }),
            },
          ],
        },
      }),
    );
    const on = (datasetId: string) => ({ ...DATASET, datasetId });
    expect(policy.authorize(key, 'datasets:read', on('d2'), opts).allowed).toBe(true);
    expect(policy.authorize(key, 'datasets:read', on('d1'), opts).reason).toBe('exceeds_creator_rights');
    expect(policy.authorize(key, 'datasets:read', on('d3'), opts).reason).toBe('exceeds_creator_rights');
  });

  it('fails closed on an empty or malformed bounds list', () => {
    for (const bounds of [[], 'x', [null], [{ type: 'nobody' }]]) {
      const key = policy.compileKey(keyFacts({ creator: { type: 'all', bounds } as never }));
      expect(policy.authorize(key, 'datasets:read', DATASET, opts).reason).toBe('evaluation_error');
    }
  });
});
