/** Characters allowed inside a quoted `WWW-Authenticate` parameter (RFC 6750 §3: no `"` or `\`). */
const QUOTABLE = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * Returns `realm` when it can be sent as a quoted `realm` parameter (1-128 printable ASCII
 * characters, no `"` or `\`), else throws `TypeError`. Called when middleware is built.
 *
 * @example
 * ```ts
 * validateRealm('acme-api'); // 'acme-api'
 * ```
 */
export function validateRealm(realm: unknown): string {
  if (typeof realm !== 'string' || realm.length === 0 || realm.length > 128 || !QUOTABLE.test(realm)) {
    throw new TypeError('keyward: realm must be 1-128 printable ASCII characters without " or \\');
  }
  return realm;
}

/** The error attributes of a Bearer challenge (RFC 6750 §3). */
export interface BearerChallengeError {
  error: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** Human-readable text; characters outside the RFC 6750 set are dropped. */
  description?: string | undefined;
  /** For `insufficient_scope`: the permission needed (space-separated scope tokens). */
  scope?: string | undefined;
}

/** Keeps only the characters a quoted challenge parameter may hold. */
function quotable(text: string): string {
  return QUOTABLE.test(text) ? text : text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '');
}

/**
 * A `WWW-Authenticate` value for the Bearer scheme. Without `error` it is the bare challenge
 * RFC 6750 §3.1 asks for when a request carries no credentials at all.
 *
 * @example
 * ```ts
 * bearerChallenge('acme');                              // 'Bearer realm="acme"'
 * bearerChallenge('acme', { error: 'invalid_token' });  // 'Bearer realm="acme", error="invalid_token"'
 * ```
 */
export function bearerChallenge(realm: string, error?: BearerChallengeError | undefined): string {
  let value = `Bearer realm="${quotable(realm)}"`;
  if (error === undefined) return value;
  value += `, error="${error.error}"`;
  if (error.description !== undefined) value += `, error_description="${quotable(error.description)}"`;
  if (error.scope !== undefined) value += `, scope="${quotable(error.scope)}"`;
  return value;
}
