import { describe, expect, it } from 'vitest';
import {
  createPolicy,
  defaultPermissions,
  defaultRoles,
  type ForbidRule,
} from '../../../src/policy/index.js';
import { ADMIN_USER, DATASET, keyFacts, NOW, TENANT, WORKSPACE } from './support/policy-fixture.js';

const RULES: readonly ForbidRule[] = [
  { id: 'b-writes-in-w9', actions: ['*:ingest', 'datasets:write'], workspaceIds: ['w9'] },
  { id: 'a-all-deletes', actions: ['datasets:delete'] },
  { id: 'c-test-keys', actions: ['*'], environments: ['test'], principalTypes: ['key'] },
  { id: 'd-tenant-t1-ledger', actions: ['workspace.ledger:read'], tenantIds: ['t1'] },
  { id: 'e-users-manage', actions: ['api_keys:manage'], principalTypes: ['user'] },
];

const build = (forbid: readonly ForbidRule[]) =>
  createPolicy({ permissions: defaultPermissions, roles: defaultRoles, forbid });
const opts = { now: NOW };

describe('forbid rules', () => {
  it('deny wins over a `*` grant', () => {
    const policy = build(RULES);
    expect(
      policy.authorize(policy.compileKey(keyFacts()), 'datasets:delete', DATASET, opts).determining,
    ).toEqual([{ layer: 6, id: 'a-all-deletes', effect: 'deny' }]);
  });

  it('give the same decision, citing the same rule, whatever their order', () => {
    const requests = [
      ['datasets:delete', DATASET],
      ['workspace:ingest', { tenantId: 't1', workspaceId: 'w9' }],
      ['datasets:read', DATASET],
      ['workspace.ledger:read', WORKSPACE],
      ['api_keys:manage', WORKSPACE],
      ['tenant.workspaces:list', TENANT],
    ] as const;
    const answers = (forbid: readonly ForbidRule[]) => {
      const policy = build(forbid);
      const principals = [
        policy.compileKey(keyFacts()),
        policy.compileKey(keyFacts({ environment: 'test' })),
        policy.compileKey(keyFacts({ workspaceId: 'w9' })),
        policy.compileUser(ADMIN_USER),
      ];
      return principals.flatMap((p) =>
        requests.map(([action, resource]) => policy.authorize(p, action, resource, opts)),
      );
    };
    const expected = answers(RULES);
    for (const order of [[...RULES].reverse(), [RULES[2]!, RULES[0]!, RULES[4]!, RULES[1]!, RULES[3]!]]) {
      expect(answers(order)).toEqual(expected);
    }
  });

  it('match only when every condition given holds', () => {
    const policy = build(RULES);
    const testKey = policy.compileKey(keyFacts({ environment: 'test' }));
    const user = policy.compileUser(ADMIN_USER);
    expect(policy.authorize(testKey, 'datasets:read', DATASET, opts).determining[0]?.id).toBe('c-test-keys');
    expect(policy.authorize(user, 'datasets:read', DATASET, opts).allowed).toBe(true);
    expect(policy.authorize(user, 'api_keys:manage', WORKSPACE, opts).determining[0]?.id).toBe(
      'e-users-manage',
    );
    expect(policy.authorize(policy.compileKey(keyFacts()), 'api_keys:manage', WORKSPACE, opts).allowed).toBe(
      true,
    );
    expect(
      policy.authorize(user, 'workspace.ledger:read', { tenantId: 't2', workspaceId: 'w1' }, opts).reason,
    ).toBe('cross_tenant');
  });

  it('with a workspace condition do not match a resource without a workspace', () => {
    const policy = build([{ id: 'w1-only', actions: ['*:list'], workspaceIds: ['w1'] }]);
    expect(
      policy.authorize(policy.compileUser(ADMIN_USER), 'tenant.workspaces:list', TENANT, opts).allowed,
    ).toBe(true);
    expect(
      policy.authorize(policy.compileUser(ADMIN_USER), 'tenant.workspaces:list', WORKSPACE, opts).reason,
    ).toBe('forbidden_by_rule');
  });

  it('explain the matching rule and its description', () => {
    const policy = build([{ id: 'freeze', actions: ['datasets:write'], description: 'quarter-end freeze' }]);
    const decision = policy.authorize(policy.compileKey(keyFacts()), 'datasets:write', DATASET, {
      now: NOW,
      explain: true,
    });
    expect(decision.trace?.at(-1)).toEqual({
      layer: 6,
      check: 'forbid_rules',
      outcome: 'deny',
      detail: 'forbid rule freeze matches: quarter-end freeze',
    });
  });

  it('select actions by access class: a test key may read, and nothing that is not a read, whatever its name', () => {
    const policy = build([
      { id: 'no-test-writes', actions: ['*'], access: ['write', 'admin'], environments: ['test'] },
    ]);
    const test = policy.compileKey(keyFacts({ environment: 'test', roles: ['admin'] }));
    const live = policy.compileKey(keyFacts({ roles: ['admin'] }));
    const refused = (principal: typeof test, action: string, resource: typeof DATASET | typeof WORKSPACE) =>
      policy.authorize(principal, action, resource, opts).reason === 'forbidden_by_rule';
    // A verb pattern like `*:write` would miss these two: their names do not end in `write`.
    expect(policy.permission('workspace:ingest')?.access).toBe('write');
    expect(policy.permission('datasets:delete')?.access).toBe('admin');
    expect([
      refused(test, 'datasets:write', DATASET),
      refused(test, 'workspace:ingest', WORKSPACE),
      refused(test, 'datasets:delete', DATASET),
    ]).toEqual([true, true, true]);
    expect([refused(test, 'datasets:read', DATASET), refused(live, 'workspace:ingest', WORKSPACE)]).toEqual([
      false,
      false,
    ]);
  });

  it('refuse an unknown access class when the policy is built', () => {
    expect(() => build([{ id: 'x', actions: ['*'], access: ['delete' as never] }])).toThrow(
      /Invalid forbid rules/,
    );
  });
});
