/**
 * The Content-Security-Policy of every answer of the page: its own script and stylesheet only,
 * API calls to its own origin, no inline code, no plugin, no form posted anywhere, framed only by
 * its own origin. @internal
 */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The security headers of every answer of the page (lowercase names). @internal */
export const ADMIN_PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': ADMIN_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
});
