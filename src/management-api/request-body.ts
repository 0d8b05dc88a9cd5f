import { headerValues } from '../http/header-source.js';
import { sendsJson } from '../http/json-media-type.js';
import { problemResponse } from './management-problems.js';
import type { ManagementRequest, ManagementResponse } from './management-request.js';

/** Default largest body: 64 KiB. @internal */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The body read from a request: absent, parsed JSON, or a refusal. @internal */
export type BodyRead = { readonly present: false } | { readonly present: true; readonly value: unknown };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const ABSENT: BodyRead = Object.freeze({ present: false });

const tooLarge = (limit: number) =>
  problemResponse(413, 'body_too_large', `The request body is larger than ${limit} bytes.`);
const malformed = () => problemResponse(400, 'malformed_json', 'The request body is not valid JSON.');

/** Parses raw UTF-8 JSON text. */
function parseText(text: string): BodyRead | ManagementResponse {
  try {
    return { present: true, value: JSON.parse(text) as unknown };
  } catch {
    return malformed();
  }
}

/**
 * Reads the body of `request`: none, or JSON of at most `maxBytes` bytes sent as
 * `application/json` (415 otherwise: an HTML form cannot post that cross-site). An empty body
 * declared as another media type is refused too: an HTML form without fields posts one, with the
 * browser's cookies. The body is never echoed in an answer.
 *
 * @internal
 */
export function readBody(request: ManagementRequest, maxBytes: number): BodyRead | ManagementResponse {
  const body = request.body;
  if (body === undefined || body === null) return ABSENT;
  const isRaw = typeof body === 'string' || body instanceof Uint8Array;
  const empty = isRaw && body.length === 0;
  if (empty && headerValues(request.headers, 'content-type').length === 0) return ABSENT;
  if (!sendsJson(request.headers)) {
    return problemResponse(
      415,
      'unsupported_media_type',
      'The request body must be JSON sent with content-type: application/json.',
    );
  }
  if (empty) return ABSENT;
  if (typeof body === 'string') {
    return body.length > maxBytes || encoder.encode(body).length > maxBytes
      ? tooLarge(maxBytes)
      : parseText(body);
  }
  if (body instanceof Uint8Array) {
    if (body.byteLength > maxBytes) return tooLarge(maxBytes);
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return malformed();
    }
    return parseText(text);
  }
  let size: number;
  try {
    size = encoder.encode(JSON.stringify(body) ?? '').length;
  } catch {
    return malformed();
  }
  return size > maxBytes ? tooLarge(maxBytes) : { present: true, value: body };
}
