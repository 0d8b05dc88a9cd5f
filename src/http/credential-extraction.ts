import { type HeaderSource, headerValues } from './header-source.js';
import { CREDENTIAL_QUERY_PARAMS, queryCarriesCredential } from './query-credential.js';

/** Longest credential header value read, in characters (a keyward token is at most 184). */
export const DEFAULT_MAX_CREDENTIAL_LENGTH = 1024;

/**
 * Why a request's credentials were refused before any lookup. Each is answered with 400
 * `invalid_request` (RFC 6750 §3.1): the request is malformed, whatever the key is worth.
 *
 * - `multiple_credentials`: a Bearer token and an `x-api-key` that differ;
 * - `duplicate_header`: `Authorization` or `x-api-key` sent more than once (or comma-joined);
 * - `credential_in_query`: a token in the query string (RFC 6750 §2.3 is refused outright);
 * - `header_too_large`: a credential header longer than `maxCredentialLength`;
 * - `malformed_authorization`: `Bearer` not followed by exactly one token of the RFC 6750 alphabet;
 * - `malformed_api_key`: an `x-api-key` that is empty or not a single token.
 */
export type CredentialFailureReason =
  | 'multiple_credentials'
  | 'duplicate_header'
  | 'credential_in_query'
  | 'header_too_large'
  | 'malformed_authorization'
  | 'malformed_api_key';

/** The request parts credentials are read from. */
export interface CredentialRequest {
  /** The request headers; see {@link HeaderSource} (prefer Node's `rawHeaders`). */
  headers: HeaderSource;
  /** The request target (`/path?query`) or absolute URL, checked for tokens in the query. */
  url?: string | undefined;
}

/** Options of {@link extractCredential}. */
export interface CredentialExtractionOptions {
  /** Longest accepted credential header value; default {@link DEFAULT_MAX_CREDENTIAL_LENGTH}. */
  maxCredentialLength?: number | undefined;
  /** Query parameter names refused as credential carriers; default {@link CREDENTIAL_QUERY_PARAMS}. */
  queryParams?: readonly string[] | undefined;
}

/** What {@link extractCredential} found. The token is passed on as-is, never logged. */
export type CredentialResult =
  | { readonly kind: 'token'; readonly token: string; readonly source: 'authorization' | 'x-api-key' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly reason: CredentialFailureReason };

/** RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
/** `Bearer` (any case), then one or more spaces, then the rest. */
const BEARER = /^bearer(?: +|$)/i;

const MISSING: CredentialResult = Object.freeze({ kind: 'missing' });
const invalid = (reason: CredentialFailureReason): CredentialResult =>
  Object.freeze({ kind: 'invalid', reason });

/** The default query-name set, built once. */
const DEFAULT_QUERY_NAMES: ReadonlySet<string> = new Set(CREDENTIAL_QUERY_PARAMS);

type HeaderRead = { token: string | null } | { failure: CredentialFailureReason };

/** No token in a header: shared. */
const NO_TOKEN: HeaderRead = Object.freeze({ token: null });

/**
 * The first value of the `Authorization` and `x-api-key` headers and how many of each arrived:
 * one pass over Node's `rawHeaders`, no list built.
 */
interface CredentialHeaders {
  authorization: string | undefined;
  authorizationCount: number;
  apiKey: string | undefined;
  apiKeyCount: number;
}

/** Finds both credential headers of `source`. */
function credentialHeaders(source: HeaderSource): CredentialHeaders {
  if (!Array.isArray(source)) {
    const authorization = headerValues(source, 'authorization');
    const apiKey = headerValues(source, 'x-api-key');
    return {
      authorization: authorization[0],
      authorizationCount: authorization.length,
      apiKey: apiKey[0],
      apiKeyCount: apiKey.length,
    };
  }
  const found: CredentialHeaders = {
    authorization: undefined,
    authorizationCount: 0,
    apiKey: undefined,
    apiKeyCount: 0,
  };
  for (let i = 0; i + 1 < source.length; i += 2) {
    const key = source[i] as string;
    // Lengths first: most headers are neither, and are not lowercased.
    if (key.length === 13 && key.toLowerCase() === 'authorization') {
      if (found.authorizationCount++ === 0) found.authorization = source[i + 1] as string;
    } else if (key.length === 9 && key.toLowerCase() === 'x-api-key') {
      if (found.apiKeyCount++ === 0) found.apiKey = source[i + 1] as string;
    }
  }
  return found;
}

