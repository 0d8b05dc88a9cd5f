import type {
  ChangeDatasetsInput,
  CreateServiceAccountInput,
  Keyward,
  ListServiceAccountsInput,
  SetDatasetAccessInput,
  UpdateServiceAccountInput,
} from '../../src/index.js';
import { jsonReply, noContentReply } from './http-reply.js';
import { keyRoutes } from './key-routes.js';
import { accountIn, actorOf, adminRoute, filters, pageQuery } from './management-context.js';
import { objectBody } from './request-body.js';
import type { RouteContext, RouteSpec } from './route-spec.js';

/** Service-account routes: create, list, read, update, dataset grants, disable / enable, delete. */
function accountRoutes(kw: Keyward): RouteSpec[] {
  const meta = (ctx: RouteContext) => ctx.meta;
  const sa = '/workspaces/:w/service-accounts/:sa';
  return [
    adminRoute(
      'POST',
      '/workspaces/:w/service-accounts',
      'service_accounts:manage',
      async (ctx) => {
        const input = { ...objectBody(ctx.body), workspaceId: ctx.params.w } as CreateServiceAccountInput;
        return jsonReply(201, await kw.serviceAccounts.create(actorOf(ctx), input, meta(ctx)));
      },
      true,
    ),
    adminRoute('GET', '/workspaces/:w/service-accounts', 'service_accounts:read', async (ctx) => {
      const input = { workspaceId: ctx.params.w, ...filters(ctx.query, ['status']), ...pageQuery(ctx.query) };
      return jsonReply(200, await kw.serviceAccounts.list(actorOf(ctx), input as ListServiceAccountsInput));
    }),
    adminRoute('GET', sa, 'service_accounts:read', async (ctx) => jsonReply(200, await accountIn(kw, ctx))),
    adminRoute(
      'PATCH',
      sa,
      'service_accounts:manage',
      async (ctx) => {
        const { id } = await accountIn(kw, ctx);
        const input = { ...objectBody(ctx.body), id } as UpdateServiceAccountInput;
        return jsonReply(200, await kw.serviceAccounts.update(actorOf(ctx), input, meta(ctx)));
      },
      true,
    ),
    adminRoute(
      'PUT',
      `${sa}/datasets`,
      'service_accounts:manage',
      async (ctx) => {
        const { id } = await accountIn(kw, ctx);
        const input = { ...objectBody(ctx.body), id } as SetDatasetAccessInput;
        return jsonReply(200, await kw.serviceAccounts.setDatasetAccess(actorOf(ctx), input, meta(ctx)));
      },
      true,
    ),
    ...(['grant', 'revoke'] as const).map((change) =>
      adminRoute(
        'POST',
        `${sa}/datasets/${change}`,
        'service_accounts:manage',
        async (ctx) => {
          const { id } = await accountIn(kw, ctx);
          const input = { ...objectBody(ctx.body), id } as ChangeDatasetsInput;
          const api = kw.serviceAccounts;
          const account =
            change === 'grant'
              ? await api.grantDatasets(actorOf(ctx), input, meta(ctx))
              : await api.revokeDatasets(actorOf(ctx), input, meta(ctx));
          return jsonReply(200, account);
        },
        true,
      ),
    ),
    ...(['disable', 'enable'] as const).map((change) =>
      adminRoute('POST', `${sa}/${change}`, 'service_accounts:manage', async (ctx) => {
        const { id } = await accountIn(kw, ctx);
        return jsonReply(200, await kw.serviceAccounts[change](actorOf(ctx), { id }, meta(ctx)));
      }),
    ),
    adminRoute('DELETE', sa, 'service_accounts:manage', async (ctx) => {
      const { id } = await accountIn(kw, ctx);
      await kw.serviceAccounts.delete(actorOf(ctx), { id }, meta(ctx));
      return noContentReply();
    }),
  ];
}

/**
 * The management API an admin page calls, scoped by workspace: service accounts, keys, the audit
 * trail and sample code. Request bodies go to keyward as they came (the casts below only name the
 * input type: keyward validates every input and answers 400 with every issue); ids in the path
 * win over the body.
 */
export function managementRoutes(kw: Keyward): RouteSpec[] {
  return [...accountRoutes(kw), ...keyRoutes(kw)];
}
