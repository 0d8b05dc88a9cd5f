import type { Awaitable, RateLimitVerdict } from '../http/api-key-guard.js';
import type { CredentialExtractionOptions } from '../http/credential-extraction.js';
import type { FailedVerificationThrottleOptions } from '../http/failed-verification-throttle.js';
import type { HeaderSource } from '../http/header-source.js';
import type { Actor } from '../management/actor.js';
import type { AdminPageOptions } from './admin-page/admin-page-options.js';
import type { OpenApiDocument } from './openapi/openapi-types.js';
import type { WorkspaceDirectory } from './workspace-directory.js';

/**
 * One HTTP request to the management API, in framework-free terms. A mount fills it from its
 * framework's request.
 *
 * `body` is preferably the raw bytes or text (`string` or `Uint8Array`): the API then checks the
 * size limit and parses the JSON itself, the same way under every framework. A value the
 * framework already parsed is accepted too; its size is then measured as its JSON text.
 * `undefined`, `''` and an empty array of bytes mean "no body".
 *
 * `Raw` is the framework's own request (`raw`), handed to the host's hooks so they can read
 * their session the way they always do.
 */
export interface ManagementRequest<Raw = unknown> {
  /** The HTTP method, any case (`GET`, `POST`, `PATCH`, `PUT`, `DELETE`). */
  method: string;
  /** The URL pathname and search (`/service-accounts?limit=10`), including the base path. */
  path: string;
  /** The request headers: a plain record, a Web `Headers` or Node's `rawHeaders`. */
  headers: HeaderSource;
  /** The body: raw (`string` / `Uint8Array`, preferred) or already-parsed JSON; `undefined` when none. */
  body?: unknown;
  /** The client address, recorded in the audit trail. */
  ip?: string | undefined;
  /** The framework's request this one was made from (Express `req`, Fastify `request`, a Web `Request`). */
  raw?: Raw | undefined;
}

/**
 * What the management API answers: a status, lowercase headers (always `cache-control`;
 * `content-type` when there is a body) and a body: JSON-serialisable data, a `Uint8Array` (the
 * admin page's files, sent as they are), or `null` when there is none (204, 304, HEAD). Mounts
 * send `JSON.stringify(body)` for data, so every framework answers the same bytes.
 */
export interface ManagementResponse {
  /** The HTTP status. */
  status: number;
  /** Lowercase header names and their values. */
  headers: Record<string, string>;
  /** JSON-serialisable data, bytes sent as they are, or `null` for no body. */
  body: unknown;
}

/**
 * The host's hook that finds who a request acts for (a person, from the host's session or JWT):
 * an {@link Actor}, or `null` when the request carries no session. A request without an actor
 * may still act with a keyward API key (`Authorization: Bearer` or `x-api-key`).
 */
export type AuthenticateHook<Raw = unknown> = (
  request: ManagementRequest<Raw>,
) => Awaitable<Actor | null | undefined>;

/**
 * A host rate limiter for management calls, asked once the actor is known (person or key):
 * `{ limited: true, retryAfterSeconds }` answers 429 with `Retry-After`, before any storage work.
 */
export type ManagementLimitHook<Raw = unknown> = (
  actor: Actor,
  request: ManagementRequest<Raw>,
) => Awaitable<RateLimitVerdict>;

/** Options of `createManagementApi` (and of every mount), validated when it is built. */
export interface ManagementApiOptions<Raw = unknown> extends CredentialExtractionOptions {
  /** Finds the person a request acts for; see {@link AuthenticateHook}. */
  authenticate: AuthenticateHook<Raw>;
  /** See {@link ManagementLimitHook}. */
  limit?: ManagementLimitHook<Raw> | undefined;
  /**
   * The budget of failed API-key verifications per client address (`ip` of the request), as the
   * request guard's option of the same name: default 100 per minute, `false` to turn it off.
   */
  failedVerificationThrottle?: FailedVerificationThrottleOptions | false | undefined;
  /** Where the API is mounted, e.g. `/api/keyward` (default: the root). */
  basePath?: string | undefined;
  /** Largest accepted body in bytes; default 65536 (64 KiB). */
  maxBodyBytes?: number | undefined;
  /**
   * Origins other than the API's own whose pages may make writes (POST, PUT, PATCH, DELETE) with
   * the browser's cookies, e.g. `['https://admin.acme.test']`: each exactly as browsers send it in
   * `Origin` (scheme, host, port; no path, no trailing slash). Any other browser write from
   * another origin is refused 403 `cross_site_request` (CSRF), as is `Origin: null`. Behind a
   * proxy that rewrites `Host`, list the public origin here for browsers that do not send
   * `Sec-Fetch-Site`. Default: none.
   */
  trustedOrigins?: readonly string[] | undefined;
  /** The `realm` of `WWW-Authenticate` challenges; default `'api'`. */
  realm?: string | undefined;
  /**
   * The base URL of a workspace's endpoints (`https://api.acme.com/workspaces/w_1`), for
   * `GET /service-accounts/:id/sample-code`. Without it that route does not exist (404
   * `not_found`, like any unknown path).
   */
  endpointsBaseUrl?: ((workspaceId: string) => string) | undefined;
  /**
   * Serves the API management page under `<basePath>/ui/` (off by default: those paths are then
   * 404 like any unknown path). `true` for the defaults, or {@link AdminPageOptions}. The page
   * holds no data and is served to anyone, with a strict Content-Security-Policy; every API call
   * it makes is authenticated as usual (the host's session cookie, on the same origin). Its
   * prebuilt files are read once, here: a missing build throws `TypeError`.
   */
  adminPage?: boolean | AdminPageOptions | undefined;
  /**
   * The host's workspaces and datasets by name, for pickers such as the admin page's. With it,
   * `GET /workspaces` and `GET /workspaces/:workspaceId/datasets` exist; without, they are 404.
   * See {@link WorkspaceDirectory}.
   */
  directory?: WorkspaceDirectory | undefined;
}

/** The management API with its options applied. */
export interface ManagementApi<Raw = unknown> {
  /**
   * Answers one request: every refusal and every failure of a call is a problem response. Throws
   * only what the host's `authenticate` and `limit` hooks throw, for the framework's error handling.
   */
  handle(request: ManagementRequest<Raw>): Promise<ManagementResponse>;
  /** The OpenAPI 3.1 document of these routes (also served at `GET <basePath>/openapi.json`). */
  readonly openapi: OpenApiDocument;
  /** The base path the routes are served under (`''` for the root), without a trailing slash. */
  readonly basePath: string;
}
