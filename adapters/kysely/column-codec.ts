/**
 * Column encodings shared by both dialects: instants as UTC epoch milliseconds, structured
 * values as JSON text. One encoding for SQLite and PostgreSQL keeps a row portable between them.
 */

/** A `Date` as UTC epoch milliseconds. @internal */
export function toEpochMs(date: Date): number {
  return date.getTime();
}

/** A nullable `Date` as UTC epoch milliseconds. @internal */
export function toNullableEpochMs(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

/** Reads an epoch-ms column (PostgreSQL returns `bigint` as a string). @internal */
export function fromEpochMs(value: number | string | bigint): Date {
  return new Date(Number(value));
}

/** Reads a nullable epoch-ms column. @internal */
export function fromNullableEpochMs(value: number | string | bigint | null): Date | null {
  return value === null ? null : new Date(Number(value));
}

/** Reads a count (PostgreSQL returns `count(*)` as a `bigint` string). @internal */
export function fromCount(value: number | string | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Encodes a structured value as JSON text. @internal */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Encodes a nullable structured value as JSON text. @internal */
export function toNullableJson(value: unknown): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** Decodes JSON text written by {@link toJson}. @internal */
export function fromJson<T>(text: string): T {
  // The request path decodes empty lists (rate limits) on every read: skip the parser for them.
  if (text === '[]') return [] as T;
  return JSON.parse(text) as T;
}

/** Decodes nullable JSON text. @internal */
export function fromNullableJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
