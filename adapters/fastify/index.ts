/**
 * `keyward/fastify`: Fastify plugins over a keyward instance: `keywardFastify` guards the host's
 * routes (`config.keyward`), `keywardManagement` serves keyward's management API and
 * `keywardLeakReports` a secret scanner's leak reports.
 *
 * Needs `fastify` (5.x) and `fastify-plugin` (5.x) installed next to keyward: both are optional
 * peer dependencies, so hosts that do not use Fastify get neither
 * (`npm install fastify fastify-plugin`).
 *
 * @packageDocumentation
 * @module keyward/fastify
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/entries/http.js';
export type { Actor } from '../../src/management/actor.js';
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
export { type KeywardLeakReportsOptions, keywardLeakReports } from './keyward-leak-reports.js';
export {
  type FastifyAuthenticateHook,
  type FastifyManagementLimitHook,
  type KeywardManagementOptions,
  keywardManagement,
} from './keyward-management.js';
