import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
} from 'fastify';
import {
  type Awaitable,
  createManagementApi,
  type ManagementApi,
  type ManagementApiOptions,
  type RateLimitVerdict,
} from '../../src/entries/http.js';
import type { Keyward } from '../../src/keyward.js';
import type { Actor } from '../../src/management/actor.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/management-api/request-body.js';
import { responseBody } from '../../src/management-api/response-body.js';
import { readLimitedBody } from '../node/request-body.js';
import { managementRouteSchemas } from './management-route-schemas.js';

/**
 * Finds the person a Fastify request acts for, from the host's session or JWT: an
 * {@link Actor}, or `null` when there is none (the request may still act with an API key).
 */
export type FastifyAuthenticateHook = (request: FastifyRequest) => Awaitable<Actor | null | undefined>;

/**
 * A host rate limiter for management calls, asked once the actor is known (person or key);
 * `{ limited: true, retryAfterSeconds }` answers 429 with `Retry-After`.
 */
export type FastifyManagementLimitHook = (
  actor: Actor,
  request: FastifyRequest,
) => Awaitable<RateLimitVerdict>;

/** Options of {@link keywardManagement}: the management API's, with hooks that receive the Fastify request. */
export interface KeywardManagementOptions
  extends Omit<ManagementApiOptions<FastifyRequest>, 'authenticate' | 'limit'> {
  /** The keyward instance. */
  keyward: Keyward;
  /** See {@link FastifyAuthenticateHook}. */
  authenticate: FastifyAuthenticateHook;
  /** See {@link FastifyManagementLimitHook}. */
  limit?: FastifyManagementLimitHook | undefined;
}

/** Methods whose requests carry no body under the Fetch API: ignored on every mount alike. */
const BODYLESS = new Set(['GET', 'HEAD']);

/** Fastify's refusal of a malformed `content-type`, answered by the API's own 415 instead. */
const INVALID_MEDIA_TYPE = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';

/** The base path relative to the prefix of the plugin's context (`register(..., { prefix })`). */
function relativeBase(prefix: string, base: string): string {
  if (prefix === '' || prefix === '/') return base;
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (base !== trimmed && !base.startsWith(`${trimmed}/`)) {
    throw new TypeError(
      `keyward: basePath is the full path and must start with the plugin's prefix ${JSON.stringify(trimmed)}`,
    );
  }
  return base.slice(trimmed.length);
}

/** The API's options with the Fastify hooks adapted (hooks that are not functions go on as they are, to be refused). */
function apiOptions(options: KeywardManagementOptions): ManagementApiOptions<FastifyRequest> {
  const { authenticate, limit } = options;
  return {
    ...options,
    authenticate:
      typeof authenticate === 'function'
        ? (request) => authenticate(request.raw as FastifyRequest)
        : authenticate,
    limit:
      typeof limit === 'function' ? (actor, request) => limit(actor, request.raw as FastifyRequest) : limit,
  };
}

/** Answers `request` with the API, sending a Buffer so Fastify keeps the media type and bytes as given. */
async function answer(
  api: ManagementApi<FastifyRequest>,
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
): Promise<FastifyReply> {
  const response = await api.handle({
    method: request.method,
    path: request.url,
    headers: request.raw.rawHeaders,
    body,
    ip: request.ip,
    raw: request,
  });
  reply.code(response.status).headers(response.headers);
  const sent = responseBody(response.body);
  if (sent === undefined) return reply.send();
  return reply.send(
    typeof sent === 'string' ? Buffer.from(sent) : Buffer.from(sent.buffer, sent.byteOffset, sent.byteLength),
  );
}

/**
 * The management plugin: one route per API route (with its schema, for documentation tools), a
 * catch-all under the base path, and the API's own body rules, all inside the plugin's context.
 */
async function keywardManagementPlugin(
  fastify: FastifyInstance,
  options: KeywardManagementOptions,
): Promise<void> {
  if (options === null || typeof options !== 'object' || typeof options.keyward !== 'object') {
    throw new TypeError('keyward: keywardManagement needs options { keyward, authenticate, basePath? }');
  }
  const api = createManagementApi<FastifyRequest>(options.keyward, apiOptions(options));
  const base = relativeBase(fastify.prefix, api.basePath);
  const bodyLimit = (options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) + 1;
  const bodyOf = async (request: FastifyRequest): Promise<unknown> => {
    if (BODYLESS.has(request.method)) return undefined;
    // The catch-all parser below ran for every body with a content-type; else read it here.
    return request.body !== undefined ? request.body : readLimitedBody(request.raw, bodyLimit);
  };

  // Validation and serialisation stay in the API: the schemas only describe the routes.
  fastify.setValidatorCompiler(() => () => true);
  fastify.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Every body arrives raw, capped one byte past the limit, so the API answers 413 and 415 itself.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, payload, done) => {
    readLimitedBody(payload, bodyLimit).then(
      (bytes) => done(null, bytes),
      (error: Error) => done(error, undefined),
    );
  });
  fastify.setErrorHandler(async (error: FastifyError, request, reply) => {
    // Fastify refuses a malformed content-type before any parser: the body is still unread.
    if (error.code === INVALID_MEDIA_TYPE) return answer(api, request, reply, await bodyOf(request));
    throw error;
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) =>
    answer(api, request, reply, await bodyOf(request));
  for (const route of managementRouteSchemas(api)) {
    fastify.route({
      method: route.method as HTTPMethods,
      url: `${base}${route.path}`,
      schema: route.schema,
      exposeHeadRoute: false,
      handler,
    });
  }
  // Unknown paths and methods under the base path get the API's 404 and 405, not Fastify's.
  fastify.all(base === '' ? '/' : base, handler);
  fastify.all(`${base}/*`, handler);
}

/**
 * keyward's management API (service accounts, keys, audit; see `createManagementApi` in
 * `keyward/http`) as a Fastify 5 plugin serving every route under `basePath`, the full path.
 * Each route is registered with its schema from the OpenAPI document (for `@fastify/swagger` and
 * other documentation tools); validation, body parsing (JSON only, `maxBodyBytes`) and
 * serialisation stay the API's, inside the plugin's own context, so the answers are the same bytes
 * as under every other mount and the host's parsers and compilers are untouched. Unknown paths
 * and methods under `basePath` get the API's 404 and 405. `authenticate(request)` finds the
 * person from the host's session; a request without one may act with a keyward API key. The
 * client address is `request.ip` (Fastify's `trustProxy` applies). What the hooks throw goes to
 * the host's error handler. Options are checked when it is registered: a bad one throws `TypeError`.
 *
 * The plugin is encapsulated (not wrapped with `fastify-plugin`): register it as it is.
 *
 * @example
 * ```ts
 * await app.register(keywardManagement, {
 *   keyward: kw,
 *   basePath: '/api/keyward',
 *   authenticate: (request) => sessions.actor(request.headers['x-session']),
 * });
 * ```
 */
export const keywardManagement: FastifyPluginAsync<KeywardManagementOptions> = keywardManagementPlugin;
