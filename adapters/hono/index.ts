/**
 * `keyward/hono`: Hono middleware over a keyward instance: `requireApiKey` for the host's routes,
 * `managementRoutes` for keyward's management API. Runs wherever Hono runs (Node, Bun, Deno,
 * Cloudflare Workers).
 *
 * Needs `hono` (4.x) installed next to keyward: an optional peer dependency, so hosts that do not
 * use Hono do not get it (`npm install hono`).
 *
 * @packageDocumentation
 * @module keyward/hono
 */

export type { HttpDenial, RateLimitVerdict, RequestResource } from '../../src/entries/http.js';
export type { Actor } from '../../src/management/actor.js';
export type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';
export {
  type HonoApiKeyRoute,
  type HonoDeniedHook,
  type HonoLimitHook,
  type KeywardHono,
  type KeywardHonoEnv,
  type KeywardHonoOptions,
  type KeywardHonoVariables,
  keywardHono,
} from './keyward-hono.js';
export type {
  HonoAuthenticateHook,
  HonoManagementLimitHook,
  HonoManagementOptions,
} from './management-routes.js';
