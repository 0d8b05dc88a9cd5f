/**
 * Query parameters that carry a credential by convention (RFC 6750 §2.3 `access_token`, and the
 * usual API-key spellings). Compared case-insensitively.
 */
export const CREDENTIAL_QUERY_PARAMS: readonly string[] = Object.freeze([
  'access_token',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'token',
]);

/**
 * The shape of a keyward token (`<prefix>_<keyId>_<secret><crc>`), whatever the host's prefix:
 * a query value matching it is refused even under an unexpected parameter name.
 */
const TOKEN_SHAPE = /^[a-z0-9]+(?:_[a-z0-9]+)*_[0-9A-Za-z]{16}_[0-9A-Za-z]{28,134}$/;

/** Decodes a query component; `null` when it is not valid percent-encoding. */
function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * True when the query string of `url` (a path with optional query, or an absolute URL) carries a
 * credential: a parameter named in `names`, or any value shaped like a keyward token. Tokens in
 * URLs end up in access logs, proxies and browser history, so such requests are refused.
 *
 * @internal
 */
export function queryCarriesCredential(url: string, names: ReadonlySet<string>): boolean {
  const start = url.indexOf('?');
  if (start === -1) return false;
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash === -1 ? undefined : hash);
  if (query.length === 0) return false;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const name = decodeComponent(rawName);
    if (name !== null && names.has(name.toLowerCase())) return true;
    if (eq === -1) continue;
    const value = decodeComponent(pair.slice(eq + 1));
    if (value !== null && TOKEN_SHAPE.test(value)) return true;
  }
  return false;
}
