import type { Request } from 'express';
import type { VerifiedPrincipal } from '../../src/verify/verified-principal.js';

declare global {
  namespace Express {
    interface Request {
      /** The verified API key's principal, set by `requireApiKey` on the routes it protects. */
      keyward?: VerifiedPrincipal | undefined;
    }
  }
}

/**
 * An Express request on a route protected by `requireApiKey`: `req.keyward` is set.
 *
 * @example
 * ```ts
 * app.get('/data', requireApiKey(route), (req, res) => {
 *   const { keyId } = (req as KeywardRequest).keyward;
 * });
 * ```
 */
export type KeywardRequest = Request & { keyward: VerifiedPrincipal };

/**
 * The principal `requireApiKey` set on `req`. Throws `TypeError` when the route is not protected,
 * so a handler wired without the middleware fails loudly instead of running unauthenticated.
 *
 * @example
 * ```ts
 * app.get('/data', requireApiKey(route), (req, res) => res.json({ key: keyPrincipal(req).keyId }));
 * ```
 */
export function keyPrincipal(req: Request): VerifiedPrincipal {
  const principal = req.keyward;
  if (principal === undefined) throw new TypeError('keyward: this route is not protected by requireApiKey');
  return principal;
}
