import { firstDifference, type ValueDifference } from './value-difference.js';

/**
 * A failed assertion of the conformance suite. Test runners report it like their own: the
 * message says what differed and where; `actual` and `expected` hold the two values compared.
 *
 * @internal
 */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
  readonly actual: unknown;
  readonly expected: unknown;

  constructor(message: string, actual: unknown, expected: unknown) {
    super(message);
    this.actual = actual;
    this.expected = expected;
  }
}

/** How many characters of a value a message shows. */
const SHOWN_LENGTH = 160;

/**
 * Throws an {@link AssertionError} with `message` unless `condition` holds.
 *
 * @internal
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message, condition, true);
}

/**
 * Asserts `actual` is `expected` itself (`Object.is`), like a runner's `toBe`.
 *
 * @internal
 */
export function assertEqual(actual: unknown, expected: unknown, label?: string): void {
  if (!Object.is(actual, expected)) fail(label, { path: '', actual, expected }, actual, expected);
}

/**
 * Asserts `actual` equals `expected` value by value, like a runner's `toEqual` (see
 * {@link firstDifference}).
 *
 * @internal
 */
export function assertDeepEqual(actual: unknown, expected: unknown, label?: string): void {
  const difference = firstDifference(actual, expected);
  if (difference !== null) fail(label, difference, actual, expected);
}

/**
 * Asserts `actual` has every property of `expected`, recursively, like a runner's
 * `toMatchObject`: `assertMatches(error, { code: 'CONFLICT' })`.
 *
 * @internal
 */
export function assertMatches(actual: unknown, expected: object, label?: string): void {
  const difference = firstDifference(actual, expected, true);
  if (difference !== null) fail(label, difference, actual, expected);
}

/**
 * Asserts `actual` (an array or string) has `length` items.
 *
 * @internal
 */
export function assertLength(actual: { readonly length: number }, length: number, label?: string): void {
  if (actual.length !== length) {
    const message = `${label ?? 'value'}: expected length ${length}, got ${actual.length}: ${show(actual)}`;
    throw new AssertionError(message, actual, length);
  }
}

/**
 * Awaits `promise`, which must reject, and returns the rejection reason; throws an
 * {@link AssertionError} when it resolves.
 *
 * @example
 * ```ts
 * assertMatches(await rejection(tx.updateKey({ key })), { code: 'CONFLICT' });
 * ```
 * @internal
 */
export async function rejection(promise: Promise<unknown>, label?: string): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (reason) {
    return reason;
  }
  throw new AssertionError(
    `${label ?? 'promise'}: expected a rejection, got ${show(value)}`,
    value,
    undefined,
  );
}

function fail(
  label: string | undefined,
  difference: ValueDifference,
  actual: unknown,
  expected: unknown,
): never {
  const where = difference.path === '' ? '' : ` at ${difference.path}`;
  const why = difference.reason === undefined ? '' : ` (${difference.reason})`;
  const detail = `expected ${show(difference.expected)}, got ${show(difference.actual)}${why}`;
  throw new AssertionError(`${label ?? 'value'}${where}: ${detail}`, actual, expected);
}

/**
 * A short, readable rendering of a value for a message: strings quoted, Dates as ISO instants,
 * bigints with `n`, objects as JSON-like text cut at {@link SHOWN_LENGTH} characters.
 *
 * @internal
 */
export function show(value: unknown): string {
  const text = render(value, new Set());
  return text.length <= SHOWN_LENGTH ? text : `${text.slice(0, SHOWN_LENGTH - 1)}…`;
}

function render(value: unknown, seen: Set<object>): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Object.is(value, -0)) return '-0';
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value !== 'object' || value === null) return String(value);
  if (seen.has(value)) return '[circular]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` ${code}` : ''}: ${value.message}`;
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((item) => render(item, seen)).join(', ')}]`;
    if (value instanceof Set) return `Set {${[...value].map((item) => render(item, seen)).join(', ')}}`;
    if (value instanceof Map) {
      const entries = [...value].map(([key, item]) => `${render(key, seen)} => ${render(item, seen)}`);
      return `Map {${entries.join(', ')}}`;
    }
    const entries = Object.entries(value).map(([key, item]) => `${key}: ${render(item, seen)}`);
    return `{${entries.join(', ')}}`;
  } finally {
    seen.delete(value);
  }
}
