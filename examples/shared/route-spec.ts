import type { RequestResource } from '../../src/entries/http.js';
import type { Actor, CallMeta } from '../../src/index.js';
import type { HttpReply } from './http-reply.js';

/** Path parameters of a route, by name. */
export type RouteParams = Readonly<Record<string, string | undefined>>;

/**
 * Who may call a route:
 * - `public`: anyone (the login);
 * - `key`: an API key allowed to perform `action` on `resource(params)`;
 * - `admin`: a logged-in human of the resource's tenant (the admin page), or an API key allowed
 *   as for `key` (a key acting within its own rights). keyward re-checks the actor's rights in
 *   every management call.
 */
export type RouteAuth =
  | { readonly kind: 'public' }
  | {
      readonly kind: 'key' | 'admin';
      readonly action: string;
      readonly resource: (params: RouteParams) => RequestResource | null;
    };

/** What a handler receives, the same from both frameworks. */
export interface RouteContext {
  readonly params: RouteParams;
  readonly query: URLSearchParams;
  /** The parsed JSON body, `undefined` when there is none. */
  readonly body: unknown;
  /** The verified key (`key` routes) or the human / key acting (`admin` routes); `null` on `public`. */
  readonly actor: Actor | null;
  /** Request facts for keyward's audit trail. */
  readonly meta: CallMeta;
  /** The public base URL of the API, for sample code. */
  readonly origin: string;
}

/** One route of the example API, wired identically by both apps. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An Express / Fastify path pattern, e.g. `/workspaces/:w/datasets/:d`. */
  readonly path: string;
  readonly auth: RouteAuth;
  /** Whether the route reads a JSON body (parsed only after authentication). */
  readonly body: boolean;
  readonly handle: (ctx: RouteContext) => HttpReply | Promise<HttpReply>;
}

/** What keyward refuses in audit metadata (`PLAIN_TEXT`): controls, bidi / format characters, separators. */
const NOT_PLAIN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * A header value as keyward accepts it in the audit trail: HTTP allows tabs and obs-text bytes
 * (which decode to C1 controls), keyward does not: they become U+FFFD (after the cut to `max`,
 * so a surrogate pair split by the cut is caught too).
 */
function plainHeader(value: string, max: number): string {
  return value.slice(0, max).replace(NOT_PLAIN, '\uFFFD');
}

/** Request facts for the audit trail, made plain and cut to the lengths keyward accepts. */
export function callMeta(
  ip: string | undefined,
  userAgent: string | undefined,
  requestId: string | undefined,
): CallMeta {
  const request: { ip?: string; userAgent?: string; requestId?: string } = {};
  if (ip !== undefined) request.ip = plainHeader(ip, 64);
  if (userAgent !== undefined) request.userAgent = plainHeader(userAgent, 512);
  if (requestId !== undefined) request.requestId = plainHeader(requestId, 128);
  return { request };
}

/** The query string of a request target, as `URLSearchParams`. */
export function queryOf(url: string): URLSearchParams {
  const start = url.indexOf('?');
  return new URLSearchParams(start === -1 ? '' : url.slice(start + 1));
}
