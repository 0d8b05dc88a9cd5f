/**
 * Prototype of stored dates: a `Date` whose setters throw, so a record handed out as-is cannot
 * be changed through its dates either (`Object.freeze` does not stop `setTime`). `constructor`
 * stays `Date`, so `instanceof Date`, `structuredClone`, JSON and test equality treat it as one.
 */
const IMMUTABLE_DATE_PROTOTYPE: Date = Object.create(Date.prototype);

const DATE_SETTERS = Object.getOwnPropertyNames(Date.prototype).filter((name) => name.startsWith('set'));

for (const name of DATE_SETTERS) {
  Object.defineProperty(IMMUTABLE_DATE_PROTOTYPE, name, {
    value: function rejectDateChange(): never {
      throw new TypeError('Stored dates are read-only; copy the date before changing it');
    },
  });
}
Object.freeze(IMMUTABLE_DATE_PROTOTYPE);

/**
 * A frozen copy of `date` whose setters throw.
 *
 * @internal
 */
export function immutableDate(date: Date): Date {
  const copy = new Date(date.getTime());
  Object.setPrototypeOf(copy, IMMUTABLE_DATE_PROTOTYPE);
  return Object.freeze(copy);
}

/**
 * A deep, frozen copy of a JSON-like record: objects and arrays are copied and frozen, dates
 * become {@link immutableDate}s, and properties holding `undefined` are dropped (as a JSON
 * column would). The caller's value is never frozen or kept.
 *
 * @internal
 */
export function freezeRecord<T>(value: T): T {
  return freezeValue(value) as T;
}

function freezeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return immutableDate(value);
  if (Array.isArray(value)) return Object.freeze(value.map(freezeValue));
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    const entry = source[name];
    if (entry === undefined) continue;
    // A key named `__proto__` must stay a plain property: assignment would set the prototype.
    if (name === '__proto__') {
      Object.defineProperty(copy, name, {
        value: freezeValue(entry),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[name] = freezeValue(entry);
    }
  }
  return Object.freeze(copy);
}
