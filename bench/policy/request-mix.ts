import { defaultPermissions, type Policy, type ReasonCode, type Resource } from '../../src/policy/index.js';
import { Random } from './random.js';
import { type BenchKey, type BenchWorkspace, type BenchWorld, CREATOR_PERMISSIONS } from './world.js';

/** One request of the mix, with the reason it was built to produce. */
export interface BenchRequest {
  readonly key: BenchKey;
  readonly action: string;
  readonly resource: Resource;
  readonly expected: ReasonCode;
}

/** The mix: 60% allowed, the rest spread evenly over six kinds of denial. */
export const MIX: readonly (readonly [ReasonCode, number])[] = [
  ['allowed', 0.6],
  ['read_only', 0.4 / 6],
  ['outside_workspace_binding', 0.4 / 6],
  ['cross_tenant', 0.4 / 6],
  ['dataset_not_granted', 0.4 / 6],
  ['exceeds_creator_rights', 0.4 / 6],
  ['key_revoked', 0.4 / 6],
];

const PERMISSIONS = defaultPermissions.permissions;
const ADMIN_ONLY = PERMISSIONS.filter((p) => p.access === 'admin').map((p) => p.name);

/**
 * Builds `count` requests over `world`. The allowed ones are derived from the world's facts with
 * catalog arithmetic only (role grants, key scopes and creator profile expanded with
 * `policy.expand`, then read-only and dataset scope applied), never by asking an evaluator.
 */
export function generateRequests(world: BenchWorld, policy: Policy, count: number, seed = 7): BenchRequest[] {
  const random = new Random(seed + world.tenants);
  const usable = usableActions(policy);
  const requests: BenchRequest[] = [];
  for (let i = 0; i < count; i++) {
    requests.push(build(kindOf(random.next()), world, random, usable));
  }
  return requests;
}

function kindOf(roll: number): ReasonCode {
  let below = 0;
  for (const [kind, weight] of MIX) {
    below += weight;
    if (roll < below) return kind;
  }
  return 'allowed';
}

type Usable = (key: BenchKey) => readonly string[];

function usableActions(policy: Policy): Usable {
  const cache = new Map<string, readonly string[]>();
  return (key) => {
    const id = `${key.roles}|${key.scopes}|${key.readOnly}|${key.selected !== null}|${key.creator}`;
    let actions = cache.get(id);
    if (actions === undefined) {
      const roles = new Set(key.roles.flatMap((role) => policy.expand(grantsOf(policy, role))));
      const scopes = key.scopes === null ? null : new Set(policy.expand(key.scopes));
      const creator = new Set(policy.expand(CREATOR_PERMISSIONS[key.creator]));
      actions = PERMISSIONS.filter(
        (p) =>
          roles.has(p.name) &&
          (scopes === null || scopes.has(p.name)) &&
          creator.has(p.name) &&
          (!key.readOnly || p.access === 'read') &&
          (key.selected === null || p.scope === 'dataset'),
      ).map((p) => p.name);
      cache.set(id, actions);
    }
    return actions;
  };
}

function grantsOf(policy: Policy, role: string): readonly string[] {
  return policy.roles.roles.find((r) => r.name === role)?.grants ?? [];
}

function build(kind: ReasonCode, world: BenchWorld, random: Random, usable: Usable): BenchRequest {
  const ws = random.pick(world.workspaces);
  const live = (account: readonly BenchKey[]) => random.pick(account.filter((k) => !k.revoked));
  switch (kind) {
    case 'read_only': {
      const odd = random.pick(world.workspaces.filter((w) => w.index % 2 === 1));
      const key = live(odd.accounts[1]!);
      return {
        key,
        action: 'datasets:write',
        resource: dataset(odd, random.pick(key.selected!)),
        expected: kind,
      };
    }
    case 'outside_workspace_binding': {
      const key = live(random.pick(ws.accounts));
      const others = world.workspaces.filter((w) => w.tenantId === ws.tenantId && w !== ws);
      const other = random.pick(others);
      return {
        key,
        action: 'datasets:read',
        resource: dataset(other, random.pick(other.datasets)),
        expected: kind,
      };
    }
    case 'cross_tenant': {
      const key = live(random.pick(ws.accounts));
      const other = random.pick(world.workspaces.filter((w) => w.tenantId !== ws.tenantId));
      return {
        key,
        action: 'datasets:read',
        resource: dataset(other, random.pick(other.datasets)),
        expected: kind,
      };
    }
    case 'dataset_not_granted': {
      const key = live(ws.accounts[1]!);
      const unselected = ws.datasets.filter((d) => !key.selected!.includes(d));
      return { key, action: 'datasets:read', resource: dataset(ws, random.pick(unselected)), expected: kind };
    }
    case 'exceeds_creator_rights': {
      const key = ws.accounts[0]!.find((k) => k.creator === 'downgraded')!;
      return allowedShape(ws, key, random.pick(ADMIN_ONLY), random, kind);
    }
    case 'key_revoked': {
      const account = random.pick(ws.accounts);
      const key = account.find((k) => k.revoked)!;
      return allowedShape(ws, key, random.pick(usable(account[0]!)), random, kind);
    }
    default: {
      const key = live(random.pick(ws.accounts));
      return allowedShape(ws, key, random.pick(usable(key)), random, 'allowed');
    }
  }
}

function allowedShape(
  ws: BenchWorkspace,
  key: BenchKey,
  action: string,
  random: Random,
  expected: ReasonCode,
) {
  const scope = PERMISSIONS.find((p) => p.name === action)!.scope;
  const resource: Resource =
    scope === 'dataset'
      ? dataset(ws, random.pick(key.selected ?? ws.datasets))
      : scope === 'workspace'
        ? { tenantId: ws.tenantId, workspaceId: ws.workspaceId }
        : { tenantId: ws.tenantId };
  return { key, action, resource, expected };
}

function dataset(ws: BenchWorkspace, datasetId: string): Resource {
  return { tenantId: ws.tenantId, workspaceId: ws.workspaceId, datasetId };
}
