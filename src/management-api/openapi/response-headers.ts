import type { JsonObject } from './openapi-types.js';

/** `ETag` of a service account answer. @internal */
export const ETAG_HEADER: JsonObject = {
  description: 'The account\'s version as a strong tag, `"<version>"`: send it back in `If-Match`.',
  required: true,
  schema: { type: 'string', pattern: '^"[1-9][0-9]*"$' },
};

/** `Location` of a created account or issued key. @internal */
export const LOCATION_HEADER: JsonObject = {
  description: 'The path of the new object, base path included.',
  required: true,
  schema: { type: 'string' },
};

/** `Retry-After` of a 429. @internal */
export const RETRY_AFTER_HEADER: JsonObject = {
  description: 'Whole seconds to wait before retrying (at least 1).',
  required: true,
  schema: { type: 'string', pattern: '^[0-9]+$' },
};

/** `WWW-Authenticate`: always on 401; on 400 and 403 when the API key itself was refused. @internal */
export function challengeHeader(required: boolean): JsonObject {
  return {
    description: required
      ? 'A Bearer challenge (RFC 6750), with `error="invalid_token"` when a key was sent.'
      : 'A Bearer challenge (RFC 6750) when the credentials were refused: `invalid_request` on 400, `insufficient_scope` with the needed permission as `scope` on 403.',
    required,
    schema: { type: 'string', pattern: '^Bearer realm=' },
  };
}
