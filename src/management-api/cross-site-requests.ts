import { headerValues } from '../http/header-source.js';
import { problemResponse } from './management-problems.js';
import type { ManagementRequest, ManagementResponse } from './management-request.js';

/** Methods that change nothing: never refused for where they come from. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Sec-Fetch-Site` values of a request the browser made for a page of this very origin, or for the user. */
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

/**
 * Throws `TypeError` unless `value` is absent or a list of serialised origins
 * (`https://admin.acme.test`, `http://localhost:3000`: scheme, host and port only, as browsers
 * send them in `Origin`); returns them as a set.
 *
 * @internal
 */
export function assertTrustedOrigins(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) {
    throw new TypeError(
      "keyward: trustedOrigins must be a list of origins such as ['https://admin.acme.test']",
    );
  }
  for (const origin of value) {
    if (typeof origin !== 'string' || originUrl(origin) === undefined) {
      throw new TypeError(
        'keyward: each of trustedOrigins must be an http(s) origin as browsers send it (https://admin.acme.test: lowercase, no path, no trailing slash, no default port)',
      );
    }
  }
  return new Set(value as string[]);
}

/** `text` parsed when it is exactly an http(s) origin as browsers serialise it; else `undefined`. */
function originUrl(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  return web && url.origin === text ? url : undefined;
}

/**
 * Whether a browser without `Sec-Fetch-Site` (older Safari and Firefox) sent `origin` from the
 * request's own host: the `Host` header the browser addressed (the scheme is not compared: it is
 * not known behind a proxy). A proxy that rewrites `Host`, or HTTP/2 without one, makes this false
 * (refused, never let through): such hosts list their public origin in `trustedOrigins`.
 * `X-Forwarded-Host` is not read: nothing vouches for it.
 */
function fromOwnHost(request: ManagementRequest<unknown>, origin: string): boolean {
  const hosts = headerValues(request.headers, 'host');
  return hosts.length === 1 && originUrl(origin)?.host === hosts[0]?.toLowerCase();
}

/**
 * True when a browser made `request`, a write, for a page of another origin: `Origin` is `null`
 * (a sandboxed or opaque page), `Sec-Fetch-Site` is present and neither `same-origin` nor `none`,
 * or (older browsers without `Sec-Fetch-Site`) `Origin` names another host than the request's.
 * An `Origin` listed in `trusted` is let through. Requests with neither header (curl, servers,
 * API clients) are never refused here.
 *
 * @internal
 */
export function isCrossSiteWrite(request: ManagementRequest<unknown>, trusted: ReadonlySet<string>): boolean {
  if (SAFE_METHODS.has(String(request.method).toUpperCase())) return false;
  const origins = headerValues(request.headers, 'origin');
  if (origins.length > 1 || origins[0] === 'null') return true;
  const origin = origins[0];
  if (origin !== undefined && trusted.has(origin)) return false;
  const fetchSites = headerValues(request.headers, 'sec-fetch-site');
  if (fetchSites.length > 0) return fetchSites.length > 1 || !OWN_FETCH_SITES.has(fetchSites[0] as string);
  return origin !== undefined && !fromOwnHost(request, origin);
}

/** 403 `cross_site_request`: a write another site's page made the browser send. @internal */
export const crossSiteRequest = (): ManagementResponse =>
  problemResponse(
    403,
    'cross_site_request',
    "The request was sent by another origin's page (Origin, Sec-Fetch-Site); the management API changes nothing for it.",
  );
