// In your app: import { keywardExpress } from 'keyward/express';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { keywardExpress } from '../../adapters/express/index.js';
import type { UserActor } from '../../src/index.js';
import { adminCredential, rawHeaderValues } from '../shared/admin-auth.js';
import type { ExampleApi } from '../shared/example-api.js';
import { SESSION_HEADER } from '../shared/host-login.js';
import { EXAMPLE_REALM, errorReply, type HttpReply, notFoundReply } from '../shared/http-reply.js';
import { BODY_LIMIT_BYTES, frameworkClientError, parseJsonBody } from '../shared/request-body.js';
import { callMeta, queryOf, type RouteAuth, type RouteParams, type RouteSpec } from '../shared/route-spec.js';

/** Sends a framework-free reply with Node's own API (same bytes as the Fastify app). */
function send(res: Response, reply: HttpReply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.end(reply.payload);
}

/** Path parameters as plain strings (Express 5 types wildcard parameters as arrays). */
function paramsOf(req: Request): RouteParams {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.params)) if (typeof value === 'string') params[name] = value;
  return params;
}

/** The human a session middleware admitted, kept in `res.locals`. */
function sessionActor(res: Response): UserActor | null {
  return (res.locals.actor as UserActor | undefined) ?? null;
}

/**
 * The example data platform on Express: every route of the shared table, protected by
 * `requireApiKey` (data routes) or by a human session or an API key (admin routes).
 *
 * @example
 * ```ts
 * const app = createExpressApp(createExampleApi({ kw }));
 * app.listen(3000);
 * ```
 */
export function createExpressApp(api: ExampleApi): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  const { requireApiKey } = keywardExpress(api.kw, { realm: EXAMPLE_REALM, limit: api.limiter?.hit });
  // Bodies are read as text after authentication, then parsed by the shared rules.
  const readBody = express.text({ type: () => true, limit: BODY_LIMIT_BYTES });

  function authenticate(auth: Exclude<RouteAuth, { kind: 'public' }>): RequestHandler {
    const keyAuth = requireApiKey({ action: auth.action, resource: (req) => auth.resource(paramsOf(req)) });
    if (auth.kind === 'key') return keyAuth;
    return function adminAuth(req, res, next) {
      const sessions = rawHeaderValues(req.rawHeaders, SESSION_HEADER);
      const request = { headers: req.rawHeaders, url: req.originalUrl };
      const credential = adminCredential(api.login, sessions, request, () => auth.resource(paramsOf(req)));
      if (credential.kind === 'key') return keyAuth(req, res, next);
      if (credential.kind === 'denied') return send(res, credential.reply);
      res.locals.actor = credential.actor;
      next();
    };
  }

  function handler(route: RouteSpec): RequestHandler {
    return async (req: Request, res: Response) => {
      const text = typeof req.body === 'string' ? req.body : undefined;
      const reply = await route.handle({
        params: paramsOf(req),
        query: queryOf(req.originalUrl),
        body: route.body ? parseJsonBody(req.get('content-type'), text) : undefined,
        actor: req.keyward ?? sessionActor(res),
        meta: callMeta(req.ip, req.get('user-agent'), req.get('x-request-id')),
        origin: api.publicUrl ?? `http://${req.get('host') ?? 'localhost'}`,
      });
      send(res, reply);
    };
  }

  for (const route of api.routes) {
    const chain: RequestHandler[] = [];
    if (route.auth.kind !== 'public') chain.push(authenticate(route.auth));
    if (route.body) chain.push(readBody);
    chain.push(handler(route));
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    app[method](route.path, ...chain);
  }
  app.use((_req, res) => send(res, notFoundReply()));
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    if (res.headersSent) return;
    send(res, errorReply(frameworkClientError(error) ?? error));
  };
  app.use(onError);
  return app;
}
