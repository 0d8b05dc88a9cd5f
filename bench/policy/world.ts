import type { UserActor } from '../../src/entities/actor.js';
import { Random } from './random.js';

/** Workspaces per tenant, datasets per workspace, accounts per workspace, keys per account (the world). */
export const SHAPE = { workspaces: 5, datasets: 20, accounts: 2, keys: 4, selected: 10 } as const;

/** Rights profiles of the humans who created the keys: an admin, and one downgraded since to analyst rights. */
export const CREATOR_PERMISSIONS = {
  admin: ['*'],
  downgraded: ['*:read', '*:list', 'datasets:write', 'workspace:ingest'],
} as const;

/** Which creator a key has. */
export type CreatorProfile = keyof typeof CREATOR_PERMISSIONS;

/** One API key and the account facts it carries. */
export interface BenchKey {
  readonly keyId: string;
  readonly serviceAccountId: string;
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly roles: readonly string[];
  readonly scopes: readonly string[] | null;
  readonly readOnly: boolean;
  /** Selected datasets, or null for all datasets of the workspace. */
  readonly selected: readonly string[] | null;
  readonly revoked: boolean;
  readonly creator: CreatorProfile;
}

/** One workspace and its datasets. */
export interface BenchWorkspace {
  readonly tenantId: string;
  readonly workspaceId: string;
  /** Index of the workspace within its tenant (odd ones hold a read-only account). */
  readonly index: number;
  readonly datasets: readonly string[];
  /** The keys bound to it, by account: [account A keys, account B keys]. */
  readonly accounts: readonly (readonly BenchKey[])[];
}

/** A generated world: tenants x 5 workspaces x 20 datasets, 2 accounts per workspace, 4 keys each. */
export interface BenchWorld {
  readonly tenants: number;
  readonly tenantIds: readonly string[];
  readonly workspaces: readonly BenchWorkspace[];
  readonly keys: readonly BenchKey[];
}

/** The human creator of a key, as the host would resolve it. */
export function creatorActor(tenantId: string, profile: CreatorProfile): UserActor {
  return {
    type: 'user',
    id: `u-${profile}-${tenantId}`,
    tenantId,
    permissions: [...CREATOR_PERMISSIONS[profile]],
  };
}

/**
 * Account A of each workspace: `admin`, all datasets. Account B: `analyst`, 10 selected datasets,
 * read-only in odd workspaces. Keys 0-3 of each account: plain; scoped to `datasets:*`; created by
 * the downgraded user; revoked.
 */
export function generateWorld(tenants: number, seed = 42): BenchWorld {
  const random = new Random(seed + tenants);
  const workspaces: BenchWorkspace[] = [];
  const keys: BenchKey[] = [];
  const tenantIds = Array.from({ length: tenants }, (_, t) => `t${String(t).padStart(4, '0')}`);
  let serial = 0;
  for (const tenantId of tenantIds) {
    for (let w = 0; w < SHAPE.workspaces; w++) {
      const workspaceId = `${tenantId}.w${w}`;
      const datasets = Array.from(
        { length: SHAPE.datasets },
        (_, d) => `${workspaceId}.d${String(d).padStart(2, '0')}`,
      );
      const accounts = [0, 1].map((a) => {
        const serviceAccountId = `sa_${String(serial++).padStart(16, '0')}`;
        const account =
          a === 0
            ? { roles: ['admin'], readOnly: false, selected: null }
            : {
                roles: ['analyst'],
                readOnly: w % 2 === 1,
                selected: random.sample(datasets, SHAPE.selected).sort(),
              };
        return Array.from(
          { length: SHAPE.keys },
          (_, k): BenchKey => ({
            keyId: `k${String(serial * 10 + k).padStart(15, '0')}`,
            serviceAccountId,
            tenantId,
            workspaceId,
            ...account,
            scopes: k === 1 ? ['datasets:*'] : null,
            revoked: k === 3,
            creator: k === 2 ? 'downgraded' : 'admin',
          }),
        );
      });
      for (const account of accounts) keys.push(...account);
      workspaces.push({ tenantId, workspaceId, index: w, datasets, accounts });
    }
  }
  return { tenants, tenantIds, workspaces, keys };
}
