import { z } from 'zod';
import type { ServiceAccount } from '../entities/service-account.js';
import { parseInput } from '../errors/parse-input.js';
import { sampleCode, sampleCodeInputSchema } from '../http/sample-code.js';
import type { Keyward } from '../keyward.js';
import type { Actor } from '../management/actor.js';
import type { CallMeta } from '../management/call-meta.js';
import type { RoutePattern } from './route-matching.js';

/** What a route's call needs: the instance, the actor, the assembled input and the audit metadata. @internal */
export interface RouteCall {
  readonly kw: Keyward;
  readonly actor: Actor;
  readonly input: never;
  readonly meta: CallMeta;
  /** The host's `endpointsBaseUrl` option (routes needing it are left out when it is absent). */
  readonly endpointsBaseUrl: ((workspaceId: string) => string) | undefined;
}

/**
 * Stands for the secret in sample code: the secret exists only in the create, issue and
 * regenerate answers, so every other sample shows this placeholder instead. @internal
 */
export const SAMPLE_TOKEN_PLACEHOLDER = 'YOUR_API_KEY';

/** How a route's result is answered. @internal */
export type ResultShape =
  | 'plain'
  /** A service account: `ETag` of its version. */
  | 'account'
  /** `{ account, key? }` of a create: 201, `ETag`, `Location`. */
  | 'created_account'
  /** `{ key, token }` of an issue: 201, `Location`. */
  | 'issued_key'
  /** Nothing to send: 204. */
  | 'empty';

/**
 * One management route: method, path (`:name` segments are input fields), the permission a key
 * is verified for, where the body goes, and the `kw` call it maps onto.
 *
 * @internal
 */
export interface ManagementRoute extends RoutePattern {
  /** The permission a key acting on this route must hold (the call authorizes again). */
  readonly action: 'service_accounts:read' | 'service_accounts:manage' | 'api_keys:manage';
  /**
   * The body: `'none'` (a body is refused), `'input'` (its members are input fields), or the
   * input field it becomes (`'key'`: the body of an issue is the new key).
   */
  readonly body: 'none' | 'input' | 'key';
  /** True when the query string holds input fields (list routes). */
  readonly query?: boolean | undefined;
  /** True on account writes: `If-Match` becomes the input's `expectedVersion`. */
  readonly ifMatch?: boolean | undefined;
  /** How the result is answered. */
  readonly result: ResultShape;
  /** Set on routes that exist only when `createManagementApi` has the option of that name. */
  readonly needs?: 'endpointsBaseUrl' | undefined;
  /** The management call. */
  readonly run: (call: RouteCall) => Promise<unknown>;
}

const READ = 'service_accounts:read';
const MANAGE = 'service_accounts:manage';
const KEYS = 'api_keys:manage';
const ACCOUNT = '/service-accounts/:id';

/**
 * Every management route, each a thin mapping onto `kw.serviceAccounts`, `kw.keys` or `kw.audit`.
 * Validation stays in those calls: path parameters, query and body are merged into their input.
 *
 * @internal
 */
