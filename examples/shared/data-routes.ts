import type { PlatformData } from './platform-data.js';
import type { RouteParams, RouteSpec } from './route-spec.js';
import { datasetResource, tenantResource, workspaceResource } from './world.js';

const byTenant = (params: RouteParams) => tenantResource(params.t);
const byWorkspace = (params: RouteParams) => workspaceResource(params.w);
const byDataset = (params: RouteParams) => datasetResource(params.w, params.d);

/** A key-protected route: `action` on the resource the directory resolves. */
function keyRoute(
  method: RouteSpec['method'],
  path: string,
  action: string,
  resource: (params: RouteParams) => ReturnType<typeof byDataset>,
  handle: RouteSpec['handle'],
  body = false,
): RouteSpec {
  return { method, path, auth: { kind: 'key', action, resource }, body, handle };
}

/**
 * The data platform's API, protected route by route. Each route names the permission it needs;
 * the resource comes from the directory (the workspace's tenant, the dataset's workspace).
 */
export function dataRoutes(data: PlatformData): RouteSpec[] {
  const p = (ctx: { params: RouteParams }, name: string): string => ctx.params[name] ?? '';
  return [
    keyRoute('GET', '/tenants/:t/workspaces', 'tenant.workspaces:list', byTenant, (ctx) =>
      data.workspaces(p(ctx, 't')),
    ),
    keyRoute('GET', '/tenants/:t/users/roles', 'tenant.users.roles:read', byTenant, (ctx) =>
      data.tenantUserRoles(p(ctx, 't')),
    ),
    keyRoute('GET', '/workspaces/:w', 'workspace:read', byWorkspace, (ctx) => data.workspace(p(ctx, 'w'))),
    keyRoute(
      'POST',
      '/workspaces/:w/ingest',
      'workspace:ingest',
      byWorkspace,
      (ctx) => data.ingest(p(ctx, 'w'), ctx.body),
      true,
    ),
    keyRoute('GET', '/workspaces/:w/schemas', 'workspace.schemas:read', byWorkspace, (ctx) =>
      data.schemas(p(ctx, 'w')),
    ),
    keyRoute('GET', '/workspaces/:w/ledger', 'workspace.ledger:read', byWorkspace, (ctx) =>
      data.ledger(p(ctx, 'w')),
    ),
    keyRoute('GET', '/workspaces/:w/users/roles', 'workspace.users.roles:read', byWorkspace, (ctx) =>
      data.workspaceUserRoles(p(ctx, 'w')),
    ),
    keyRoute('GET', '/workspaces/:w/datasets/:d', 'datasets:read', byDataset, (ctx) =>
      data.dataset(p(ctx, 'w'), p(ctx, 'd')),
    ),
    keyRoute(
      'PUT',
      '/workspaces/:w/datasets/:d',
      'datasets:write',
      byDataset,
      (ctx) => data.replaceDataset(p(ctx, 'w'), p(ctx, 'd'), ctx.body),
      true,
    ),
  ];
}
