import { type HeaderSource, headerValues } from '../http/header-source.js';

/** The `ETag` of an account at `version`: a strong tag, `"<version>"`. @internal */
export function accountEtag(version: number): string {
  return `"${version}"`;
}

/**
 * What `If-Match` asks for: nothing (absent or `*`), the version a strong tag `"<n>"` names, or
 * `'unmatchable'` for anything else (a weak tag, a list, a tag of another form): no version of
 * an account can match it, so the write is refused with 412.
 *
 * @internal
 */
export function ifMatchVersion(headers: HeaderSource): number | 'unmatchable' | undefined {
  const values = headerValues(headers, 'if-match');
  if (values.length === 0) return undefined;
  if (values.length > 1) return 'unmatchable';
  const value = (values[0] as string).trim();
  if (value === '*') return undefined;
  const match = /^"([1-9]\d{0,14})"$/.exec(value);
  return match === null ? 'unmatchable' : Number(match[1]);
}
