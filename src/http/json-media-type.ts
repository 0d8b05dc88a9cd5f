import { type HeaderSource, headerValues } from './header-source.js';

/** `application/json`, optionally with `charset=utf-8`. */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * True when the request says its body is JSON: exactly one `content-type`, `application/json`
 * (optionally `charset=utf-8`). An HTML form cannot post that cross-site.
 *
 * @internal
 */
export function sendsJson(headers: HeaderSource): boolean {
  const contentType = headerValues(headers, 'content-type');
  return contentType.length === 1 && JSON_MEDIA_TYPE.test((contentType[0] as string).trim());
}
