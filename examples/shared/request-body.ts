import { BodyError } from './http-reply.js';

/** Largest request body the example apps read. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** `application/json` or any `+json` media type. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses a request body both apps read as raw text (so both refuse the same bodies the same way):
 * no body is `undefined`, a non-JSON media type is 415, malformed JSON is 400.
 */
export function parseJsonBody(contentType: string | undefined, text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
    throw new BodyError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

/** The body as a JSON object, or a 400 `invalid_body`. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BodyError(400, 'invalid_body', 'Expected a JSON object.');
  }
  return body as Record<string, unknown>;
}

/**
 * Maps a framework's own client error (body too large, bad media type, undecodable URL) to the
 * example's answer, or `null` for anything else.
 */
export function frameworkClientError(error: unknown): BodyError | null {
  if (typeof error !== 'object' || error === null) return null;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  if (status === 413) return new BodyError(413, 'payload_too_large', 'The body is too large.');
  if (status === 415)
    return new BodyError(415, 'unsupported_media_type', 'Send the body as application/json.');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new BodyError(400, 'bad_request', 'The request could not be read.');
  }
  return null;
}
