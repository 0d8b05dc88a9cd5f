/**
 * `keyward/fastify`: the Fastify plugin over a keyward instance.
 *
 * @packageDocumentation
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/http/index.js';
export type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
export {
  type FastifyDeniedHook,
  type FastifyLimitHook,
  type KeywardFastifyOptions,
  type KeywardRouteConfig,
  keywardFastify,
} from './keyward-fastify.js';
