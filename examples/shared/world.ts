import type { RequestResource } from '../../src/entries/http.js';
import type { UserActor } from '../../src/index.js';

/**
 * The example's small data platform: tenants own workspaces, workspaces own datasets. A real host
 * reads this from its own database; keyward never stores it. Every resource passed to
 * `kw.verify` is looked up here from the URL, never taken from the key.
 */
export interface Directory {
  readonly tenants: Readonly<Record<string, TenantEntry>>;
}

/** One tenant of the directory. */
export interface TenantEntry {
  readonly name: string;
  readonly workspaces: Readonly<Record<string, WorkspaceEntry>>;
}

/** One workspace of the directory. */
export interface WorkspaceEntry {
  readonly name: string;
  /** Dataset id -> display name. */
  readonly datasets: Readonly<Record<string, string>>;
}

/** The static directory of the example apps. */
export const DIRECTORY: Directory = {
  tenants: {
    t_acme: {
      name: 'Acme Corp',
      workspaces: {
        w_sales: {
          name: 'Sales',
          datasets: { d_orders: 'Orders', d_customers: 'Customers', d_leads: 'Leads' },
        },
        w_ops: { name: 'Operations', datasets: { d_metrics: 'Metrics', d_incidents: 'Incidents' } },
      },
    },
    t_globex: {
      name: 'Globex',
      workspaces: { w_research: { name: 'Research', datasets: { d_trials: 'Trials' } } },
    },
  },
};

/** Where a workspace lives. */
export interface WorkspaceLocation {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly workspace: WorkspaceEntry;
}

/** Workspace id -> its location, built once. */
const WORKSPACES: ReadonlyMap<string, WorkspaceLocation> = new Map(
  Object.entries(DIRECTORY.tenants).flatMap(([tenantId, tenant]) =>
    Object.entries(tenant.workspaces).map(([workspaceId, workspace]) => [
      workspaceId,
      { tenantId, workspaceId, workspace },
    ]),
  ),
);

/** The workspace `workspaceId`, or `null` if the directory has none by that id. */
export function findWorkspace(workspaceId: string | undefined): WorkspaceLocation | null {
  return workspaceId === undefined ? null : (WORKSPACES.get(workspaceId) ?? null);
}

/** The resource of a tenant-level route, or `null` for an unknown tenant. */
export function tenantResource(tenantId: string | undefined): RequestResource | null {
  return tenantId !== undefined && Object.hasOwn(DIRECTORY.tenants, tenantId) ? { tenantId } : null;
}

/** The resource of a workspace-level route: the tenant comes from the directory. */
export function workspaceResource(workspaceId: string | undefined): RequestResource | null {
  const found = findWorkspace(workspaceId);
  return found === null ? null : { tenantId: found.tenantId, workspaceId: found.workspaceId };
}

/** The resource of a dataset-level route, or `null` unless the dataset is in that workspace. */
export function datasetResource(
  workspaceId: string | undefined,
  datasetId: string | undefined,
): RequestResource | null {
  const found = findWorkspace(workspaceId);
  if (found === null || datasetId === undefined || !Object.hasOwn(found.workspace.datasets, datasetId))
    return null;
  return { tenantId: found.tenantId, workspaceId: found.workspaceId, datasetId };
}

/** keyward's `datasetsInWorkspace`: which of `datasetIds` the workspace holds. */
export async function datasetsInWorkspace(args: {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly datasetIds: readonly string[];
}): Promise<readonly string[]> {
  const found = findWorkspace(args.workspaceId);
  if (found === null || found.tenantId !== args.tenantId) return [];
  return args.datasetIds.filter((id) => Object.hasOwn(found.workspace.datasets, id));
}

/** A human of the example, with the role names the host's own user pages show. */
export interface ExampleUser {
  readonly actor: UserActor;
  /** Demo password. A real host has a real login (and never keeps passwords in clear). */
  readonly password: string;
  readonly roles: Readonly<Record<string, string>>;
}

/** The humans of the example. `alice` administers Acme, `victor` only reads Sales, `gina` runs Globex. */
export const USERS: Readonly<Record<string, ExampleUser>> = {
  alice: {
    actor: { type: 'user', id: 'u_alice', tenantId: 't_acme', permissions: ['*'] },
    password: 'alice-demo-password',
    roles: { w_sales: 'owner', w_ops: 'owner' },
  },
  victor: {
    actor: {
      type: 'user',
      id: 'u_victor',
      tenantId: 't_acme',
      permissions: ['*:read', '*:list'],
      workspaceIds: ['w_sales'],
    },
    password: 'victor-demo-password',
    roles: { w_sales: 'viewer' },
  },
  gina: {
    actor: { type: 'user', id: 'u_gina', tenantId: 't_globex', permissions: ['*'] },
    password: 'gina-demo-password',
    roles: { w_research: 'owner' },
  },
};

/** keyward's `resolveActor`: the live rights of a human who created keys (null when gone). */
export async function resolveUser(ref: {
  readonly id: string;
  readonly tenantId: string;
}): Promise<UserActor | null> {
  const user = Object.values(USERS).find((u) => u.actor.id === ref.id && u.actor.tenantId === ref.tenantId);
  return user?.actor ?? null;
}
