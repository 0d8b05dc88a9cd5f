/**
 * Where two values differ: the path to the first difference (`''` at the top, then `.name`,
 * `[2]`, `{member}`) and the two values found there.
 *
 * @internal
 */
export interface ValueDifference {
  readonly path: string;
  readonly actual: unknown;
  readonly expected: unknown;
  /** Why they differ when the two values alone do not say it (a missing property, a size). */
  readonly reason?: string | undefined;
}

/** How deep two values are compared before they count as different (cycles, runaway nesting). */
const MAX_DEPTH = 40;

/**
 * The first difference between `actual` and `expected`, or `null` when they are equal the way
 * test runners' `toEqual` means it: primitives by `Object.is`, Dates by instant, arrays item by
 * item, Sets and Maps by members, other objects by own enumerable properties, properties whose
 * value is `undefined` counting as absent. With `subset`, objects of `expected` only need their
 * own properties in `actual` (`toMatchObject`); arrays still need the same length.
 *
 * @internal
 */
export function firstDifference(actual: unknown, expected: unknown, subset = false): ValueDifference | null {
  return differenceAt(actual, expected, subset, '', 0);
}

function differenceAt(
  actual: unknown,
  expected: unknown,
  subset: boolean,
  path: string,
  depth: number,
): ValueDifference | null {
  if (Object.is(actual, expected)) return null;
  const differ = (reason?: string): ValueDifference => ({ path, actual, expected, reason });
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null)
    return differ();
  if (depth > MAX_DEPTH) return differ(`nested deeper than ${MAX_DEPTH} levels`);
  // A plain-object pattern matches any object with its properties (an error's `code`).
  if (subset && isPlainObject(expected)) return objectDifference(actual, expected, subset, path, depth);
  const kind = Object.prototype.toString.call(expected);
  if (Object.prototype.toString.call(actual) !== kind) return differ();
  if (expected instanceof Date) return sameInstant(actual as Date, expected) ? null : differ();
  if (expected instanceof RegExp) return String(actual) === String(expected) ? null : differ();
  if (expected instanceof Error && actual instanceof Error && actual.message !== expected.message)
    return differ();
  if (Array.isArray(expected)) return arrayDifference(actual as unknown[], expected, subset, path, depth);
  if (expected instanceof Set) return setDifference(actual as Set<unknown>, expected, path, depth);
  if (expected instanceof Map) return mapDifference(actual as Map<unknown, unknown>, expected, path, depth);
  return objectDifference(actual, expected, subset, path, depth);
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function sameInstant(actual: Date, expected: Date): boolean {
  return Object.is(actual.getTime(), expected.getTime());
}

function arrayDifference(
  actual: readonly unknown[],
  expected: readonly unknown[],
  subset: boolean,
  path: string,
  depth: number,
): ValueDifference | null {
  if (actual.length !== expected.length) {
    const reason = `length ${actual.length}, expected ${expected.length}`;
    return { path, actual, expected, reason };
  }
  for (let index = 0; index < expected.length; index++) {
    const found = differenceAt(actual[index], expected[index], subset, `${path}[${index}]`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function setDifference(
  actual: ReadonlySet<unknown>,
  expected: ReadonlySet<unknown>,
  path: string,
  depth: number,
): ValueDifference | null {
  if (actual.size !== expected.size)
    return { path, actual, expected, reason: `size ${actual.size}, expected ${expected.size}` };
  for (const member of actual) {
    if (expected.has(member)) continue;
    const matched = [...expected].some(
      (other) => differenceAt(member, other, false, path, depth + 1) === null,
    );
    if (!matched)
      return { path: `${path}{member}`, actual: member, expected, reason: 'not in the expected set' };
  }
  return null;
}

function mapDifference(
  actual: ReadonlyMap<unknown, unknown>,
  expected: ReadonlyMap<unknown, unknown>,
  path: string,
  depth: number,
): ValueDifference | null {
  if (actual.size !== expected.size)
    return { path, actual, expected, reason: `size ${actual.size}, expected ${expected.size}` };
  for (const [key, value] of expected) {
    const entryPath = `${path}.get(${String(key)})`;
    if (!actual.has(key)) return { path: entryPath, actual: undefined, expected: value, reason: 'missing' };
    const found = differenceAt(actual.get(key), value, false, entryPath, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

function objectDifference(
  actual: object,
  expected: object,
  subset: boolean,
  path: string,
  depth: number,
): ValueDifference | null {
  const actualRecord = actual as Record<string, unknown>;
  const expectedRecord = expected as Record<string, unknown>;
  for (const key of Object.keys(expected)) {
    const keyPath = `${path}.${key}`;
    const value = expectedRecord[key];
    // toMatchObject reads inherited properties too (an error's `name`).
    const present = subset ? key in actual : Object.hasOwn(actual, key);
    if (!present && value !== undefined)
      return { path: keyPath, actual: undefined, expected: value, reason: 'missing' };
    const found = differenceAt(actualRecord[key], value, subset, keyPath, depth + 1);
    if (found !== null) return found;
  }
  if (subset) return null;
  for (const key of Object.keys(actual)) {
    if (!Object.hasOwn(expected, key) && actualRecord[key] !== undefined)
      return { path: `${path}.${key}`, actual: actualRecord[key], expected: undefined, reason: 'unexpected' };
  }
  return null;
}
