import { randomBytes } from 'node:crypto';
import type { RequestResource, WorkspaceDirectory } from '../../src/entries/http.js';
import type { UserActor } from '../../src/index.js';

/** A workspace of the demo: its tenant, its name, and its datasets by id with their names. */
interface Workspace {
  readonly tenantId: string;
  readonly name: string;
  readonly datasets: Readonly<Record<string, string>>;
}

/**
 * The demo's data platform: tenants own workspaces, workspaces own datasets. A real host reads
 * this from its own database; keyward never stores it. Every resource handed to keyward is
 * looked up here from the URL, never taken from the key.
 */
const WORKSPACES: Readonly<Record<string, Workspace>> = {
  w_sales: {
    tenantId: 't_acme',
    name: 'Sales',
    datasets: { d_orders: 'Orders', d_customers: 'Customers', d_leads: 'Leads' },
  },
  w_ops: {
    tenantId: 't_acme',
    name: 'Operations',
    datasets: { d_metrics: 'Metrics', d_incidents: 'Incidents' },
  },
  w_research: { tenantId: 't_globex', name: 'Research', datasets: { d_trials: 'Trials' } },
};

/** The workspace `id`, or `undefined`. */
function workspaceOf(id: string): Workspace | undefined {
  return Object.hasOwn(WORKSPACES, id) ? WORKSPACES[id] : undefined;
}

/** The resource of a tenant-level route, or `null` (404) for an unknown tenant. */
export function tenantResource(tenantId: string): RequestResource | null {
  return Object.values(WORKSPACES).some((w) => w.tenantId === tenantId) ? { tenantId } : null;
}

/** The resource of a workspace-level route, or `null` (404): its tenant comes from the directory. */
export function workspaceResource(workspaceId: string): RequestResource | null {
  const found = workspaceOf(workspaceId);
  return found === undefined ? null : { tenantId: found.tenantId, workspaceId };
}

/** The resource of a dataset-level route, or `null` (404) unless the workspace holds the dataset. */
export function datasetResource(workspaceId: string, datasetId: string): RequestResource | null {
  const workspace = workspaceResource(workspaceId);
  const datasets = workspaceOf(workspaceId)?.datasets;
  if (workspace === null || datasets === undefined || !Object.hasOwn(datasets, datasetId)) return null;
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
  const found = workspaceOf(args.workspaceId);
  if (found === undefined || found.tenantId !== args.tenantId) return [];
  return args.datasetIds.filter((id) => Object.hasOwn(found.datasets, id));
}

/**
 * The management API's `directory`: workspaces and datasets by name for the admin page's
 * pickers, only those of the actor's tenant (keyward keeps to the actor's workspaces itself).
 */
export const demoDirectory: WorkspaceDirectory = {
  workspaces: (actor) =>
    Object.entries(WORKSPACES)
      .filter(([, workspace]) => workspace.tenantId === actor.tenantId)
      .map(([id, workspace]) => ({ id, name: workspace.name })),
  datasets: (workspaceId, actor) => {
    const found = workspaceOf(workspaceId);
    if (found === undefined || found.tenantId !== actor.tenantId) return null;
    return Object.entries(found.datasets).map(([id, name]) => ({ id, name }));
  },
};

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

/** The demo's session cookie (`HttpOnly; SameSite=Strict; Path=/`). */
export const SESSION_COOKIE = 'kw_demo_session';

/** The value of cookie `name` in a `Cookie` header, or `undefined`. */
export function cookieValue(header: string | undefined | null, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const mark = pair.indexOf('=');
    if (mark !== -1 && pair.slice(0, mark).trim() === name) return pair.slice(mark + 1).trim();
  }
  return undefined;
}

/**
 * A stand-in login: `login('alice', 'alice-demo-password')` opens a session whose id goes in the
 * `x-session` header or the `kw_demo_session` cookie. A real host has its own (OIDC, cookies,
 * SSO) and hands keyward the person as a `UserActor`; keyward never authenticates people.
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

  /** The management API's `authenticate`: the `x-session` header, else the session cookie. */
  authenticate(sessionHeader: string | string[] | undefined, cookieHeader: string | undefined | null) {
    return this.actor(sessionHeader) ?? this.actor(cookieValue(cookieHeader, SESSION_COOKIE));
  }

  /** Ends the session named by the `Cookie` header, if any. */
  logout(cookieHeader: string | undefined | null): void {
    const session = cookieValue(cookieHeader, SESSION_COOKIE);
    if (session !== undefined) this.#sessions.delete(session);
  }
}
