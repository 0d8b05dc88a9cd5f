import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/policy/index.js';
import { ADMIN_USER, DATASET, keyFacts, NOW, policy, TENANT, WORKSPACE } from './support/policy-fixture.js';

const opts = { now: NOW };

describe('decisions', () => {
  it('are frozen, down to their determining entries', () => {
    const decision = policy.authorize(policy.compileKey(keyFacts()), 'datasets:read', DATASET, opts);
    expect(Object.isFrozen(decision)).toBe(true);
    expect(Object.isFrozen(decision.determining)).toBe(true);
    expect(Object.isFrozen(decision.determining[0])).toBe(true);
  });

  it('are shared between calls on the common path (nothing allocated per decision)', () => {
    const a = policy.compileKey(keyFacts());
    const b = policy.compileKey(keyFacts({ keyId: 'k000000000000002' }));
    expect(policy.authorize(a, 'datasets:read', DATASET, opts)).toBe(
      policy.authorize(b, 'datasets:read', DATASET, opts),
    );
    expect(policy.authorize(a, 'datasets:read', { ...DATASET, tenantId: 't2' }, opts)).toBe(
      policy.authorize(b, 'datasets:read', { ...DATASET, tenantId: 't3' }, opts),
    );
  });

  it('carry a trace only when asked, ending at the deciding layer', () => {
    const key = policy.compileKey(keyFacts({ readOnly: true }));
    expect(policy.authorize(key, 'datasets:write', DATASET, opts).trace).toBeUndefined();
    const explained = policy.authorize(key, 'datasets:write', DATASET, { now: NOW, explain: true });
    expect(explained.reason).toBe('read_only');
    expect(explained.trace?.map((s) => [s.layer, s.outcome])).toEqual([
      [0, 'pass'],
      [1, 'pass'],
      [1, 'pass'],
      [2, 'pass'],
      [3, 'pass'],
      [4, 'pass'],
      [5, 'deny'],
    ]);
  });

  it('explained and unexplained decisions agree', () => {
    const key = policy.compileKey(keyFacts({ roles: ['analyst'] }));
    for (const action of [
      'datasets:read',
      'datasets:delete',
      'workspace:ingest',
      'api_keys:manage',
    ] as const) {
      const resource = action.startsWith('datasets') ? DATASET : WORKSPACE;
      const { trace, ...explained } = policy.authorize(key, action, resource, { now: NOW, explain: true });
      expect(explained).toEqual({ ...policy.authorize(key, action, resource, opts) });
      expect(trace?.length).toBeGreaterThan(0);
    }
  });

  it('fail closed with evaluation_error when evaluation throws', () => {
    const key = policy.compileKey(keyFacts());
    const hostile = {
      get tenantId(): string {
        throw new Error('boom');
      },
    } as Resource;
    const decision = policy.authorize(key, 'tenant.workspaces:list', hostile, { now: NOW, explain: true });
    expect(decision).toMatchObject({ allowed: false, kind: 'error', reason: 'evaluation_error' });
    expect(decision.trace?.[0]?.detail).toMatch(/boom/);
  });

  it('fail closed when a creator of the wrong kind is given', () => {
    const user = policy.compileUser(ADMIN_USER);
    const key = policy.compileKey(keyFacts());
    const asKey = policy.compileKey(keyFacts({ creator: { type: 'key', principal: user as never } }));
    const asUser = policy.compileKey(
      keyFacts({ creator: { type: 'user', active: true, principal: key as never } }),
    );
    expect(policy.authorize(asKey, 'datasets:read', DATASET, opts).reason).toBe('evaluation_error');
    expect(policy.authorize(asUser, 'datasets:read', DATASET, opts).reason).toBe('evaluation_error');
  });

  it('compiles hostile facts without throwing, into a principal that always errors', () => {
    const hostile = {
      ...keyFacts(),
      get datasetAccess(): never {
        throw new Error('storage row is corrupt');
      },
    };
    const key = policy.compileKey(hostile);
    const decision = policy.authorize(key, 'datasets:read', DATASET, { now: NOW, explain: true });
    expect(decision.reason).toBe('evaluation_error');
    expect(decision.trace?.at(-1)?.detail).toMatch(/storage row is corrupt/);
  });

  it('fail closed when the options are missing', () => {
    const key = policy.compileKey(keyFacts());
    expect(policy.authorize(key, 'datasets:read', DATASET, undefined as never).reason).toBe(
      'evaluation_error',
    );
  });
});

describe('authorizeMany and listAllowed', () => {
  const key = policy.compileKey(keyFacts({ datasetAccess: { mode: 'selected', datasetIds: ['d1', 'd3'] } }));

  it('authorizeMany answers each request in order', () => {
    const decisions = policy.authorizeMany(
      key,
      [
        { action: 'datasets:read', resource: DATASET },
        { action: 'workspace:read', resource: WORKSPACE },
        { action: 'tenant.workspaces:list', resource: TENANT },
      ],
      opts,
    );
    expect(decisions.map((d) => d.reason)).toEqual([
      'allowed',
      'dataset_scoped_account',
      'dataset_scoped_account',
    ]);
  });

  it('listAllowed keeps the allowed candidates, same objects, same order', () => {
    const candidates = ['d1', 'd2', 'd3', 'd4'].map((datasetId) => ({
      ...DATASET,
      datasetId,
      label: datasetId,
    }));
    const allowed = policy.listAllowed(key, 'datasets:read', candidates, opts);
    expect(allowed).toEqual([candidates[0], candidates[2]]);
    expect(allowed[0]).toBe(candidates[0]);
  });

  it('recognises principals compiled by this policy only', () => {
    expect(policy.isKeyPrincipal(key)).toBe(true);
    expect(policy.isUserPrincipal(key)).toBe(false);
    expect(policy.isUserPrincipal(policy.compileUser(ADMIN_USER))).toBe(true);
    expect(policy.isKeyPrincipal({ ...key, state: {} })).toBe(false);
  });
});
