import type {
  IssueKeyInput,
  Keyward,
  ListAuditInput,
  ListKeysInput,
  RegenerateKeyInput,
} from '../../src/index.js';
import { type SampleCodeInput, sampleCode } from '../../src/index.js';
import { type HttpReply, jsonReply } from './http-reply.js';
import { accountIn, actorOf, adminRoute, filters, keyIn, pageQuery } from './management-context.js';
import { objectBody } from './request-body.js';
import type { RouteContext, RouteSpec } from './route-spec.js';

/** `POST .../sample-code`: a ready-to-run snippet against the account's workspace. */
async function sampleCodeReply(kw: Keyward, ctx: RouteContext): Promise<HttpReply> {
  const account = await accountIn(kw, ctx);
  const body = objectBody(ctx.body);
  const baseUrl = `${ctx.origin}/workspaces/${account.workspaceId}`;
  const firstDataset =
    account.datasetAccess.mode === 'selected' ? account.datasetAccess.datasetIds[0] : undefined;
  const path =
    typeof body.path === 'string' ? body.path : firstDataset === undefined ? '' : `/datasets/${firstDataset}`;
  const code = sampleCode({
    language: body.language as SampleCodeInput['language'],
    token: typeof body.token === 'string' ? body.token : 'YOUR_API_KEY',
    baseUrl,
    path,
    ...(body.method === undefined ? {} : { method: body.method as SampleCodeInput['method'] }),
  });
  return jsonReply(200, { language: body.language, baseUrl, path, code });
}

/** Key routes (issue, list, regenerate, revoke), the audit trail and sample code. */
export function keyRoutes(kw: Keyward): RouteSpec[] {
  const meta = (ctx: RouteContext) => ctx.meta;
  const sa = '/workspaces/:w/service-accounts/:sa';
  return [
    adminRoute(
      'POST',
      `${sa}/keys`,
      'api_keys:manage',
      async (ctx) => {
        const { id } = await accountIn(kw, ctx);
        // The body is the caller's JSON: `kw.keys.issue` validates it (INVALID_INPUT otherwise).
        const input = { serviceAccountId: id, key: objectBody(ctx.body) } as unknown as IssueKeyInput;
        return jsonReply(201, await kw.keys.issue(actorOf(ctx), input, meta(ctx)));
      },
      true,
    ),
    adminRoute('GET', `${sa}/keys`, 'service_accounts:read', async (ctx) => {
      const { id } = await accountIn(kw, ctx);
      const input = { serviceAccountId: id, ...pageQuery(ctx.query) } as ListKeysInput;
      return jsonReply(200, await kw.keys.list(actorOf(ctx), input));
    }),
    adminRoute(
      'POST',
      '/workspaces/:w/keys/:k/regenerate',
      'api_keys:manage',
      async (ctx) => {
        const key = await keyIn(kw, ctx);
        const input = { ...objectBody(ctx.body), keyId: key.id } as RegenerateKeyInput;
        return jsonReply(200, await kw.keys.regenerate(actorOf(ctx), input, meta(ctx)));
      },
      true,
    ),
    adminRoute('POST', '/workspaces/:w/keys/:k/revoke', 'api_keys:manage', async (ctx) => {
      const key = await keyIn(kw, ctx);
      return jsonReply(200, await kw.keys.revoke(actorOf(ctx), { keyId: key.id }, meta(ctx)));
    }),
    adminRoute('GET', '/workspaces/:w/audit', 'service_accounts:read', async (ctx) => {
      const input = {
        workspaceId: ctx.params.w,
        ...filters(ctx.query, ['targetId', 'action']),
        ...pageQuery(ctx.query),
      };
      return jsonReply(200, await kw.audit.list(actorOf(ctx), input as ListAuditInput));
    }),
    adminRoute('POST', `${sa}/sample-code`, 'service_accounts:read', (ctx) => sampleCodeReply(kw, ctx), true),
  ];
}
