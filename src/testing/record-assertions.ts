import { KeywardError } from '../errors/keyward-error.js';
import { assert, assertDeepEqual, assertEqual, rejection, show } from './assertions.js';

/**
 * Asserts `actual` is the same record as `expected`: equal values, the same property names
 * (nothing missing, nothing extra), and every Date of `expected` a Date with the same
 * millisecond in `actual`.
 *
 * @internal
 */
export function assertSameRecord<T extends object>(actual: T | null | undefined, expected: T): void {
  assert(actual !== null && actual !== undefined, `expected a record, got ${show(actual)}`);
  const record = actual as Record<string, unknown>;
  assertDeepEqual(Object.keys(record).sort(), Object.keys(expected).sort(), 'property names');
  for (const [name, value] of Object.entries(expected)) {
    if (value instanceof Date) {
      const stored = record[name];
      assert(stored instanceof Date, `${name} is a Date: got ${show(stored)}`);
      assertEqual(stored.getTime(), value.getTime(), `${name} keeps its milliseconds`);
    }
    if (value === null) assertEqual(record[name], null, `${name} stays null`);
  }
  assertDeepEqual(actual, expected, 'record');
}

/**
 * Awaits `promise` and asserts it rejected with a `KeywardError` of code `CONFLICT`.
 *
 * @internal
 */
export async function assertConflict(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise, 'a write expected to fail with CONFLICT');
  assert(error instanceof KeywardError, `expected a KeywardError CONFLICT, got ${show(error)}`);
  assertEqual(error.code, 'CONFLICT', 'error code');
}

/**
 * Runs `change` and swallows the TypeError a frozen record throws: either outcome is fine, as
 * long as the stored record does not change.
 *
 * @internal
 */
export function attemptChange(change: () => void): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
