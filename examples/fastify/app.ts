// In your app: import { keywardFastify } from 'keyward/fastify';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { keywardFastify } from '../../adapters/fastify/index.js';
import type { UserActor } from '../../src/index.js';
import { adminCredential, rawHeaderValues } from '../shared/admin-auth.js';
import type { ExampleApi } from '../shared/example-api.js';
import { SESSION_HEADER } from '../shared/host-login.js';
import { EXAMPLE_REALM, errorReply, type HttpReply, notFoundReply } from '../shared/http-reply.js';
import { BODY_LIMIT_BYTES, frameworkClientError, parseJsonBody } from '../shared/request-body.js';
import { callMeta, queryOf, type RouteAuth, type RouteParams } from '../shared/route-spec.js';

/** Sends a framework-free reply (same bytes and headers as the Express app: a Buffer gets no added charset). */
function send(reply: FastifyReply, answer: HttpReply): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(Buffer.from(answer.payload));
}

/** The human an admin hook admitted, per request. */
const sessionActors = new WeakMap<FastifyRequest, UserActor>();

/** A route's `config.keyward`, or an admin route's own `onRequest` hook. */
function protection(app: FastifyInstance, api: ExampleApi, auth: RouteAuth) {
  if (auth.kind === 'public') return {};
  const keyward = {
    action: auth.action,
    resource: (req: FastifyRequest) => auth.resource(req.params as RouteParams),
  };
  if (auth.kind === 'key') return { config: { keyward } };
  const keyHook = app.keywardHook(keyward);
  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      const sessions = rawHeaderValues(request.raw.rawHeaders, SESSION_HEADER);
      const raw = { headers: request.raw.rawHeaders, url: request.url };
      const credential = adminCredential(api.login, sessions, raw, () =>
        auth.resource(request.params as RouteParams),
      );
      if (credential.kind === 'key') return keyHook(request, reply);
      if (credential.kind === 'denied') return send(reply, credential.reply);
      sessionActors.set(request, credential.actor);
    },
  };
}

/**
 * The example data platform on Fastify: every route of the shared table, protected with
 * `config.keyward` (data routes) or by a human session or an API key (admin routes).
 *
 * @example
 * ```ts
 * const app = await createFastifyApp(createExampleApi({ kw }));
 * await app.listen({ port: 3000 });
 * ```
 */
export async function createFastifyApp(api: ExampleApi): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (error, _request, reply) =>
      send(reply, errorReply(frameworkClientError(error) ?? error)),
  });
  // Bodies are read as text (only once authenticated: keyward runs in onRequest), then parsed by the shared rules.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  await app.register(keywardFastify, { keyward: api.kw, realm: EXAMPLE_REALM, limit: api.limiter?.hit });

  for (const route of api.routes) {
    app.route({
      method: route.method,
      url: route.path,
      ...protection(app, api, route.auth),
      handler: async (request, reply) => {
        const text = typeof request.body === 'string' ? request.body : undefined;
        const answer = await route.handle({
          params: request.params as RouteParams,
          query: queryOf(request.url),
          body: route.body ? parseJsonBody(request.headers['content-type'], text) : undefined,
          actor: request.keyward ?? sessionActors.get(request) ?? null,
          meta: callMeta(request.ip, request.headers['user-agent'], headerString(request, 'x-request-id')),
          origin: api.publicUrl ?? `http://${request.headers.host ?? 'localhost'}`,
        });
        return send(reply, answer);
      },
    });
  }
  app.setNotFoundHandler((_request, reply) => send(reply, notFoundReply()));
  app.setErrorHandler((error, _request, reply) =>
    send(reply, errorReply(frameworkClientError(error) ?? error)),
  );
  return app;
}

/** A header as one string (the first value), or undefined. */
function headerString(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
