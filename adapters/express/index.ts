/**
 * `keyward/express`: Express middleware over a keyward instance.
 *
 * @packageDocumentation
 * @module keyward/express
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/entries/http.js';
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
export { type KeywardRequest, keyPrincipal } from './request-principal.js';
