import { type Enforcer, newEnforcer, newModelFromString } from 'casbin';
import type { Policy } from '../../src/policy/index.js';
import type { Engine } from './engine.js';
import type { BenchRequest } from './request-mix.js';
import { type BenchKey, type BenchWorld, CREATOR_PERMISSIONS, type CreatorProfile } from './world.js';

/**
 * RBAC with domains. A request is (key, domain, object, action): the domain is the resource's
 * workspace (or its tenant for tenant-level actions), the object its dataset (or `-`). Keys hold
 * their roles in their workspace and tenant domains only (binding and cross tenant). g2 links
 * key -> account -> dataset (or `*` for all datasets). Casbin cannot intersect grant sets, so
 * read-only, dataset scope, revocation, key scopes and the creator's rights profile are modifier
 * roles whose deny lines list what they take away (precomputed from the catalog).
 *
 * @internal
 */
export const CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act, eft

[role_definition]
g = _, _, _
g2 = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub, r.dom) && (p.dom == "*" || p.dom == r.dom) && (p.act == "*" || r.act == p.act) && (r.obj == "-" || g2(r.sub, "*") || g2(r.sub, r.obj))
`;

type Request = readonly [string, string, string, string];

/** casbin: one enforcer holding the whole world; `enforceSync` per request. */
export async function casbinEngine(world: BenchWorld, policy: Policy): Promise<Engine<Request>> {
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  await enforcer.addPolicies(policyLines(policy));
  await loadKeys(enforcer, world, policy);
  return {
    name: 'casbin',
    encode: (request: BenchRequest): Request => {
      const { tenantId, workspaceId, datasetId } = request.resource;
      return [request.key.keyId, workspaceId ?? tenantId, datasetId ?? '-', request.action];
    },
    decide: (r: Request) => enforcer.enforceSync(r[0], r[1], r[2], r[3]),
  };
}

function policyLines(policy: Policy): string[][] {
  const all = policy.permissions.permissions;
  const deny = (sub: string, names: readonly string[]) => names.map((name) => [sub, '*', '*', name, 'deny']);
  const lines = policy.roles.roles
    .filter((role) => role.assignableToServiceAccounts)
    .flatMap((role) => policy.expand(role.grants).map((name) => [role.name, '*', '*', name, 'allow']));
  lines.push(
    ...deny(
      'mod:readonly',
      all.filter((p) => p.access !== 'read').map((p) => p.name),
    ),
  );
  lines.push(
    ...deny(
      'mod:selected',
      all.filter((p) => p.scope !== 'dataset').map((p) => p.name),
    ),
  );
  lines.push(['mod:revoked', '*', '*', '*', 'deny']);
  lines.push(...deny(scopeModifier(['datasets:*']), outside(policy, ['datasets:*'])));
  for (const profile of Object.keys(CREATOR_PERMISSIONS) as CreatorProfile[]) {
    lines.push(...deny(`mod:creator:${profile}`, outside(policy, CREATOR_PERMISSIONS[profile])));
  }
  return lines;
}

function outside(policy: Policy, patterns: readonly string[]): string[] {
  const inside = new Set(policy.expand(patterns));
  return policy.permissions.permissions.map((p) => p.name).filter((name) => !inside.has(name));
}

function scopeModifier(scopes: readonly string[]): string {
  return `mod:scopes:${[...scopes].sort().join(',')}`;
}

async function loadKeys(enforcer: Enforcer, world: BenchWorld, policy: Policy): Promise<void> {
  const bounding = new Set(
    (Object.keys(CREATOR_PERMISSIONS) as CreatorProfile[]).filter(
      (p) => outside(policy, CREATOR_PERMISSIONS[p]).length > 0,
    ),
  );
  const grouping: string[][] = [];
  const links: string[][] = [];
  const accounts = new Set<string>();
  for (const key of world.keys) {
    for (const role of [...key.roles, ...modifiers(key, bounding)]) {
      grouping.push([key.keyId, role, key.workspaceId], [key.keyId, role, key.tenantId]);
    }
    links.push([key.keyId, key.serviceAccountId]);
    if (!accounts.has(key.serviceAccountId)) {
      accounts.add(key.serviceAccountId);
      for (const dataset of key.selected ?? ['*']) links.push([key.serviceAccountId, dataset]);
    }
  }
  await enforcer.addGroupingPolicies(grouping);
  await enforcer.addNamedGroupingPolicies('g2', links);
}

/** The modifier roles of a key; a creator profile that takes nothing away needs none. */
function modifiers(key: BenchKey, bounding: ReadonlySet<CreatorProfile>): string[] {
  const mods = bounding.has(key.creator) ? [`mod:creator:${key.creator}`] : [];
  if (key.readOnly) mods.push('mod:readonly');
  if (key.selected !== null) mods.push('mod:selected');
  if (key.revoked) mods.push('mod:revoked');
  if (key.scopes !== null) mods.push(scopeModifier(key.scopes));
  return mods;
}
