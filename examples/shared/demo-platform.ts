import { randomBytes } from 'node:crypto';
import type { RequestResource } from '../../src/entries/http.js';
import type { UserActor } from '../../src/index.js';

/**
 * The demo's data platform: tenants own workspaces, workspaces own datasets. A real host reads
 * this from its own database; keyward never stores it. Every resource handed to keyward is
 * looked up here from the URL, never taken from the key.
 */
const WORKSPACES: Readonly<Record<string, { tenantId: string; datasets: readonly string[] }>> = {
  w_sales: { tenantId: 't_acme', datasets: ['d_orders', 'd_customers', 'd_leads'] },
  w_ops: { tenantId: 't_acme', datasets: ['d_metrics', 'd_incidents'] },
  w_research: { tenantId: 't_globex', datasets: ['d_trials'] },
};

/** The resource of a tenant-level route, or `null` (404) for an unknown tenant. */
export function tenantResource(tenantId: string): RequestResource | null {
  return Object.values(WORKSPACES).some((w) => w.tenantId === tenantId) ? { tenantId } : null;
}

/** The resource of a workspace-level route, or `null` (404): its tenant comes from the directory. */
export function workspaceResource(workspaceId: string): RequestResource | null {
  const found = Object.hasOwn(WORKSPACES, workspaceId) ? WORKSPACES[workspaceId] : undefined;
  return found === undefined ? null : { tenantId: found.tenantId, workspaceId };
}

/** The resource of a dataset-level route, or `null` (404) unless the workspace holds the dataset. */
export function datasetResource(workspaceId: string, datasetId: string): RequestResource | null {
  const workspace = workspaceResource(workspaceId);
  if (workspace === null || !WORKSPACES[workspaceId]?.datasets.includes(datasetId)) return null;
  return { ...workspace, datasetId };
}

/** The workspaces of a tenant: what `GET /tenants/:t/workspaces` answers. */
export function workspacesOf(tenantId: string): string[] {
  return Object.keys(WORKSPACES).filter((id) => WORKSPACES[id]?.tenantId === tenantId);
}

/** keyward's `datasetsInWorkspace`: which of `datasetIds` the workspace holds. */
export async function datasetsInWorkspace(args: {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly datasetIds: readonly string[];
}): Promise<readonly string[]> {
  const found = WORKSPACES[args.workspaceId];
  if (found === undefined || found.tenantId !== args.tenantId) return [];
  return args.datasetIds.filter((id) => found.datasets.includes(id));
}

/** The demo's people: `alice` administers Acme, `victor` only reads Sales, `gina` runs Globex. */
export const USERS: Readonly<Record<string, UserActor>> = {
  alice: { type: 'user', id: 'u_alice', tenantId: 't_acme', permissions: ['*'] },
  victor: {
    type: 'user',
    id: 'u_victor',
    tenantId: 't_acme',
    permissions: ['*:read', '*:list'],
    workspaceIds: ['w_sales'],
  },
  gina: { type: 'user', id: 'u_gina', tenantId: 't_globex', permissions: ['*'] },
};

/** keyward's `resolveActor`: the live rights of a person who created keys (`null` once gone). */
export async function resolveUser(ref: { readonly id: string; readonly tenantId: string }) {
  return Object.values(USERS).find((u) => u.id === ref.id && u.tenantId === ref.tenantId) ?? null;
}

/**
 * A stand-in login: `login('alice', 'alice-demo-password')` opens a session whose id goes in the
 * `x-session` header. A real host has its own (OIDC, cookies, SSO) and hands keyward the person as
 * a `UserActor`; keyward never authenticates people.
 */
export class DemoSessions {
  readonly #sessions = new Map<string, UserActor>();

  /** A new session id, or `null` when the user is unknown or the password wrong. */
  login(user: unknown, password: unknown): string | null {
    if (typeof user !== 'string' || !Object.hasOwn(USERS, user)) return null;
    if (password !== `${user}-demo-password`) return null;
    const session = randomBytes(24).toString('base64url');
    this.#sessions.set(session, USERS[user] as UserActor);
    return session;
  }

  /** The person behind a session header, or `null`: the management API then accepts API keys only. */
  actor(session: string | string[] | undefined): UserActor | null {
    return typeof session === 'string' ? (this.#sessions.get(session) ?? null) : null;
  }
}
