/**
 * `keyward/express`: Express middleware over a keyward instance: `requireApiKey` for the host's
 * routes, `managementRouter` for keyward's management API.
 *
 * @packageDocumentation
 * @module keyward/express
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/entries/http.js';
export type { Actor } from '../../src/management/actor.js';
export type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
export {
  type ExpressDeniedHook,
  type ExpressLimitHook,
  type KeywardExpress,
  type KeywardExpressOptions,
  keywardExpress,
  type RequireApiKeyOptions,
  type RouteParamsOf,
} from './keyward-express.js';
export type {
  ExpressAuthenticateHook,
  ExpressManagementLimitHook,
  ExpressManagementOptions,
  ExpressManagementRouter,
} from './management-router.js';
export { type KeywardRequest, keyPrincipal } from './request-principal.js';
