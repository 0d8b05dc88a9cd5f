import { expect } from 'vitest';
import { KeywardError } from '../errors/keyward-error.js';

/**
 * Asserts `actual` is the same record as `expected`: equal values, the same property names
 * (nothing missing, nothing extra), and every Date of `expected` a Date with the same
 * millisecond in `actual`.
 *
 * @internal
 */
export function expectSameRecord<T extends object>(actual: T | null | undefined, expected: T): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  const record = actual as Record<string, unknown>;
  expect(Object.keys(record).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, value] of Object.entries(expected)) {
    if (value instanceof Date) {
      expect(record[name], `${name} is a Date`).toBeInstanceOf(Date);
      expect((record[name] as Date).getTime(), `${name} keeps its milliseconds`).toBe(value.getTime());
    }
    if (value === null) expect(record[name], `${name} stays null`).toBeNull();
  }
  expect(actual).toEqual(expected);
}

/**
 * Awaits `promise` and asserts it rejected with a `KeywardError` of code `CONFLICT`.
 *
 * @internal
 */
export async function expectConflict(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected a rejection with KeywardError CONFLICT').toBeInstanceOf(KeywardError);
  expect((error as KeywardError).code).toBe('CONFLICT');
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