export const MANAGEMENT_ROUTES: readonly ManagementRoute[] = [
  {
    method: 'POST',
    path: '/service-accounts',
    action: MANAGE,
    body: 'input',
    result: 'created_account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.create(actor, input, meta),
  },
  {
    method: 'GET',
    path: '/service-accounts',
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    run: ({ kw, actor, input }) => kw.serviceAccounts.list(actor, input),
  },
  {
    method: 'GET',
    path: ACCOUNT,
    action: READ,
    body: 'none',
    result: 'account',
    run: ({ kw, actor, input }) => kw.serviceAccounts.get(actor, input),
  },
  {
    method: 'GET',
    path: `${ACCOUNT}/sample-code`,
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    needs: 'endpointsBaseUrl',
    run: (call) => accountSampleCode(call),
  },
  {
    method: 'GET',
    path: '/catalog',
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    run: ({ kw, actor, input }) => kw.serviceAccounts.catalog(actor, input),
  },
  {
    method: 'PATCH',
    path: ACCOUNT,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.update(actor, input, meta),
  },
  {
    method: 'DELETE',
    path: ACCOUNT,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'empty',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.delete(actor, input, meta),
  },
  {
    method: 'PUT',
    path: `${ACCOUNT}/datasets`,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.setDatasetAccess(actor, input, meta),
  },
  {
    method: 'POST',
    path: `${ACCOUNT}/datasets/grant`,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.grantDatasets(actor, input, meta),
  },
  {
    method: 'POST',
    path: `${ACCOUNT}/datasets/revoke`,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.revokeDatasets(actor, input, meta),
  },
  {
    method: 'POST',
    path: `${ACCOUNT}/disable`,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.disable(actor, input, meta),
  },
  {
    method: 'POST',
    path: `${ACCOUNT}/enable`,
    action: MANAGE,
    body: 'input',
    ifMatch: true,
    result: 'account',
    run: ({ kw, actor, input, meta }) => kw.serviceAccounts.enable(actor, input, meta),
  },
  {
    method: 'POST',
    path: '/service-accounts/:serviceAccountId/keys',
    action: KEYS,
    body: 'key',
    result: 'issued_key',
    run: ({ kw, actor, input, meta }) => kw.keys.issue(actor, input, meta),
  },
  {
    method: 'GET',
    path: '/service-accounts/:serviceAccountId/keys',
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    run: ({ kw, actor, input }) => kw.keys.list(actor, input),
  },
  {
    method: 'GET',
    path: '/keys/:keyId',
    action: READ,
    body: 'none',
    result: 'plain',
    run: ({ kw, actor, input }) => kw.keys.get(actor, input),
  },
  {
    method: 'POST',
    path: '/keys/:keyId/regenerate',
    action: KEYS,
    body: 'input',
    result: 'plain',
    run: ({ kw, actor, input, meta }) => kw.keys.regenerate(actor, input, meta),
  },
  {
    method: 'POST',
    path: '/keys/:keyId/revoke',
    action: KEYS,
    body: 'input',
    result: 'plain',
    run: ({ kw, actor, input, meta }) => kw.keys.revoke(actor, input, meta),
  },
  {
    method: 'GET',
    path: '/audit',
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    run: ({ kw, actor, input }) => kw.audit.list(actor, input),
  },
  {
    method: 'GET',
    path: '/audit/follow',
    action: READ,
    body: 'none',
    query: true,
    result: 'plain',
    run: ({ kw, actor, input }) => kw.audit.follow(actor, input),
  },
];

/** The account a result of `shape` carries, for its `ETag`. @internal */
export function accountOf(shape: ResultShape, result: unknown): ServiceAccount | undefined {
  if (shape === 'account') return result as ServiceAccount;
  if (shape === 'created_account') return (result as { account: ServiceAccount }).account;
  return undefined;
}

/** Input of the sample-code route: the account, the language, and the path and method called. */
const sampleCodeRouteSchema = sampleCodeInputSchema
  .pick({ language: true, path: true, method: true })
  .extend({ id: z.string() });

/**
 * Sample code calling the endpoints of an account's workspace (`kw.serviceAccounts.get`, so
 * tenant-scoped and `service_accounts:read`), with {@link SAMPLE_TOKEN_PLACEHOLDER} for the
 * secret. Other query members (a `token`, a `baseUrl`) are refused as `INVALID_INPUT`.
 */
async function accountSampleCode({ kw, actor, input, endpointsBaseUrl }: RouteCall) {
  const { id, ...rest } = parseInput(sampleCodeRouteSchema, input, 'sample code request');
  const account = await kw.serviceAccounts.get(actor, { id });
  const baseUrl = (endpointsBaseUrl as (workspaceId: string) => string)(account.workspaceId);
  if (typeof baseUrl !== 'string' || !URL.canParse(baseUrl)) {
    throw new TypeError('keyward: endpointsBaseUrl must return an absolute http(s) URL');
  }
  const code = sampleCode({ ...rest, token: SAMPLE_TOKEN_PLACEHOLDER, baseUrl });
  return { language: rest.language, baseUrl, code };
}
