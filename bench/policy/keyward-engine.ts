import {
  type AuthorizeOptions,
  createPolicy,
  type Decision,
  defaultPermissions,
  defaultRoles,
  type KeyPrincipal,
  type Policy,
  type Resource,
  type UserPrincipal,
} from '../../src/policy/index.js';
import type { Engine } from './engine.js';
import type { BenchRequest } from './request-mix.js';
import { type BenchKey, type BenchWorld, creatorActor } from './world.js';

/** A keyward request: the key's compiled principal (compiled once per key, as the verifier caches it). */
export interface KeywardRequest {
  readonly principal: KeyPrincipal;
  readonly action: string;
  readonly resource: Resource;
}

/** The policy the bench uses: the default catalog and roles, no forbid rules. */
export function benchPolicy(): Policy {
  return createPolicy({ permissions: defaultPermissions, roles: defaultRoles });
}

/**
 * keyward: every key compiled once with its creator's live rights (each human creator compiled
 * once and shared by the keys they issued, as the verifier's creator cache does); `authorize`
 * per request.
 */
export function keywardEngine(
  world: BenchWorld,
  policy: Policy,
  now: number,
): Engine<KeywardRequest> & {
  explain(encoded: KeywardRequest): Decision;
} {
  const creators = new Map<string, UserPrincipal>();
  const creatorOf = (key: BenchKey) => {
    const id = `${key.creator}:${key.tenantId}`;
    let creator = creators.get(id);
    if (creator === undefined) {
      creator = policy.compileUser(creatorActor(key.tenantId, key.creator));
      creators.set(id, creator);
    }
    return creator;
  };
  const principals = new Map(
    world.keys.map((key) => [key.keyId, compile(policy, key, creatorOf(key))] as const),
  );
  const options: AuthorizeOptions = { now };
  return {
    name: 'keyward',
    encode: (request: BenchRequest) => ({
      principal: principals.get(request.key.keyId)!,
      action: request.action,
      resource: request.resource,
    }),
    decide: (e: KeywardRequest) => policy.authorize(e.principal, e.action, e.resource, options).allowed,
    explain: (e: KeywardRequest) =>
      policy.authorize(e.principal, e.action, e.resource, { now, explain: true }),
  };
}

function compile(policy: Policy, key: BenchKey, creator: UserPrincipal): KeyPrincipal {
  return policy.compileKey({
    tenantId: key.tenantId,
    workspaceId: key.workspaceId,
    serviceAccountId: key.serviceAccountId,
    keyId: key.keyId,
    environment: 'live',
    roles: key.roles,
    scopes: key.scopes,
    readOnly: key.readOnly,
    datasetAccess: key.selected === null ? { mode: 'all' } : { mode: 'selected', datasetIds: key.selected },
    accountStatus: 'active',
    keyStatus: key.revoked ? 'revoked' : 'active',
    expiresAt: null,
    creator: { type: 'user', active: true, principal: creator },
  });
}
