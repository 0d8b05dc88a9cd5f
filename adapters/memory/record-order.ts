/**
 * A row's place in a listing: `(createdAt, id)`, ids compared by UTF-16 code unit (binary order).
 *
 * @internal
 */
export interface Positioned {
  readonly createdAt: Date;
  readonly id: string;
}

/**
 * Orders positions by `createdAt`, then by `id` in binary (code unit) order, the same order as
 * `COLLATE "C"` in SQL. Negative when `a` comes first.
 *
 * @internal
 */
export function comparePosition(a: Positioned, b: Positioned): number {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  if (diff !== 0) return diff;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/**
 * True when `record` comes strictly after `after` (always true without a cursor).
 *
 * @internal
 */
export function isAfter(record: Positioned, after: Positioned | undefined): boolean {
  return after === undefined || comparePosition(record, after) > 0;
}

/**
 * True when `record` comes strictly before `before` (always true without a cursor).
 *
 * @internal
 */
export function isBefore(record: Positioned, before: Positioned | undefined): boolean {
  return before === undefined || comparePosition(record, before) < 0;
}
