/**
 * A deliberately naive evaluator written straight from DESIGN section 5 (no compilation, no
 * tables), used to cross-check the compiled one. It returns the reason and the determining id.
 */
import type { UserActor } from '../../../../src/entities/actor.js';
import type { ForbidRule, PermissionInfo, Resource } from '../../../../src/policy/index.js';

export interface RefRole {
  readonly grants: readonly string[];
  readonly assignableToServiceAccounts: boolean;
}

export interface RefWorld {
  readonly permissions: readonly PermissionInfo[];
  readonly roles: Readonly<Record<string, RefRole>>;
  readonly rules: readonly ForbidRule[];
}

export type RefCreator = { type: 'user'; active: boolean; actor: UserActor } | { type: 'key'; facts: RefKey };

export interface RefKey {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly environment: 'live' | 'test';
  readonly roles: readonly string[];
  readonly scopes: readonly string[] | null;
  readonly readOnly: boolean;
  readonly datasetAccess:
    | { readonly mode: 'all' }
    | { readonly mode: 'selected'; readonly datasetIds: readonly string[] };
  readonly accountStatus: 'active' | 'disabled' | 'deleted';
  readonly keyStatus: 'active' | 'revoked' | 'disabled';
  readonly expiresAt: number | null;
  readonly notBefore?: number | null | undefined;
  readonly creator: RefCreator | null;
}

export interface RefAnswer {
  readonly reason: string;
  readonly id: string;
}

const covers = (patterns: readonly string[], action: string) => {
  const [resource, verb] = action.split(':');
  return patterns.some((p) => {
    if (p === '*') return true;
    const parts = p.split(':');
    return (
      parts.length === 2 &&
      (parts[0] === '*' || parts[0] === resource) &&
      (parts[1] === '*' || parts[1] === verb)
    );
  });
};

function requestProblem(world: RefWorld, action: string, r: Resource): boolean {
  const permission = world.permissions.find((p) => p.name === action);
  if (permission === undefined) return true;
  if (r.datasetId !== undefined && r.workspaceId === undefined) return true;
  if (permission.scope === 'dataset') return r.datasetId === undefined;
  if (permission.scope === 'workspace') return r.workspaceId === undefined;
  return false;
}

function guard(k: RefKey, now: number): string | null {
  if (k.accountStatus === 'deleted') return 'account_deleted';
  if (k.accountStatus === 'disabled') return 'account_disabled';
  if (k.keyStatus === 'revoked') return 'key_revoked';
  if (k.keyStatus === 'disabled') return 'key_disabled';
  if (k.expiresAt !== null && now >= k.expiresAt) return 'key_expired';
  if (k.notBefore != null && now < k.notBefore) return 'key_not_yet_valid';
  return null;
}

function active(c: RefCreator, now: number): boolean {
  if (c.type === 'user') return c.active;
  return guard(c.facts, now) === null && (c.facts.creator === null || active(c.facts.creator, now));
}

function roleGrants(world: RefWorld, k: RefKey, action: string): boolean {
  return k.roles.some((name) => {
    const role = Object.hasOwn(world.roles, name) ? world.roles[name] : undefined;
    return role?.assignableToServiceAccounts === true && covers(role.grants, action);
  });
}

function access(world: RefWorld, action: string) {
  return world.permissions.find((p) => p.name === action)!;
}

function creatorCovers(world: RefWorld, c: RefCreator, action: string, r: Resource, ws: string): boolean {
  if (c.type === 'user') {
    const a = c.actor;
    return (
      a.tenantId === r.tenantId &&
      (a.workspaceIds === undefined || a.workspaceIds.includes(ws)) &&
      covers(a.permissions, action)
    );
  }
  const k = c.facts;
  const p = access(world, action);
  if (k.tenantId !== r.tenantId || k.workspaceId !== ws) return false;
  if (
    k.datasetAccess.mode === 'selected' &&
    (p.scope !== 'dataset' || !k.datasetAccess.datasetIds.includes(r.datasetId!))
  ) {
    return false;
  }
  if (k.readOnly && p.access !== 'read') return false;
  if (!roleGrants(world, k, action) || (k.scopes !== null && !covers(k.scopes, action))) return false;
  return k.creator === null || creatorCovers(world, k.creator, action, r, ws);
}