/** Reads the Bearer token of the `Authorization` header(s); other schemes are not ours and are ignored. */
function readAuthorization(first: string | undefined, count: number, maxLength: number): HeaderRead {
  if (count === 0) return NO_TOKEN;
  if (count > 1) return { failure: 'duplicate_header' };
  const value = (first as string).trim();
  if (value.length > maxLength) return { failure: 'header_too_large' };
  const scheme = BEARER.exec(value);
  if (scheme === null) {
    // Another scheme (Basic, Session, ...): not an API key. A comma means a list of credentials.
    return value.includes(',') ? { failure: 'duplicate_header' } : NO_TOKEN;
  }
  const token = value.slice(scheme[0].length);
  if (token.includes(',')) return { failure: 'duplicate_header' };
  return B64TOKEN.test(token) ? { token } : { failure: 'malformed_authorization' };
}

/** Reads the `x-api-key` header(s). */
function readApiKey(first: string | undefined, count: number, maxLength: number): HeaderRead {
  if (count === 0) return NO_TOKEN;
  if (count > 1) return { failure: 'duplicate_header' };
  const token = (first as string).trim();
  if (token.length > maxLength) return { failure: 'header_too_large' };
  if (token.includes(',')) return { failure: 'duplicate_header' };
  return B64TOKEN.test(token) ? { token } : { failure: 'malformed_api_key' };
}

/** A credential extractor with its options applied; see {@link extractCredential}. */
export type CredentialExtractor = (request: CredentialRequest) => CredentialResult;

/**
 * Builds an {@link extractCredential} with `options` precomputed (what middleware uses).
 *
 * @example
 * ```ts
 * const extract = createCredentialExtractor({ maxCredentialLength: 512 });
 * extract({ headers: req.rawHeaders, url: req.url });
 * ```
 */
export function createCredentialExtractor(options: CredentialExtractionOptions = {}): CredentialExtractor {
  const maxLength = options.maxCredentialLength ?? DEFAULT_MAX_CREDENTIAL_LENGTH;
  const queryNames =
    options.queryParams === undefined
      ? DEFAULT_QUERY_NAMES
      : new Set(options.queryParams.map((name) => name.toLowerCase()));
  return (request) => {
    if (request.url !== undefined && queryCarriesCredential(request.url, queryNames)) {
      return invalid('credential_in_query');
    }
    const headers = credentialHeaders(request.headers);
    const bearer = readAuthorization(headers.authorization, headers.authorizationCount, maxLength);
    if ('failure' in bearer) return invalid(bearer.failure);
    const apiKey = readApiKey(headers.apiKey, headers.apiKeyCount, maxLength);
    if ('failure' in apiKey) return invalid(apiKey.failure);
    if (bearer.token !== null && apiKey.token !== null && bearer.token !== apiKey.token) {
      return invalid('multiple_credentials');
    }
    if (bearer.token !== null) return { kind: 'token', token: bearer.token, source: 'authorization' };
    if (apiKey.token !== null) return { kind: 'token', token: apiKey.token, source: 'x-api-key' };
    return MISSING;
  };
}

const defaultExtractor = createCredentialExtractor();

/**
 * Finds the API key of a request: `Authorization: Bearer <token>` (scheme case-insensitive) or
 * `x-api-key: <token>`. Never picks one credential among several: two different keys, a repeated
 * header, a token in the query string or an oversized header make the request `invalid`
 * (answer 400), and no credential at all is `missing` (answer 401). The same token sent in both
 * headers counts once; an `Authorization` header of another scheme (Basic, ...) is not an API key
 * and is ignored. Pure and synchronous; never throws for any request.
 *
 * @example
 * ```ts
 * const found = extractCredential({ headers: req.rawHeaders, url: req.url });
 * if (found.kind === 'token') await kw.verify(found.token, { action, resource });
 * ```
 */
export function extractCredential(
  request: CredentialRequest,
  options?: CredentialExtractionOptions | undefined,
): CredentialResult {
  return options === undefined ? defaultExtractor(request) : createCredentialExtractor(options)(request);
}
