/**
 * How the page shows instants: the reader's locale and time zone, to the minute.
 *
 * @packageDocumentation
 */

const FORMAT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * An ISO instant as the reader reads dates, or `fallback` when there is none.
 *
 * @example
 * ```ts
 * formatInstant(key.lastUsedAt, 'Never');
 * ```
 */
export function formatInstant(iso: string | null | undefined, fallback = '—'): string {
  if (iso === null || iso === undefined) return fallback;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? fallback : FORMAT.format(date);
}

/**
 * The end of the day a date input names (`2026-01-31`), in the reader's time zone, as ISO 8601.
 *
 * @example
 * ```ts
 * endOfDay('2026-01-31'); // '2026-01-31T22:59:59.000Z' in Paris
 * ```
 */
export function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}
