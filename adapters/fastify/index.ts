/**
 * `keyward/fastify`: the Fastify plugin over a keyward instance.
 *
 * Needs `fastify` (5.x) and `fastify-plugin` (5.x) installed next to keyward: both are optional
 * peer dependencies, so hosts that do not use Fastify get neither
 * (`npm install fastify fastify-plugin`).
 *
 * @packageDocumentation
 * @module keyward/fastify
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/entries/http.js';
export type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
export {
  type FastifyDeniedHook,
  type FastifyLimitHook,
  type KeywardFastifyOptions,
  type KeywardRouteConfig,
  keywardFastify,
  keywardRoutes,
  type TypedKeywardRoute,
} from './keyward-fastify.js';
