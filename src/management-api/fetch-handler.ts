import { readLimitedWebBody } from '../http/web-body.js';
import type { Keyward } from '../keyward.js';
import { createManagementApi } from './management-api.js';
import type { ManagementApi, ManagementApiOptions, ManagementResponse } from './management-request.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { responseBody } from './response-body.js';

/** Options of {@link managementFetchHandler}: the API's, plus where the client address comes from. */
export interface ManagementFetchOptions extends ManagementApiOptions<Request> {
  /**
   * The client address of a request, for the audit trail (a Web `Request` does not carry one:
   * Hono's `getConnInfo`, Bun's `server.requestIP`, Cloudflare's `CF-Connecting-IP` behind your
   * own trust decision). Default: none recorded.
   */
  clientAddress?: ((request: Request) => string | undefined) | undefined;
}

/** A Web-standard request handler: Hono, Bun, Deno, Cloudflare Workers, Next.js route handlers. */
export type ManagementFetchHandler = ((request: Request) => Promise<Response>) & {
  /** The API it serves (its OpenAPI document, its base path). */
  readonly api: ManagementApi<Request>;
};

/**
 * A Web `Response` of a management answer: `JSON.stringify(body)`, or the bytes of a
 * `Uint8Array` body as they are (the admin page's files); the same bytes as every mount.
 */
export function toWebResponse(answer: ManagementResponse): Response {
  const body = responseBody(answer.body);
  return new Response(body === undefined ? null : (body as BodyInit), {
    status: answer.status,
    headers: answer.headers,
  });
}

/**
 * The management API as a Web-standard `(request: Request) => Promise<Response>` handler, for
 * every runtime that speaks `fetch`: Hono, Bun, Deno, Cloudflare Workers, Next.js route handlers.
 * `authenticate` receives the framework-free request; its `raw` is the Web `Request`, so cookies
 * and headers are read the usual way. Options are checked here (a bad one throws `TypeError`).
 *
 * @example
 * ```ts
 * const handler = managementFetchHandler(kw, {
 *   basePath: '/api/keyward',
 *   authenticate: async (req) => sessionActor(req.raw?.headers.get('cookie')),
 * });
 * // Next.js: export { handler as GET, handler as POST, handler as PATCH, handler as PUT, handler as DELETE };
 * // Bun: Bun.serve({ fetch: handler });
 * ```
 */
export function managementFetchHandler<A extends string, R extends string>(
  kw: Keyward<A, R>,
  options: ManagementFetchOptions,
): ManagementFetchHandler {
  const clientAddress = options.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== 'function') {
    throw new TypeError('keyward: clientAddress must be a function (request) => string | undefined');
  }
  const api = createManagementApi<Request, A, R>(kw, options);
  const limit = (options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) + 1;
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const answer = await api.handle({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: request.headers,
      body: await readLimitedWebBody(request, limit),
      ip: clientAddress?.(request),
      raw: request,
    });
    return toWebResponse(answer);
  };
  return Object.assign(handler, { api });
}
