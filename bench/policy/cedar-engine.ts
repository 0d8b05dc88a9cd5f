import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { Policy, Resource } from '../../src/policy/index.js';
import type { Engine } from './engine.js';
import type { BenchRequest } from './request-mix.js';
import { type BenchKey, type BenchWorld, CREATOR_PERMISSIONS, type CreatorProfile } from './world.js';

type EntityJson = cedar.EntityJson;
type Call = cedar.StatefulAuthorizationCall;

const POLICY_SET_ID = 'keyward-bench';

const ref = (type: string, id: string) => ({ __entity: { type, id } });
const actionList = (names: readonly string[]) => `[${names.map((n) => `Action::"${n}"`).join(', ')}]`;

/**
 * The same rules in Cedar, preparsed once (`preparsePolicySet`) and evaluated with
 * `statefulIsAuthorized`. Cedar has no wildcard over action names, so grant patterns (roles,
 * key scopes, creator permissions) are expanded to action sets with the catalog; every layer
 * else is a native Cedar policy over entity attributes. Sets hold plain strings (dataset ids,
 * action names, with the action name also passed in `context.action`): entity references
 * inside attributes cost cedar-wasm several times more to parse on every call.
 *
 * @internal
 */
export function cedarPolicyText(policy: Policy): string {
  const permits = policy.roles.roles
    .filter((role) => role.assignableToServiceAccounts)
    .map(
      (role) =>
        `permit (principal in Role::"${role.name}", action in ${actionList(policy.expand(role.grants))}, resource);`,
    );
  const notRead = policy.permissions.permissions.filter((p) => p.access !== 'read').map((p) => p.name);
  return [
    ...permits,
    '// layer 1: revoked keys, disabled accounts',
    'forbid (principal, action, resource) unless { principal.active };',
    '// layer 2: cross tenant',
    'forbid (principal, action, resource) unless { principal.tenant == resource.tenant };',
    '// layer 3: workspace binding (tenant resources carry no workspace)',
    'forbid (principal, action, resource) when { resource has workspace && principal.workspace != resource.workspace };',
    '// layer 4: dataset-scoped accounts and dataset selection',
    'forbid (principal, action, resource) when { principal.selected } unless { resource is Dataset && principal.datasets.contains(resource.id) };',
    '// layer 5: read-only',
    `forbid (principal, action in ${actionList(notRead)}, resource) when { principal.readOnly };`,
    "// layer 7: the key's scopes narrow its roles",
    'forbid (principal, action, resource) when { principal.scoped } unless { principal.scopes.contains(context.action) };',
    "// layer 8: the creator's live rights bound the key",
    'forbid (principal, action, resource) unless { principal.creator.active && principal.creator.tenant == resource.tenant && principal.creator.permissions.contains(context.action) };',
  ].join('\n');
}

/** cedar-wasm: one preparsed policy set; entities built once per key, creator and resource. */
export function cedarEngine(world: BenchWorld, policy: Policy): Engine<Call> {
  const parsed = cedar.preparsePolicySet(POLICY_SET_ID, { staticPolicies: cedarPolicyText(policy) });
  if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
  const keys = new Map(world.keys.map((key) => [key.keyId, keyEntity(policy, key)] as const));
  const creators = new Map<string, EntityJson>();
  const resources = new Map<string, EntityJson>();
  return {
    name: 'cedar-wasm',
    encode: (request: BenchRequest): Call => {
      const creatorId = `u-${request.key.creator}-${request.key.tenantId}`;
      let creator = creators.get(creatorId);
      if (creator === undefined) {
        creator = userEntity(policy, creatorId, request.key.tenantId, request.key.creator);
        creators.set(creatorId, creator);
      }
      const uid = resourceUid(request.resource);
      let resource = resources.get(`${uid.type}:${uid.id}`);
      if (resource === undefined) {
        resource = resourceEntity(request.resource);
        resources.set(`${uid.type}:${uid.id}`, resource);
      }
      return {
        principal: { type: 'Key', id: request.key.keyId },
        action: { type: 'Action', id: request.action },
        resource: uid,
        context: { action: request.action },
        preparsedPolicySetId: POLICY_SET_ID,
        entities: [keys.get(request.key.keyId)!, creator, resource],
      };
    },
    decide: (call: Call) => {
      const answer = cedar.statefulIsAuthorized(call);
      if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
      return answer.response.decision === 'allow';
    },
  };
}

function keyEntity(policy: Policy, key: BenchKey): EntityJson {
  return {
    uid: { type: 'Key', id: key.keyId },
    attrs: {
      active: !key.revoked,
      tenant: key.tenantId,
      workspace: key.workspaceId,
      selected: key.selected !== null,
      datasets: [...(key.selected ?? [])],
      readOnly: key.readOnly,
      scoped: key.scopes !== null,
      scopes: policy.expand(key.scopes ?? []),
      creator: ref('User', `u-${key.creator}-${key.tenantId}`),
    },
    parents: key.roles.map((role) => ({ type: 'Role', id: role })),
  };
}

function userEntity(policy: Policy, id: string, tenantId: string, profile: CreatorProfile): EntityJson {
  const permissions = policy.expand(CREATOR_PERMISSIONS[profile]);
  return { uid: { type: 'User', id }, attrs: { active: true, tenant: tenantId, permissions }, parents: [] };
}

function resourceUid(resource: Resource): { type: string; id: string } {
  if (resource.datasetId !== undefined) return { type: 'Dataset', id: resource.datasetId };
  if (resource.workspaceId !== undefined) return { type: 'Workspace', id: resource.workspaceId };
  return { type: 'Tenant', id: resource.tenantId };
}

function resourceEntity(resource: Resource): EntityJson {
  const uid = resourceUid(resource);
  const attrs: Record<string, string> = { id: uid.id, tenant: resource.tenantId };
  if (resource.workspaceId !== undefined) attrs.workspace = resource.workspaceId;
  return { uid, attrs, parents: [] };
}