function ruleMatch(rule: ForbidRule, action: string, r: Resource, type: 'user' | 'key', env: string | null) {
  return (
    covers(rule.actions, action) &&
    (rule.principalTypes === undefined || rule.principalTypes.includes(type)) &&
    (rule.environments === undefined || (env !== null && rule.environments.includes(env as 'live'))) &&
    (rule.tenantIds === undefined || rule.tenantIds.includes(r.tenantId)) &&
    (rule.workspaceIds === undefined ||
      (r.workspaceId !== undefined && rule.workspaceIds.includes(r.workspaceId))) &&
    (rule.datasetIds === undefined || (r.datasetId !== undefined && rule.datasetIds.includes(r.datasetId)))
  );
}

function firstRule(world: RefWorld, action: string, r: Resource, type: 'user' | 'key', env: string | null) {
  const ids = world.rules.filter((rule) => ruleMatch(rule, action, r, type, env)).map((rule) => rule.id);
  return ids.sort()[0];
}

/** The reference decision for a key. */
export function referenceKey(
  world: RefWorld,
  k: RefKey,
  action: string,
  r: Resource,
  now: number,
): RefAnswer {
  if (requestProblem(world, action, r)) return { reason: 'invalid_request', id: 'request' };
  const g = guard(k, now);
  if (g !== null)
    return {
      reason: g,
      id: g.startsWith('account')
        ? 'account_status'
        : g === 'key_revoked' || g === 'key_disabled'
          ? 'key_status'
          : g === 'key_expired'
            ? 'key_expiry'
            : 'key_not_before',
    };
  if (k.creator !== null && !active(k.creator, now))
    return { reason: 'creator_inactive', id: 'creator_status' };
  if (r.tenantId !== k.tenantId) return { reason: 'cross_tenant', id: 'tenant' };
  if (r.workspaceId !== undefined && r.workspaceId !== k.workspaceId)
    return { reason: 'outside_workspace_binding', id: 'workspace_binding' };
  const p = access(world, action);
  if (k.datasetAccess.mode === 'selected') {
    if (p.scope !== 'dataset') return { reason: 'dataset_scoped_account', id: 'dataset_access' };
    if (!k.datasetAccess.datasetIds.includes(r.datasetId!))
      return { reason: 'dataset_not_granted', id: 'dataset_access' };
  }
  if (k.readOnly && p.access !== 'read') return { reason: 'read_only', id: 'read_only' };
  const rule = firstRule(world, action, r, 'key', k.environment);
  if (rule !== undefined) return { reason: 'forbidden_by_rule', id: rule };
  if (!roleGrants(world, k, action)) return { reason: 'not_granted', id: 'roles' };
  if (k.scopes !== null && !covers(k.scopes, action)) return { reason: 'not_granted', id: 'key_scopes' };
  if (k.creator !== null && !creatorCovers(world, k.creator, action, r, k.workspaceId)) {
    return { reason: 'exceeds_creator_rights', id: 'creator_rights' };
  }
  const granting = Object.keys(world.roles)
    .sort()
    .find(
      (name) =>
        k.roles.includes(name) &&
        world.roles[name]!.assignableToServiceAccounts &&
        covers(world.roles[name]!.grants, action),
    );
  return { reason: 'allowed', id: granting! };
}

/** The reference decision for a user. */
export function referenceUser(world: RefWorld, u: UserActor, action: string, r: Resource): RefAnswer {
  if (requestProblem(world, action, r)) return { reason: 'invalid_request', id: 'request' };
  if (r.tenantId !== u.tenantId) return { reason: 'cross_tenant', id: 'tenant' };
  if (
    r.workspaceId !== undefined &&
    u.workspaceIds !== undefined &&
    !u.workspaceIds.includes(r.workspaceId)
  ) {
    return { reason: 'outside_workspace_binding', id: 'workspace_binding' };
  }
  const rule = firstRule(world, action, r, 'user', null);
  if (rule !== undefined) return { reason: 'forbidden_by_rule', id: rule };
  if (!covers(u.permissions, action)) return { reason: 'not_granted', id: 'user_permissions' };
  return { reason: 'allowed', id: 'user_permissions' };
}
