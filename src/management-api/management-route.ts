import type { z } from 'zod';
import type { Keyward } from '../keyward.js';
import type { Actor } from '../management/actor.js';
import type { CallMeta } from '../management/call-meta.js';
import type { RoutePattern } from './route-matching.js';
import type { WorkspaceDirectory } from './workspace-directory.js';

/** What a route's call needs: the instance, the actor, the assembled input and the audit metadata. @internal */
export interface RouteCall {
  readonly kw: Keyward;
  readonly actor: Actor;
  readonly input: never;
  readonly meta: CallMeta;
  /** The host's `endpointsBaseUrl` option (routes needing it are left out when it is absent). */
  readonly endpointsBaseUrl: ((workspaceId: string) => string) | undefined;
  /** The host's `directory` option (routes needing it are left out when it is absent). */
  readonly directory: WorkspaceDirectory | undefined;
  /**
   * Tells the host of a failure that does not fail the call (its `onBackgroundError`): a hook
   * that failed after the call's write committed. Never throws.
   */
  readonly reportError: (error: unknown) => void;
}

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

/** The OpenAPI tag a route is listed under. @internal */
export type RouteTag = 'Caller' | 'Service accounts' | 'API keys' | 'Personal keys' | 'Audit';

/**
 * One management route: method, path (`:name` segments are input fields), the permission a key
 * is verified for, where the body goes, the `kw` call it maps onto, and what the OpenAPI document
 * says of it (names, the zod schemas of its input and result, the refusals of its call).
 *
 * @internal
 */
export interface ManagementRoute extends RoutePattern {
  /** Names the operation in the OpenAPI document (`createServiceAccount`). */
  readonly operationId: string;
  /** What the route does, in a few words (the operation's `summary`). */
  readonly summary: string;
  /** The OpenAPI tag it is listed under. */
  readonly tag: RouteTag;
  /**
   * Who may call, when it is not simply "whoever holds `action`" (the OpenAPI description's first
   * sentence; by default it names `action`).
   */
  readonly caller?: string | undefined;
  /**
   * True when only a person's session may call (a key is refused `invalid_input` at `#/actor`):
   * the OpenAPI document then offers no API-key scheme for it.
   */
  readonly personOnly?: boolean | undefined;
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
  /**
   * The schema the call parses its input with: path parameters, query members and body members
   * are its fields. The OpenAPI document derives parameters and the request body from it.
   */
  readonly input: z.ZodType;
  /** How the result is answered. */
  readonly result: ResultShape;
  /** The schema of the result, whose JSON form is the body; absent when nothing is sent (204). */
  readonly output?: z.ZodType | undefined;
  /**
   * Refusals of the call beyond those any route can answer: 409 (a stale `expectedVersion`, a
   * key limit, a state that forbids the change), 422 (a value nobody may set: a role not
   * assignable to service accounts, a dataset outside the binding).
   */
  readonly refusals?: readonly (409 | 422)[] | undefined;
  /** Set on routes that exist only when `createManagementApi` has the option of that name. */
  readonly needs?: 'endpointsBaseUrl' | 'directory' | undefined;
  /** The management call. */
  readonly run: (call: RouteCall) => Promise<unknown>;
}
