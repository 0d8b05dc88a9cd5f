import {
  type Actor,
  type ApiKeyInfo,
  ERROR_CODES,
  type Keyward,
  KeywardError,
  type ServiceAccount,
} from '../../src/index.js';
import type { RouteContext, RouteParams, RouteSpec } from './route-spec.js';
import { workspaceResource } from './world.js';

/** The resource of every admin route: the workspace in the path, with its tenant. */
const byWorkspace = (params: RouteParams) => workspaceResource(params.w);

/** A management route of the admin page: a human session or a key with `action`. */
export function adminRoute(
  method: RouteSpec['method'],
  path: string,
  action: string,
  handle: RouteSpec['handle'],
  body = false,
): RouteSpec {
  return { method, path, auth: { kind: 'admin', action, resource: byWorkspace }, body, handle };
}

/** The acting human or key (admin routes always have one). */
export function actorOf(ctx: RouteContext): Actor {
  if (ctx.actor === null) throw new TypeError('admin route without an actor');
  return ctx.actor;
}

/** The account `sa` if it lives in workspace `w`; other workspaces' accounts are not found here. */
export async function accountIn(kw: Keyward, ctx: RouteContext): Promise<ServiceAccount> {
  const account = await kw.serviceAccounts.get(actorOf(ctx), { id: ctx.params.sa ?? '' });
  if (account.workspaceId !== ctx.params.w)
    throw new KeywardError(ERROR_CODES.NOT_FOUND, 'Service account not found');
  return account;
}

/** The key `k` if it lives in workspace `w`. */
export async function keyIn(kw: Keyward, ctx: RouteContext): Promise<ApiKeyInfo> {
  const key = await kw.keys.get(actorOf(ctx), { keyId: ctx.params.k ?? '' });
  if (key.workspaceId !== ctx.params.w) throw new KeywardError(ERROR_CODES.NOT_FOUND, 'API key not found');
  return key;
}

/** `limit` and `cursor` of a list query. */
export function pageQuery(query: URLSearchParams): { limit?: number; cursor?: string } {
  const page: { limit?: number; cursor?: string } = {};
  const limit = query.get('limit');
  const cursor = query.get('cursor');
  if (limit !== null) page.limit = Number(limit);
  if (cursor !== null) page.cursor = cursor;
  return page;
}

/** Optional string filters of a query. */
export function filters<K extends string>(
  query: URLSearchParams,
  names: readonly K[],
): Partial<Record<K, string>> {
  const found: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = query.get(name);
    if (value !== null) found[name] = value;
  }
  return found;
}
